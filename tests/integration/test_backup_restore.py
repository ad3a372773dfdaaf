"""`manage.py backup` and `manage.py restore`: a round backed up, the database wiped, the backup
restored, and every table is as it was — on the database the suite runs on (SQLite, or
PostgreSQL with DATABASE_URL). Every refusal leaves the files and the data as they were.

The tests are transactional: pg_dump and pg_restore work in their own connections and see only
what was committed."""

import os
import sqlite3
import subprocess
import sys
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder

from assessments.models import Department, Rating, Role
from competency_portal.lib import backups
from tests.conftest import assert_message
from tests.factories import rate

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parents[2]
ON_POSTGRESQL = connection.vendor == "postgresql"
postgresql_only = pytest.mark.skipif(not ON_POSTGRESQL, reason="PostgreSQL only (DATABASE_URL)")
sqlite_only = pytest.mark.skipif(ON_POSTGRESQL, reason="SQLite only")


def snapshot():
    """Every row of every table, in an order that does not depend on the database's."""
    tables = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            rows = [tuple(plain(value) for value in row) for row in cursor.fetchall()]
            tables[table] = sorted(rows, key=repr)
    return tables


def plain(value):
    return bytes(value) if isinstance(value, memoryview) else value


def backup(path, *options):
    out = StringIO()
    call_command("backup", "-o", str(path), *options, stdout=out)
    return out.getvalue()


def restore(path, *options):
    out = StringIO()
    call_command("restore", str(path), *options, stdout=out)
    return out.getvalue()


def refused(command, *args):
    with pytest.raises(CommandError) as caught:
        call_command(command, *map(str, args), stdout=StringIO())
    return str(caught.value)


@pytest.fixture
def rated_round(round_open):
    """Round 2569-1 with the self-assessments and one supervisor's rating submitted."""
    cast = round_open
    rate(cast.somchai_assessment, Role.SELF, cast.somchai.user, 3)
    rate(cast.malee_assessment, Role.SELF, cast.malee.user, 2, submit=False)
    rate(
        cast.somchai_assessment,
        Role.SUPERVISOR,
        cast.head.user,
        {"ACH": 2, "COM": 2, "SDEV": 1, "LOCAL": 0},
        work_results=Decimal("82.5"),
    )
    return cast


def test_backup_wipe_restore_gives_every_table_back(rated_round, tmp_path):
    target = tmp_path / "portal.backup"
    before = snapshot()
    assert Rating.objects.count() > 100

    output = backup(target)

    tables = len(connection.introspection.table_names())
    assert target.exists() and str(target) in output
    assert_message(output, f"{tables} ตาราง", f"{tables} tables")
    # the wipe: every row of every table of the portal
    call_command("flush", "--no-input", stdout=StringIO())
    assert not Rating.objects.exists()

    output = restore(target, "--no-input")

    assert_message(output, "กู้คืน", "Restored")
    after = snapshot()
    assert after.keys() == before.keys()
    assert [t for t in before if after[t] != before[t]] == []
    # the counters go on from the restored rows: a new row takes a fresh key
    Department.objects.create(code="NEW", name_th="กองใหม่")


def test_a_backup_is_refused_over_an_existing_file_unless_forced(rated_round, tmp_path):
    target = tmp_path / "portal.backup"
    target.write_bytes(b"yesterday")

    message = refused("backup", "-o", target)

    assert_message(message, "มีไฟล์", "already exists")
    assert target.read_bytes() == b"yesterday"
    backup(target, "--force")
    assert backups.read_backup(target).kind == backups.database_kind()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["portal.backup"]


def test_a_failed_backup_leaves_no_file_behind(tmp_path):
    target = tmp_path / "portal.backup"

    def half_then_fail(part):
        part.write_bytes(b"half a backup")
        raise OSError(28, "No space left on device")

    with pytest.raises(backups.BackupError):
        backups.write_atomically(target, half_then_fail)

    assert list(tmp_path.iterdir()) == []


def test_a_file_that_is_not_a_backup_is_refused_and_nothing_changes(rated_round, tmp_path):
    before = snapshot()
    notes = tmp_path / "notes.txt"
    notes.write_text("ไม่ใช่ไฟล์สำรองข้อมูล\n", encoding="utf-8")

    message = refused("restore", notes, "--no-input")

    assert_message(message, "ไม่ใช่ไฟล์สำรองข้อมูล", "is not a backup")
    assert snapshot() == before


