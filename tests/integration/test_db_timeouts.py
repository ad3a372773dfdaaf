"""Bounds on waiting for the database (issue 11, point 5): the connection and statement
timeouts of competency_portal.settings.database(), and the Thai 503 page a person gets when the
database does not answer. The dead database is a real socket that never answers
(tests/blackhole.py), reached through the settings' own code."""

import socket
import time
from urllib.parse import quote

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import OperationalError, connection
from django.test import Client

from competency_portal.errors import server_error
from competency_portal.settings import database
from tests.blackhole import BlackHole, connection_to, default_database

POSTGRES = "postgres://portal:secret@db.example:5432/portal"
MARGIN = 1.5  # seconds beyond a timeout that a slow test machine may take


def on_postgresql():
    return connection.vendor == "postgresql"


# ---------------------------------------------------------------- the settings


def test_the_defaults_are_five_and_thirty_seconds_and_kept_connections(monkeypatch):
    for name in (
        "PORTAL_DB_CONNECT_TIMEOUT",
        "PORTAL_DB_STATEMENT_TIMEOUT",
        "PORTAL_DB_CONN_MAX_AGE",
    ):
        monkeypatch.delenv(name, raising=False)

    config = database(POSTGRES)

    assert config["OPTIONS"]["connect_timeout"] == 5
    assert config["OPTIONS"]["options"] == "-c statement_timeout=30000"
    assert config["OPTIONS"]["keepalives"] == 1
    assert config["CONN_MAX_AGE"] == 600
    assert config["CONN_HEALTH_CHECKS"] is True


def test_the_environment_sets_the_timeouts(monkeypatch):
    monkeypatch.setenv("PORTAL_DB_CONNECT_TIMEOUT", "3")
    monkeypatch.setenv("PORTAL_DB_STATEMENT_TIMEOUT", "0")  # no bound, e.g. for `migrate`
    monkeypatch.setenv("PORTAL_DB_CONN_MAX_AGE", "60")

    config = database(POSTGRES)

    assert config["OPTIONS"]["connect_timeout"] == 3
    assert config["OPTIONS"]["options"] == "-c statement_timeout=0"
    assert config["CONN_MAX_AGE"] == 60


def test_options_in_the_url_are_kept(monkeypatch):
    monkeypatch.delenv("PORTAL_DB_STATEMENT_TIMEOUT", raising=False)
    config = database(POSTGRES + "?sslmode=require&options=-c%20search_path%3Dportal")

    assert config["OPTIONS"]["sslmode"] == "require"
    assert config["OPTIONS"]["options"] == "-c statement_timeout=30000 -c search_path=portal"


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("PORTAL_DB_CONNECT_TIMEOUT", "0"),  # 0 would wait for ever
        ("PORTAL_DB_CONNECT_TIMEOUT", "5s"),
        ("PORTAL_DB_STATEMENT_TIMEOUT", "-1"),
        ("PORTAL_DB_CONN_MAX_AGE", "1.5"),
    ],
)
def test_a_wrong_value_stops_the_start(monkeypatch, name, value):
    monkeypatch.setenv(name, value)
    with pytest.raises(ImproperlyConfigured, match=name):
        database(POSTGRES)


def test_sqlite_waits_for_a_lock_and_keeps_no_connection(monkeypatch):
    monkeypatch.setenv("PORTAL_DB_CONN_MAX_AGE", "60")
    config = database("sqlite:////tmp/portal.sqlite3")

    assert "busy_timeout = 5000" in config["OPTIONS"]["init_command"]
    assert config["CONN_MAX_AGE"] == 0


# ---------------------------------------------------------------- a database that never answers


def test_a_database_that_never_answers_fails_within_the_connect_timeout(
    monkeypatch, django_db_blocker
):
    monkeypatch.setenv("PORTAL_DB_CONNECT_TIMEOUT", "2")  # libpq's least
    with BlackHole() as hole, django_db_blocker.unblock():
        dead = connection_to(database(hole.url))
        started = time.monotonic()
        with pytest.raises(OperationalError, match="timeout"):
            dead.ensure_connection()
        waited = time.monotonic() - started
        assert hole.accepted  # it did reach the server, which said nothing

    assert 2 - 0.1 <= waited <= 2 + MARGIN


