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
