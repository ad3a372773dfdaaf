"""/healthz for load balancers and monitoring (issue 11, point 6): 200 and a small JSON when the
database answers and every migration is applied, with the state of the task workers (required
only with PORTAL_HEALTH_REQUIRE_WORKER=1); 503 naming the part that is down. No login, no
personal data, never cached, over plain HTTP too, three queries at most."""

import json
import time
from datetime import datetime, timedelta

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from assessments.models import WorkerBeat
from assessments.services import leases
from competency_portal.accounts import MUST_CHANGE
from competency_portal.health import migrations_on_disk
from competency_portal.settings import database
from tests.blackhole import BlackHole, default_database

URL = "/healthz"
KEYS = {"status", "database", "migrations", "worker", "worker_seen", "time"}


def health(client):
    response = client.get(URL)
    return response, json.loads(response.content)


def test_it_works(client, db):
    response, state = health(client)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert state["status"] == "ok"
    assert state["database"] == "ok"
    assert state["migrations"] == "ok"
    assert state["worker"] == "unknown"  # a fresh installation has run no task yet: healthy
    assert set(state) == KEYS
    assert abs(datetime.fromisoformat(state["time"]) - timezone.now()) < timedelta(minutes=1)


def test_its_url_is_healthz():
    assert reverse("healthz") == URL


def test_it_is_never_cached(client, db):
    response = client.get(URL)

    assert "no-store" in response["Cache-Control"]


def test_it_needs_no_login_and_shows_no_personal_data(client, round_open):
    response, state = health(client)

    assert response.status_code == 200
    assert set(state) == KEYS
    body = response.content.decode()
    for user in User.objects.all():
        assert user.username not in body
    assert "Set-Cookie" not in response.headers  # no session either


def test_it_costs_three_queries_at_most(client, db, django_assert_max_num_queries):
    a_worker_beat(seconds_ago=5)
    migrations_on_disk()  # read once per process, from the files

    with django_assert_max_num_queries(3):
        response = client.get(URL)

    assert response.status_code == 200


def test_it_refuses_a_post(client, db):
    assert client.post(URL).status_code == 405


def test_plain_http_is_not_redirected_for_it(client, db, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

    assert client.get(reverse("login")).status_code == 301  # every page is sent to HTTPS …
    assert client.get(URL).status_code == 200  # … but the load balancer's probe


def test_someone_who_must_change_their_password_may_still_open_it(client, somchai):
    client.force_login(somchai)
    session = client.session
    session[MUST_CHANGE] = True
    session.save()

    assert client.get(reverse("home")).status_code == 302  # sent to the password change
    assert client.get(URL).status_code == 200


def test_someone_who_owes_a_two_factor_code_may_still_open_it(client, hr_user):
    TOTPDevice.objects.create(user=hr_user, name="phone", confirmed=True)
    client.force_login(hr_user)  # past the password, the code still to come

    assert client.get(reverse("home"))["Location"].startswith(reverse("two_factor:code"))
    assert client.get(URL).status_code == 200


# ---------------------------------------------------------------- the parts that are down


def test_a_pending_migration_is_503_naming_the_migrations(client, db):
    latest = max(name for app, name in migrations_on_disk() if app == "assessments")
    MigrationRecorder(connection).migration_qs.filter(app="assessments", name=latest).delete()

    response, state = health(client)

    assert response.status_code == 503
    assert state["status"] == "down"
    assert state["migrations"] == "pending"
    assert state["database"] == "ok"


def test_an_unreachable_database_is_503_naming_the_database(monkeypatch, django_db_blocker):
    monkeypatch.setenv("PORTAL_DB_CONNECT_TIMEOUT", "2")
    with BlackHole() as hole, django_db_blocker.unblock(), default_database(database(hole.url)):
        started = time.monotonic()
        response, state = health(Client())
        waited = time.monotonic() - started

    assert response.status_code == 503
    assert state["status"] == "down"
    assert state["database"] == "down"
    assert state["migrations"] == "unknown"
    assert "no-store" in response["Cache-Control"]
    assert waited <= 2 + 1.5


# ---------------------------------------------------------------- the worker


def a_worker_beat(seconds_ago):
    """A task worker (manage.py db_worker) beat that long ago, as it writes it."""
    leases.beat("host:123:worker")
    seen = timezone.now() - timedelta(seconds=seconds_ago)
    WorkerBeat.objects.filter(worker="host:123:worker").update(seen_at=seen)
    return seen


def test_a_worker_that_beat_lately_is_ok(client, db):
    seen = a_worker_beat(seconds_ago=15)

    response, state = health(client)

    assert state["worker"] == "ok"
    assert datetime.fromisoformat(state["worker_seen"]) == seen


def test_a_worker_silent_longer_than_its_lease_is_stale_but_not_fatal(client, db, settings):
    settings.PORTAL_TASK_LEASE_SECONDS = 120
    a_worker_beat(seconds_ago=300)

    response, state = health(client)

    assert state["worker"] == "stale"
    assert response.status_code == 200  # by default a missing worker is reported, not fatal


@pytest.mark.parametrize("seconds_ago", [300, None])
def test_without_a_live_worker_it_is_503_when_the_worker_is_required(
    client, db, settings, seconds_ago
):
    settings.PORTAL_HEALTH_REQUIRE_WORKER = True
    if seconds_ago is not None:
        a_worker_beat(seconds_ago)

    response, state = health(client)

    assert response.status_code == 503
    assert state["status"] == "down"
    assert state["worker"] == ("stale" if seconds_ago else "unknown")
    assert state["database"] == "ok"


def test_a_required_worker_that_beat_lately_is_healthy(client, db, settings):
    settings.PORTAL_HEALTH_REQUIRE_WORKER = True
    a_worker_beat(seconds_ago=5)

    assert client.get(URL).status_code == 200
