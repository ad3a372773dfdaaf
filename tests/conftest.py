"""The shared test cast and data.

The seed framework (fixtures/, as `manage.py load_framework` loads it) is loaded once per test
session, into the test database just after it is created (`django_db_setup`): every test's
rollback keeps it. A transactional test (`transaction=True`, `live_server`: the browser tests)
ends with a flush, which empties every table; pytest-django runs those tests after all the
others, and `seed_framework` loads the framework again when it is missing.

Playwright's sync API runs an event loop in the test thread; Django refuses ORM calls from
such a thread unless told that this is intended.
"""

import os
from contextlib import contextmanager
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction

from framework.models import Framework, PositionClass
from tests.factories import UserFactory

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def load_seed_framework():
    """`manage.py load_framework` (which leaves every existing row as it is)."""
    call_command("load_framework", stdout=StringIO())


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The test database as pytest-django creates it, with the seed framework loaded once."""
    with django_db_blocker.unblock():
        load_seed_framework()


def ensure_seed_framework():
    """The seed framework version 1, loaded again if a transactional test has flushed it."""
    if not (Framework.objects.filter(version=1).exists() and PositionClass.objects.exists()):
        load_seed_framework()
    return Framework.objects.get(version=1)


@pytest.fixture
def seed_framework(db):
    """The seed framework, version 1, published, loaded as `load_framework` does (once per
    session; again only after a transactional test has flushed the database)."""
    return ensure_seed_framework()


@contextmanager
def rolled_back(django_db_blocker):
    """Database access outside a test (in a module-scoped fixture, say), in one transaction
    that is rolled back at the end: whatever was written there is gone afterwards."""
    with django_db_blocker.unblock(), transaction.atomic():
        ensure_seed_framework()
        yield
        transaction.set_rollback(True)


@pytest.fixture(scope="module")
def module_db(django_db_setup, django_db_blocker):
    """A transaction open for the whole module, rolled back after its last test: data that a
    module-scoped fixture writes (inside `with module_db.unblock():`) is seen by every
    test of the module (each in its own savepoint, as usual) and is gone afterwards. Only for
    modules whose tests write nothing that clashes with it (no `cast` of their own)."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        ensure_seed_framework()
    yield django_db_blocker
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        atomic.__exit__(None, None, None)


@pytest.fixture
def no_framework(db):
    """A database without any framework version (removed inside the test's transaction)."""
    Framework.objects.all().delete()  # its scale, competencies, levels and indicators too


@pytest.fixture
def somchai(db):
    """An ordinary member of staff."""
    return UserFactory(username="somchai", first_name="สมชาย", last_name="ใจดี")


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
def hr_user(db):
    """The HR officer: a member of the Django group "hr", with no employee record."""
    return UserFactory(username="hr_officer", first_name="งาน", last_name="การเจ้าหน้าที่", hr=True)


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


@pytest.fixture(autouse=True)
def media_of_its_own(settings, tmp_path_factory):
    """Every test writes generated files (kept forms, batches, uploads) to a folder of its
    own: a form kept by one test is never served to another."""
    settings.MEDIA_ROOT = tmp_path_factory.mktemp("media")
