"""The shared test cast and data.

Playwright's sync API runs an event loop in the test thread; Django refuses ORM calls from
such a thread unless told that this is intended.
"""

import os
from io import StringIO

import pytest
from django.core.management import call_command

from framework.models import Framework

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

PASSWORD = "a-long-test-password-2569"


@pytest.fixture
def seed_framework(db):
    """The seed framework, version 1, published, loaded as `load_framework` does."""
    call_command("load_framework", stdout=StringIO())
    return Framework.objects.get(version=1)


@pytest.fixture
def somchai(django_user_model):
    """An ordinary member of staff."""
    return django_user_model.objects.create_user(
        "somchai", password=PASSWORD, first_name="สมชาย", last_name="ใจดี"
    )


@pytest.fixture
def somchai_client(client, somchai):
    client.force_login(somchai)
    return client


@pytest.fixture
def cast(seed_framework):
    """The organisation of tests/cast.py (palad, head, somchai, malee, other_head, outsider, hr)."""
    from tests.cast import make_cast

    return make_cast()


@pytest.fixture
def round_open(cast):
    """Round 2569-1 open for the cast; assessments as cast.<name>_assessment."""
    from tests.cast import open_round

    open_round(cast)
    return cast


@pytest.fixture
def hr_user(django_user_model):
    """The HR officer: a member of the Django group "hr", with no employee record."""
    from django.contrib.auth.models import Group

    from framework.permissions import HR_GROUP

    user = django_user_model.objects.create_user(
        "hr_officer", password=PASSWORD, first_name="งาน", last_name="การเจ้าหน้าที่"
    )
    user.groups.add(Group.objects.get_or_create(name=HR_GROUP)[0])
    return user


@pytest.fixture
def hr_client(hr_user):
    """A browser logged in as the HR officer (its own client, apart from `client`)."""
    from django.test import Client

    hr = Client()
    hr.force_login(hr_user)
    return hr


def assert_message(text, thai, english):
    """The message is shown, in Thai once its translation is in locale/, else in English."""
    assert thai in text or english in text, f"neither {thai!r} nor {english!r} in the text"