def test_a_damaged_backup_is_refused_and_nothing_changes(rated_round, tmp_path):
    target = tmp_path / "portal.backup"
    backup(target)
    damaged = tmp_path / "damaged.backup"
    damaged.write_bytes(target.read_bytes()[: target.stat().st_size // 3])
    Department.objects.create(code="AFTER", name_th="กองที่ตั้งหลังสำรอง")
    before = snapshot()

    message = refused("restore", damaged, "--no-input")

    assert_message(message, "เสียหาย", "damaged")
    assert snapshot() == before


def test_a_backup_of_the_other_kind_of_database_is_refused(rated_round, tmp_path):
    before = snapshot()
    other = tmp_path / "other.backup"
    if ON_POSTGRESQL:  # a SQLite database file with the portal's migrations table
        with sqlite3.connect(other) as database:
            database.execute("CREATE TABLE django_migrations (app, name, applied)")
        database.close()
        kind = "SQLite"
    else:  # the first bytes of a pg_dump archive
        other.write_bytes(b"PGDMP\x01\x0e\x00\x04\x08\x01\x01" + bytes(200))
        kind = "PostgreSQL"

    message = refused("restore", other, "--no-input")

    assert_message(message, f"ฐานข้อมูล {kind}", f"backup of a {kind} database")
    assert snapshot() == before


def test_a_backup_from_newer_code_is_refused(rated_round, tmp_path):
    target = tmp_path / "newer.backup"
    future = MigrationRecorder.Migration.objects.create(app="assessments", name="9999_future")
    backup(target)
    future.delete()
    before = snapshot()

    message = refused("restore", target, "--no-input")

    assert_message(message, "รุ่นใหม่กว่า", "newer version")
    assert "assessments.9999_future" in message
    assert snapshot() == before


def test_a_backup_from_older_code_is_restored_with_a_reminder_to_migrate(rated_round, tmp_path):
    target = tmp_path / "older.backup"
    last = MigrationRecorder.Migration.objects.filter(app="assessments").latest("id")
    row = {"app": last.app, "name": last.name, "applied": last.applied}
    last.delete()
    try:
        backup(target)
        output = restore(target, "--no-input")
    finally:
        MigrationRecorder.Migration.objects.get_or_create(**row)

    assert_message(output, "manage.py migrate", "manage.py migrate")
    assert Rating.objects.exists()


def test_restore_asks_first_and_a_no_changes_nothing(rated_round, tmp_path, monkeypatch):
    target = tmp_path / "portal.backup"
    backup(target)
    Department.objects.create(code="AFTER", name_th="กองที่ตั้งหลังสำรอง")
    before = snapshot()
    questions = []
    monkeypatch.setattr("builtins.input", lambda text: questions.append(text) or "no")

    message = refused("restore", target)

    assert_message(message, "ยกเลิก", "cancelled")
    assert len(questions) == 1 and str(target) in questions[0]
    assert snapshot() == before


@postgresql_only
def test_a_restore_that_fails_midway_rolls_back(rated_round, tmp_path):
    target = tmp_path / "portal.backup"
    backup(target)
    Department.objects.create(code="AFTER", name_th="กองที่ตั้งหลังสำรอง")
    # a view of someone else's keeps pg_restore from dropping a table, after it dropped others
    with connection.cursor() as cursor:
        cursor.execute("CREATE VIEW rating_report AS SELECT * FROM assessments_rating")
    try:
        before = snapshot()

        message = refused("restore", target, "--no-input")

        assert_message(message, "ฐานข้อมูลยังคงเหมือนเดิม", "left as it was")
        assert snapshot() == before
    finally:
        with connection.cursor() as cursor:
            cursor.execute("DROP VIEW rating_report")


@postgresql_only
def test_a_missing_or_old_pg_dump_is_named_and_writes_nothing(rated_round, tmp_path, monkeypatch):
    target = tmp_path / "portal.backup"
    monkeypatch.setattr(backups, "tool_major_version", lambda path: 9)

    message = refused("backup", "-o", target)

    assert_message(message, "เก่ากว่า", "older than the database server")
    monkeypatch.setattr(backups.shutil, "which", lambda name: None)
    message = refused("backup", "-o", target)
    assert_message(message, "ไม่พบ pg_dump", "pg_dump was not found")
    assert list(tmp_path.iterdir()) == []


@sqlite_only
def test_the_commands_work_on_a_live_sqlite_file(tmp_path):
    """The real manage.py on a database file in WAL mode, as `make run` leaves it: the demo
    organisation backed up while another connection reads, wiped, restored, equal."""
    live, copy = tmp_path / "portal.sqlite3", tmp_path / "nightly.sqlite3"
    environment = {
        **os.environ,
        "DJANGO_DEBUG": "1",
        "DATABASE_URL": f"sqlite:///{live}",
        "DJANGO_LOG_LEVEL": "WARNING",
    }

    def manage(*args):
        done = subprocess.run(
            [sys.executable, "manage.py", *map(str, args)],
            cwd=ROOT,
            env=environment,
            capture_output=True,
            text=True,
        )
        assert done.returncode == 0, done.stderr
        return done.stdout

    def dump():
        with sqlite3.connect(live) as database:
            return "\n".join(database.iterdump())

    manage("migrate", "--no-input", "-v", "0")
    manage("load_framework")
    manage("seed_demo")
    reader = sqlite3.connect(live)
    reader.execute("BEGIN")
    reader.execute("SELECT count(*) FROM assessments_rating").fetchone()
    before = dump()

    manage("backup", "-o", copy)
    reader.close()
    manage("flush", "--no-input")
    assert dump() != before
    manage("restore", copy, "--no-input")

    assert dump() == before
    with sqlite3.connect(copy) as database:
        assert database.execute("PRAGMA journal_mode").fetchone() == ("delete",)
