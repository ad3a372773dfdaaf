"""A batch whose worker is killed ends (issue 11, acceptance): the real `manage.py db_worker`
prints a real batch, its whole process group gets SIGKILL mid-batch, a new worker is started,
and the batch ends, done or failed with a reason, well within 5 minutes.

Everything runs in child processes against a database of its own (a SQLite file, or a
PostgreSQL database beside the suite's when the suite runs on PostgreSQL)."""

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

ROOT = Path(__file__).resolve().parents[2]
LEASE_SECONDS = 5
ASK_FOR_A_BATCH = """
from django.contrib.auth.models import User
from assessments.models import Cycle
from assessments.services.printing import request_batch_print
hr = User.objects.get(username="hr.demo")
job = request_batch_print(cycle=Cycle.objects.get(status="open"), by=hr)
"""


def manage(env, *args, **kwargs):
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, **kwargs
    )


@pytest.fixture
def database(tmp_path):
    """(DATABASE_URL, a function reading the batch row) for a database of this test's own."""
    suite_url = os.environ.get("DATABASE_URL", "")
    if not suite_url.startswith("postgres"):
        path = tmp_path / "worker.sqlite3"

        def read():
            with sqlite3.connect(path) as db:
                return db.execute(
                    "SELECT status, done, total, attempt, error FROM assessments_printjob"
                ).fetchone()

        yield f"sqlite:///{path}", read
        return
    import psycopg2

    name = f"worker_killed_{os.getpid()}"
    parts = urlsplit(suite_url)
    admin = psycopg2.connect(urlunsplit(parts._replace(path="/postgres")))
    admin.autocommit = True
    admin.cursor().execute(f"DROP DATABASE IF EXISTS {name}")
    admin.cursor().execute(f"CREATE DATABASE {name}")
    url = urlunsplit(parts._replace(path=f"/{name}"))

    def read():
        with psycopg2.connect(url) as db, db.cursor() as cursor:
            cursor.execute("SELECT status, done, total, attempt, error FROM assessments_printjob")
            return cursor.fetchone()

    try:
        yield url, read
    finally:
        admin.cursor().execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        admin.close()


def start_worker(env, log):
    return subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--no-reload", "--no-startup-delay"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group, as systemd would run it
    )


def wait_until(condition, seconds):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.3)
    return None


def test_a_batch_whose_worker_is_killed_ends(database, tmp_path):
    url, read = database
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "competency_portal.settings",
        "DJANGO_DEBUG": "1",
        "DATABASE_URL": url,
        "PORTAL_TASK_HEARTBEAT_SECONDS": "1",
        "PORTAL_TASK_LEASE_SECONDS": str(LEASE_SECONDS),
        "PORTAL_PRINT_WORKERS": "1",
        "DJANGO_LOG_LEVEL": "WARNING",
    }
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
    manage(env, "migrate", "--no-input", **quiet)
    manage(env, "load_framework", **quiet)
    manage(env, "seed_demo", **quiet)
    manage(env, "shell", "-c", ASK_FOR_A_BATCH, **quiet)
    with open(tmp_path / "first.log", "wb") as log:
        first = start_worker(env, log)
        try:
            assert wait_until(lambda: read()[1] >= 3, 120), "the first worker never printed"
        finally:
            os.killpg(first.pid, signal.SIGKILL)
            first.wait()
    status, done, total, _attempt, _error = read()
    assert status == "running" and 3 <= done < total  # killed mid-batch

    killed_at = time.monotonic()
    with open(tmp_path / "second.log", "wb") as log:
        second = start_worker(env, log)
        try:
            ended = wait_until(lambda: read()[0] in ("done", "failed"), 300)
        finally:
            os.killpg(second.pid, signal.SIGTERM)
            second.wait(30)
    took = time.monotonic() - killed_at

    assert ended, f"the batch never ended: {read()}"
    status, done, total, attempt, error = read()
    assert (status, done, attempt) == ("done", total, 2), error
    assert took < 300
