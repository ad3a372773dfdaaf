"""`make loadtest`: the portal under load, with and without password guessers.

    .venv/bin/python -m loadtest.run

Creates a PostgreSQL database on loopback, builds a 300-person organisation with round 2569-1
open (loadtest/seed.py), serves the portal with gunicorn (4 sync workers, production settings:
debug off, plain HTTP on 127.0.0.1), then runs two phases of LOADTEST_SECONDS (60) each:

1. LOADTEST_USERS (50) simulated users log in, save and submit their self-assessments;
2. the same, while LOADTEST_GUESSERS (8) clients guess the passwords of two real logins (HR's
   and the chief's) as fast as the server answers.

It prints requests/s, p50/p95/p99 per kind of request and the errors of each phase, where the
CPU went, the ratio of the saves' p95 (with guessers ÷ without; the budget is 2), and checks in
the database that every acknowledged save is there ("0 lost"). The database is dropped at the
end. Exit status 1 if a save was lost, 2 if the saves' p95 more than doubled.

Environment: LOADTEST_SECONDS, LOADTEST_USERS, LOADTEST_GUESSERS, LOADTEST_WORKERS (4),
LOADTEST_POSTGRES (postgres://postgres@127.0.0.1:5432), LOADTEST_SPRAY (1: the guessers try
every login of the organisation in turn instead of two), LOADTEST_CSV (a file for every
request's phase, kind, seconds, outcome and end time).
"""

import csv
import io
import os
import platform
import random
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import psycopg2

from loadtest import client, cpu, report

ROOT = Path(__file__).resolve().parent.parent
SECONDS = float(os.environ.get("LOADTEST_SECONDS", "60"))
USERS = int(os.environ.get("LOADTEST_USERS", "50"))
GUESSERS = int(os.environ.get("LOADTEST_GUESSERS", "8"))
WORKERS = int(os.environ.get("LOADTEST_WORKERS", "4"))
SPRAY = os.environ.get("LOADTEST_SPRAY") == "1"
POSTGRES = os.environ.get("LOADTEST_POSTGRES", "postgres://postgres@127.0.0.1:5432")
# Users start one after another over this many seconds, not all in the same instant.
RAMP_SECONDS = 5.0
BUDGET = 2.0


def say(text):
    print(text, file=sys.stderr, flush=True)


# ---------------------------------------------------------------- database and server


@contextmanager
def database():
    """A new, empty database for the run (its name); dropped afterwards."""
    name = f"loadtest_{os.getpid()}_{secrets.token_hex(3)}"
    admin = psycopg2.connect(f"{POSTGRES}/postgres")
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    try:
        yield name
    finally:
        from django.db import connections

        connections.close_all()
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def environment(database_url, static_root):
    """The server's settings: production (debug off), plain HTTP on loopback."""
    return {
        "DJANGO_SETTINGS_MODULE": "loadtest.settings",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_HTTPS": "0",
        "DATABASE_URL": database_url,
        "LOADTEST_STATIC_ROOT": str(static_root),
    }