def test_a_second_attempt_within_the_timeout_fails_at_once(monkeypatch, django_db_blocker):
    """A request reads the database in several places: it waits once, not at each."""
    monkeypatch.setenv("PORTAL_DB_CONNECT_TIMEOUT", "2")
    with BlackHole() as hole, django_db_blocker.unblock():
        config = database(hole.url)
        with pytest.raises(OperationalError):
            connection_to(config).ensure_connection()
        started = time.monotonic()
        with pytest.raises(OperationalError, match="timeout expired"):
            connection_to(config).ensure_connection()
        waited = time.monotonic() - started

    assert waited < 0.5


def test_a_refused_attempt_is_tried_again_at_once(monkeypatch, django_db_blocker):
    """Refused without waiting: the next attempt goes to the server (here, now a black hole)."""
    monkeypatch.setenv("PORTAL_DB_CONNECT_TIMEOUT", "2")
    with socket.create_server(("127.0.0.1", 0)) as closed:
        port = closed.getsockname()[1]  # nobody listens there once closed
    config = database(f"postgres://portal@127.0.0.1:{port}/portal")
    with django_db_blocker.unblock():
        with pytest.raises(OperationalError, match="refused"):
            connection_to(config).ensure_connection()
        with BlackHole(port), pytest.raises(OperationalError, match="timeout expired$"):
            connection_to(config).ensure_connection()


def test_a_statement_that_runs_too_long_is_cancelled(monkeypatch, db):
    if not on_postgresql():
        pytest.skip("statement_timeout is PostgreSQL's (SQLite runs in the web process)")
    monkeypatch.setenv("PORTAL_DB_STATEMENT_TIMEOUT", "1")
    test_db = connection.settings_dict
    url = "postgres://{}:{}@{}:{}/{}".format(
        quote(test_db["USER"], safe=""),
        quote(test_db["PASSWORD"] or "", safe=""),
        test_db["HOST"],
        test_db["PORT"],
        quote(test_db["NAME"], safe=""),
    )
    bounded = connection_to(database(url))
    try:
        started = time.monotonic()
        with pytest.raises(OperationalError, match="statement timeout"), bounded.cursor() as cursor:
            cursor.execute("SELECT pg_sleep(10)")
        waited = time.monotonic() - started
    finally:
        bounded.close()

    assert waited <= 1 + MARGIN


def test_a_page_asked_while_the_database_never_answers_is_the_thai_503_page(
    monkeypatch, django_db_blocker
):
    monkeypatch.setenv("PORTAL_DB_CONNECT_TIMEOUT", "2")
    browser = Client(raise_request_exception=False)
    browser.cookies["sessionid"] = "a" * 32  # a signed-in browser: its session is read first
    with BlackHole() as hole, django_db_blocker.unblock(), default_database(database(hole.url)):
        started = time.monotonic()
        response = browser.get("/")
        waited = time.monotonic() - started

    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    page = response.content.decode()
    assert "ฐานข้อมูลไม่ตอบสนอง" in page
    assert "โปรดลองใหม่ในอีกสักครู่" in page
    assert "Traceback" not in page
    assert waited <= 2 + MARGIN


def test_a_broken_sqlite_database_gives_the_same_page(django_db_blocker, tmp_path):
    browser = Client(raise_request_exception=False)
    browser.cookies["sessionid"] = "a" * 32
    missing = f"sqlite:///{tmp_path / 'no such folder' / 'portal.sqlite3'}"
    with django_db_blocker.unblock(), default_database(database(missing)):
        response = browser.get("/")

    assert response.status_code == 503
    assert "ฐานข้อมูลไม่ตอบสนอง" in response.content.decode()


def test_other_server_errors_keep_the_500_page(rf):
    try:
        raise ValueError("a bug")
    except ValueError:
        response = server_error(rf.get("/"))

    assert response.status_code == 500