def prepare():
    """Migrate, load the framework, collect the static files, build the organisation;
    return {username: self-assessment id}."""
    import django
    from django.core.management import call_command

    django.setup()
    from loadtest import seed

    say("migrating …")
    call_command("migrate", verbosity=0)
    call_command("load_framework", stdout=io.StringIO())
    say("collecting static files …")
    call_command("collectstatic", verbosity=0, interactive=False)
    say(f"building a {seed.PEOPLE}-person organisation …")
    return seed.build()


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def gunicorn(log_path):
    """gunicorn with WORKERS sync workers on 127.0.0.1; yields (address, process) once it
    answers."""
    address = ("127.0.0.1", free_port())
    command = [
        str(Path(sys.executable).parent / "gunicorn"),
        "competency_portal.wsgi:application",
        f"--workers={WORKERS}",
        f"--bind={address[0]}:{address[1]}",
    ]
    with open(log_path, "w") as log:
        server = subprocess.Popen(command, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    try:
        wait_for(address, server)
        yield address, server
    finally:
        server.terminate()
        server.wait(timeout=30)


def wait_for(address, server, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit("gunicorn stopped; see its log")
        try:
            with socket.create_connection(address, timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("gunicorn did not answer")


# ---------------------------------------------------------------- the load


@dataclass
class Phase:
    name: str
    elapsed: float
    users: list
    guessers: list
    cpu: dict


class Load:
    """The server under test and what the clients share: the people still to come, the
    recorder of every request and the ledger of acknowledged saves."""

    def __init__(self, address, server_pid, database, people):
        self.address, self.server_pid, self.database = address, server_pid, database
        self.people = client.People(people)
        self.recorder, self.ledger = client.Recorder(), client.Ledger()

    def warm_up(self):
        """A few pages through every worker (templates loaded, connections open); not
        counted."""
        self.recorder.start("warm-up")
        browser = client.Browser(self.address, self.recorder)
        for _ in range(WORKERS * 4):
            browser.get("/accounts/login/", "GET login")
        browser.close()

    def phase(self, name, guessed=()):
        """Users, and guessers of the logins `guessed` (each guesser its share), for
        SECONDS."""
        say(f"{name} …")
        stop = threading.Event()
        users = [self.user(n, stop) for n in range(USERS)]
        guessers = [
            client.Guesser(
                n, self.address, guessed[n % len(guessed) :: GUESSERS], stop, self.recorder
            )
            for n in range(GUESSERS if guessed else 0)
        ]
        before = cpu.snapshot(self.server_pid, self.database)
        self.recorder.start(name)
        started = time.perf_counter()
        for guesser in guessers:
            guesser.start()
        for number, user in enumerate(users):
            time.sleep(max(0.0, started + RAMP_SECONDS * number / USERS - time.perf_counter()))
            user.start()
        time.sleep(max(0.0, started + SECONDS - time.perf_counter()))
        stop.set()
        for thread in users + guessers:
            thread.join()
        elapsed = time.perf_counter() - started
        used = cpu.spent(before, cpu.snapshot(self.server_pid, self.database), elapsed)
        return Phase(name, elapsed, users, guessers, used)

    def user(self, number, stop):
        from loadtest import seed

        return client.User(
            number, self.address, self.people, seed.PASSWORD, stop, self.recorder, self.ledger
        )

    def owner_locked_out(self, username, password):
        """Can the real owner of a guessed login still log in from the guessers' address?"""
        browser = client.Browser(self.address, client.Recorder())
        page = browser.get("/accounts/login/", "GET login")[2]
        form = client.form_posting_to(page, "/accounts/login/")
        data = {**form.post_data(), "username": username, "password": password}
        answer = browser.request("POST", form.action, "POST login", data, expect=(302, 429))
        browser.close()
        return "locked (429)" if answer[0] == 429 else "works"


def guessed_logins():
    """HR's login and the chief's (L0001): real accounts, none of them a simulated user."""
    from loadtest import seed

    return [seed.HR_USERNAME, "l0001"]


def sprayed_logins(usernames):
    """With LOADTEST_SPRAY=1, every login of the organisation, one guess each in turn (a
    password spray, which a lockout per login and address does not slow down)."""
    usernames = sorted(usernames)
    random.Random(1).shuffle(usernames)
    return usernames


def save_csv(rows, path):
    with open(path, "w", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(["phase", "kind", "seconds", "outcome", "end"])
        writer.writerows(rows)


# ---------------------------------------------------------------- the report


def machine():
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    with psycopg2.connect(f"{POSTGRES}/postgres") as connection, connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        postgres = cursor.fetchone()[0]
    return (
        f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; {platform.node()}: "
        f"{os.cpu_count()} cores ({platform.machine()}), {memory:.0f} GiB; "
        f"Python {platform.python_version()}, PostgreSQL {postgres}"
    )


def print_phase(title, kinds, phase):
    for line in report.phase_summary(title, kinds, phase.elapsed):
        print(line)
    parts = ", ".join(f"{part} {seconds:.0f}" for part, seconds in phase.cpu.items())
    print(f"  CPU seconds (of {os.cpu_count()} × {phase.elapsed:.0f} s): {parts}")
    others = cpu.others_share(phase.cpu, phase.elapsed)
    if others > 0.1:
        print(f"  Warning: other programs took {others:.0%} of the CPU: not the portal's alone")
    print()


def print_guessers(rows, phase, locked):
    guesses = sum(g.guesses for g in phase.guessers)
    share = sum(g.locked for g in phase.guessers) / max(guesses, 1)
    print(f"Guesses answered 'locked' (429): {share:.1%} of {guesses}")
    end = phase.elapsed
    first = report.p50_between(rows, phase.name, "POST guess", 0, 10)
    last = report.p50_between(rows, phase.name, "POST guess", end - 10, end)
    print(f"Guesses' p50: {first:.0f} ms in the first 10 s, {last:.0f} ms in the last 10 s")
    print(f"HR's own login, from the guessers' address, after phase 2: {locked}")
    from loadtest import check

    for username, failures, size in check.attempt_records(guessed_logins()):
        print(f"django-axes' record of {username}: {failures} failures, {size / 1024:.0f} KiB")


def print_report(load, quiet, loud, locked, lost):
    """Print the figures; return the exit status."""
    rows = load.recorder.rows
    quiet_kinds, loud_kinds = report.by_kind(rows, quiet.name), report.by_kind(rows, loud.name)
    print(f"Load test, {machine()}")
    print(
        f"gunicorn {WORKERS} sync workers on 127.0.0.1, {USERS} simulated users of 300 people, "
        f"{SECONDS:.0f} s per phase\n"
    )
    print_phase("Phase 1, without guessers", quiet_kinds, quiet)
    print_phase(f"Phase 2, with {GUESSERS} password guessers", loud_kinds, loud)
    print_guessers(rows, loud, locked)
    people = sum(u.started_people for u in quiet.users + loud.users)
    submitted = sum(len(k.get("POST submit", ([],))[0]) for k in (quiet_kinds, loud_kinds))
    print(f"People who started their self-assessment: {people}; submitted: {submitted}")
    if not load.people.queue:
        print("Warning: every person had their turn before the end; users stopped early.")
    before, after = report.save_p95(quiet_kinds), report.save_p95(loud_kinds)
    ratio = after / before
    verdict = "within" if ratio <= BUDGET else "OVER"
    print(
        f"Saves' p95: {before:.0f} ms without guessers, {after:.0f} ms with them: "
        f"ratio {ratio:.2f} ({verdict} the budget of {BUDGET:.0f})"
    )
    ledger = load.ledger
    print(f"Acknowledged saves: {ledger.acknowledged} ({len(ledger.expected)} fields checked)")
    print(f"{lost} lost")
    if lost:
        return 1
    return 0 if ratio <= BUDGET else 2


# ---------------------------------------------------------------- main


def run(database_name, scratch):
    """Prepare, serve, load, check, report; return the exit status."""
    os.environ.update(environment(f"{POSTGRES}/{database_name}", scratch / "static"))
    assessments = prepare()
    from loadtest import check, seed

    people = [(u, a) for u, a in assessments.items() if u not in guessed_logins()]
    random.Random(2569).shuffle(people)
    with gunicorn(scratch / "gunicorn.log") as (address, server):
        load = Load(address, server.pid, database_name, people)
        load.warm_up()
        quiet = load.phase("phase 1")
        loud = load.phase("phase 2", sprayed_logins(assessments) if SPRAY else guessed_logins())
        locked = load.owner_locked_out(seed.HR_USERNAME, seed.PASSWORD)
    say("checking the acknowledged saves in the database …")
    missing = check.lost(load.ledger.expected)
    status = print_report(load, quiet, loud, locked, len(missing))
    for key, candidates, found in missing[:10]:
        print(f"  lost: {key}: acknowledged {candidates}, stored {found!r}")
    if os.environ.get("LOADTEST_CSV"):
        save_csv(load.recorder.rows, os.environ["LOADTEST_CSV"])
    if any(outcome.startswith("HTTP 5") for *_row, outcome, _end in load.recorder.rows):
        print("Server errors: the end of gunicorn's log follows.")
        print("".join((scratch / "gunicorn.log").read_text().splitlines(True)[-40:]))
    return status


def main():
    say(f"load test: {USERS} users, {GUESSERS} guessers, {SECONDS:.0f} s per phase")
    say(f"the machine is {cpu.busy_share():.0%} busy before the run")
    scratch = Path(tempfile.mkdtemp(prefix="loadtest-"))
    try:
        with database() as name:
            return run(name, scratch)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
