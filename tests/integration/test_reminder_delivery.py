"""Mail through a task (issue 11, point 4): HR's page only queues the reminders; a worker sends
them through a real SMTP server on 127.0.0.1 and counts one as sent only once the server
accepted it. A mail server that refuses connections leaves the reminders unsent and retryable:
the reason is recorded, the next try comes after 1, 5 and 25 minutes, after the last the
reminder is failed and shown on the dashboard, where HR queues it again. HR never sees a 500.

The SMTP server is a small one written here (the standard library has none since Python 3.12):
enough of RFC 5321 for smtplib, keeping every message it accepts.
"""

import datetime
import email
import email.policy
import socket
import threading

import pytest
from django.db import DatabaseError, transaction
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.management.commands import db_worker
from django_tasks_db.models import DBTaskResult

from assessments.models import Reminder, TaskLease
from assessments.selectors.dashboard import dashboard
from assessments.services import leases
from assessments.services.reminders import MAX_TRIES, retry_reminders, send_reminders
from tests.conftest import assert_message

URL = reverse("assessments:dashboard")
TASK = "assessments.tasks.deliver_reminders_task"
QUEUED_MESSAGE = ("ระบบจะส่งอีเมลเบื้องหลัง", "they are sent in the background")
CANNOT_CONNECT = ("ส่งไม่สำเร็จ: เชื่อมต่อเซิร์ฟเวอร์อีเมลไม่ได้", "Not sent: cannot connect")


class SMTPServer:
    """`with SMTPServer() as server:` an SMTP server at 127.0.0.1:`server.port`; the messages
    it accepted are in `server.messages` (email.message.EmailMessage). Recipients in `refuse`
    get 550; `silent=True` accepts connections and never says a word (a hung server)."""

    def __init__(self, refuse=(), silent=False):
        self.refuse = set(refuse)
        self.silent = silent
        self.messages = []

    def __enter__(self):
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.listener.settimeout(0.1)
        self.port = self.listener.getsockname()[1]
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        self.thread.join(5)
        self.listener.close()

    def _accept(self):
        while not self.stop.is_set():
            try:
                conn, _address = self.listener.accept()
            except TimeoutError:
                continue
            threading.Thread(target=self._session, args=(conn,), daemon=True).start()

    def _session(self, conn):
        with conn, conn.makefile("rb") as lines:
            if self.silent:
                self.stop.wait()
                return
            conn.sendall(b"220 test.local ESMTP\r\n")
            recipients = []
            for raw in lines:
                command = raw.decode("ascii", "replace").strip()
                verb = command[:4].upper()
                if verb == "EHLO":
                    conn.sendall(b"250-test.local\r\n250 8BITMIME\r\n")
                elif verb == "RCPT":
                    address = command.partition(":")[2].strip(" <>")
                    if address in self.refuse:
                        conn.sendall(b"550 5.1.1 no such mailbox\r\n")
                    else:
                        recipients.append(address)
                        conn.sendall(b"250 OK\r\n")
                elif verb == "DATA":
                    conn.sendall(b"354 go ahead\r\n")
                    data = b"".join(iter(lines.readline, b".\r\n"))
                    message = email.message_from_bytes(data, policy=email.policy.default)
                    self.messages.append(message)
                    recipients = []
                    conn.sendall(b"250 2.0.0 queued\r\n")
                elif verb == "QUIT":
                    conn.sendall(b"221 bye\r\n")
                    return
                else:  # HELO, MAIL, RSET, NOOP
                    conn.sendall(b"250 OK\r\n")


def closed_port():
    """A port on 127.0.0.1 where nothing listens: connecting is refused."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp(settings):
    """The portal's mail goes to a real SMTP server on 127.0.0.1."""
    with SMTPServer() as server:
        use_mail_server(settings, server.port)
        yield server


@pytest.fixture
def mail_down(settings):
    """The portal's mail server refuses connections."""
    use_mail_server(settings, closed_port())
    return settings


def use_mail_server(settings, port):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", port, 5


@pytest.fixture
def database_tasks(settings):
    """Tasks are stored in the database (as in production) and run by `run_worker`."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def clock(monkeypatch):
    """`clock.advance(minutes=…)`: the portal and the task queue see a later time."""

    class Clock:
        offset = datetime.timedelta()

        def advance(self, **delta):
            self.offset += datetime.timedelta(**delta)

    clock, real_now = Clock(), timezone.now
    monkeypatch.setattr(timezone, "now", lambda: real_now() + clock.offset)
    return clock


@pytest.fixture
def reminded(round_open):
    """Everyone in the cast has an email address."""
    for key in ("palad", "head", "somchai", "malee", "other_head", "outsider"):
        person = getattr(round_open, key)
        person.email = f"{key}@example.org"
        person.save()
    return round_open


def committed():
    """The work a request (or a task) leaves for after its commit is carried out at the end,
    as if it had committed: a test runs in one transaction that never does."""
    return TestCase.captureOnCommitCallbacks(execute=True)


def run_worker(monkeypatch):
    """django-tasks-db's own worker, once through every task that is due, in this test's
    transaction (so it must not close the test's connection between tasks)."""
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
    with committed():
        db_worker.Worker(
            queue_names=["default"],
            interval=0,
            batch=True,
            backend_name="default",
            startup_delay=False,
            max_tasks=None,
            worker_id="test-worker",
            excluded_queue_names=[],
        ).run()


def remind(client, cast, department="กองคลัง", **follow):
    """HR presses "email a reminder to everyone in this list"; what commits is carried out."""
    client.force_login(cast.hr)
    with committed():
        return client.post(f"{URL}?department={department}", **follow)


def waiting_tasks():
    return DBTaskResult.objects.filter(task_path=TASK, status="READY")


# ---------------------------------------------------------------- the page only queues


def test_the_page_queues_and_sends_nothing_itself(client, reminded, smtp, database_tasks):
    response = remind(client, reminded, follow=True)

    assert response.status_code == 200
    assert_message(response.content.decode(), *QUEUED_MESSAGE)
    assert smtp.messages == []  # nothing left during the request
    rows = Reminder.objects.all()
    assert rows.count() == 4 and {r.status for r in rows} == {"queued"}
    assert all(r.sent_at is None for r in rows)
    assert waiting_tasks().count() == 1  # one task for the four


def test_nothing_is_queued_for_a_request_that_rolled_back(reminded, database_tasks):
    to_act = dashboard(reminded.cycle).to_act
    with pytest.raises(DatabaseError), transaction.atomic():
        send_reminders(cycle=reminded.cycle, to_act=to_act, by=reminded.hr)
        raise DatabaseError("the request failed after the reminders were recorded")

    assert not Reminder.objects.exists()
    assert not waiting_tasks().exists()


# ---------------------------------------------------------------- sent means accepted


def test_a_reminder_counts_as_sent_once_the_mail_server_accepted_it(client, reminded, smtp):
    before = timezone.now()
    response = remind(client, reminded)  # the task runs at once (the tests' ImmediateBackend)

    assert response.status_code == 302
    assert sorted(m["To"] for m in smtp.messages) == [
        "head@example.org",
        "malee@example.org",
        "palad@example.org",
        "somchai@example.org",
    ]
    somchai = next(m for m in smtp.messages if m["To"] == "somchai@example.org")
    assert somchai["Subject"].strip() == "แจ้งเตือน: การประเมินสมรรถนะรอบ ๒๕๖๙-๑"
    assert "เรียน นายสมชาย ทดสอบ" in somchai.get_content()
    assert "ยังไม่ได้ส่งแบบประเมินตนเอง" in somchai.get_content()
    reminder = Reminder.objects.get(employee=reminded.somchai)
    assert (reminder.status, reminder.attempts, reminder.error) == ("sent", 1, "")
    assert reminder.sent_at >= before


def test_a_message_the_server_refuses_is_not_counted_as_sent(client, reminded, settings):
    with SMTPServer(refuse={"somchai@example.org"}) as server:
        use_mail_server(settings, server.port)
        remind(client, reminded)

    assert "somchai@example.org" not in [m["To"] for m in server.messages]
    assert len(server.messages) == 3  # the others went on the same connection
    refused = Reminder.objects.get(employee=reminded.somchai)
    assert (refused.status, refused.sent_at, refused.error) == ("queued", None, "refused")
    assert "550" in refused.last_error
    assert Reminder.objects.filter(status="sent").count() == 3


def test_a_mail_server_that_never_answers_is_given_up_on_after_the_timeout(
    client, reminded, settings
):
    with SMTPServer(silent=True) as server:
        use_mail_server(settings, server.port)
        settings.EMAIL_TIMEOUT = 1
        response = remind(client, reminded)

    assert response.status_code == 302
    rows = Reminder.objects.all()
    assert {(r.status, r.error) for r in rows} == {("queued", "timeout")}


# ---------------------------------------------------------------- the mail server is down


def test_a_mail_server_that_refuses_connections_leaves_reminders_unsent_and_retryable(
    client, reminded, mail_down, database_tasks, clock, monkeypatch
):
    response = remind(client, reminded, follow=True)
    assert response.status_code == 200  # never a 500
    assert_message(response.content.decode(), *QUEUED_MESSAGE)

    run_worker(monkeypatch)

    rows = list(Reminder.objects.all())
    assert len(rows) == 4
    for reminder in rows:
        assert (reminder.status, reminder.sent_at, reminder.attempts) == ("queued", None, 1)
        assert reminder.error == "connect" and "Connection refused" in reminder.last_error
    # the next try in a minute, by one task
    retry = waiting_tasks().get()
    next_try = {r.next_try_at for r in rows}
    assert next_try == {retry.run_after}
    assert datetime.timedelta(seconds=55) < retry.run_after - timezone.now()
    assert retry.run_after - timezone.now() < datetime.timedelta(seconds=65)
    page = client.get(URL).content.decode()
    assert_message(page, *CANNOT_CONNECT)

    # HR presses again: nobody is queued twice
    response = remind(client, reminded, follow=True)
    assert_message(response.content.decode(), "ไม่ส่งซ้ำ", "not queued again")
    assert Reminder.objects.count() == 4 and waiting_tasks().count() == 1

    # the server is back; a minute later the worker sends them
    with SMTPServer() as server:
        use_mail_server(mail_down, server.port)
        clock.advance(minutes=1, seconds=1)
        run_worker(monkeypatch)

    assert len(server.messages) == 4
    assert {(r.status, r.attempts) for r in Reminder.objects.all()} == {("sent", 2)}
    assert all(r.sent_at is not None for r in Reminder.objects.all())


def test_tries_back_off_and_after_the_last_the_reminder_is_failed_and_shown(
    client, reminded, mail_down, database_tasks, clock, monkeypatch
):
    remind(client, reminded, department="กองช่าง")  # other_head, outsider, palad (rates the head)
    run_worker(monkeypatch)
    waits = []
    for _try in range(MAX_TRIES - 1):
        due = waiting_tasks().get().run_after
        waits.append(round((due - timezone.now()).total_seconds() / 60))
        clock.advance(seconds=(due - timezone.now()).total_seconds() + 1)
        run_worker(monkeypatch)

    assert waits == [1, 5, 25]
    assert not waiting_tasks().exists()  # no try after the last
    rows = Reminder.objects.all()
    assert {(r.status, r.attempts, r.error) for r in rows} == {("failed", MAX_TRIES, "connect")}
    assert all(r.sent_at is None for r in rows)

    client.force_login(reminded.hr)  # half an hour later: signed out meanwhile
    page = client.get(URL).content.decode()
    assert 'data-status="failed"' in page
    assert_message(page, *CANNOT_CONNECT)
    assert reverse("assessments:reminders_retry", args=[reminded.cycle.pk]) in page


def test_the_once_a_day_rule_does_not_block_sending_a_failed_reminder_again(
    client, reminded, mail_down, database_tasks
):
    remind(client, reminded, department="กองช่าง")
    Reminder.objects.update(status="failed", attempts=MAX_TRIES, error="connect")

    response = remind(client, reminded, department="กองช่าง", follow=True)

    assert_message(response.content.decode(), *QUEUED_MESSAGE)
    rows = Reminder.objects.all()  # the failed ones queued again, not beside new ones
    assert rows.count() == 3 and {(r.status, r.attempts, r.error) for r in rows} == {
        ("queued", 0, "")
    }
    assert waiting_tasks().count() == 2


def test_the_retry_button_queues_the_failed_reminders_again(
    client, reminded, mail_down, database_tasks, monkeypatch
):
    remind(client, reminded, department="กองช่าง")
    run_worker(monkeypatch)
    Reminder.objects.update(status="failed", attempts=MAX_TRIES)
    retry_url = reverse("assessments:reminders_retry", args=[reminded.cycle.pk])

    with SMTPServer() as server:
        use_mail_server(mail_down, server.port)
        with committed():
            response = client.post(retry_url, follow=True)
        assert response.status_code == 200
        assert_message(response.content.decode(), *QUEUED_MESSAGE)
        assert {r.status for r in Reminder.objects.all()} == {"queued"}
        run_worker(monkeypatch)

    assert sorted(m["To"] for m in server.messages) == [
        "other_head@example.org",
        "outsider@example.org",
        "palad@example.org",
    ]
    assert {r.status for r in Reminder.objects.all()} == {"sent"}
    assert 'data-status="failed"' not in client.get(URL).content.decode()


def test_hr_never_sees_a_500_when_the_queue_cannot_be_written(
    client, reminded, smtp, database_tasks, monkeypatch
):
    def broken(*args):
        raise DatabaseError("the task table is locked")

    monkeypatch.setattr(DatabaseBackend, "enqueue", broken)
    response = remind(client, reminded)

    assert response.status_code == 302
    assert {r.status for r in Reminder.objects.all()} == {"queued"}  # they wait, shown to HR
    assert 'data-status="queued"' in client.get(URL).content.decode()


# ---------------------------------------------------------------- a worker dies mid-send


def lost_task(reminder_ids, attempts):
    """The task as its dead worker left it: running, its lease silent for ten minutes."""
    ago = timezone.now() - datetime.timedelta(minutes=10)
    result = DBTaskResult.objects.create(
        task_path=TASK,
        args_kwargs={"args": [reminder_ids], "kwargs": {}},
        backend_name="default",
        queue_name="default",
        run_after=ago,
        status="RUNNING",
        started_at=ago,
        worker_ids=["dead-worker"],
    )
    TaskLease.objects.create(
        task_id=str(result.pk), task_path=TASK, worker="dead", attempts=attempts, heartbeat_at=ago
    )
    return result


def claimed_by_a_dead_worker(cast):
    """HR's reminders, as a worker that died while sending them left them."""
    to_act = dashboard(cast.cycle, department="กองช่าง").to_act
    send_reminders(cycle=cast.cycle, to_act=to_act, by=cast.hr)
    later = timezone.now() + datetime.timedelta(minutes=5)
    Reminder.objects.update(attempts=1, next_try_at=later)  # taken for a try
    return list(Reminder.objects.values_list("pk", flat=True))


def test_a_worker_that_dies_mid_send_leaves_the_reminders_queued_and_they_are_sent(
    reminded, smtp, database_tasks, settings, monkeypatch
):
    settings.PORTAL_TASK_MAX_ATTEMPTS = 3
    ids = claimed_by_a_dead_worker(reminded)
    lost_task(ids, attempts=1)

    assert leases.reclaim_stale() == 1

    assert {r.status for r in Reminder.objects.all()} == {"queued"}
    run_worker(monkeypatch)
    assert sorted(m["To"] for m in smtp.messages) == [
        "other_head@example.org",
        "outsider@example.org",
        "palad@example.org",
    ]
    assert {r.status for r in Reminder.objects.all()} == {"sent"}


def test_a_task_whose_worker_died_every_time_fails_its_reminders_with_the_reason(
    client, reminded, database_tasks, settings
):
    settings.PORTAL_TASK_MAX_ATTEMPTS = 3
    ids = claimed_by_a_dead_worker(reminded)
    lost_task(ids, attempts=3)

    assert leases.reclaim_stale() == 1

    assert {(r.status, r.error) for r in Reminder.objects.all()} == {("failed", "worker")}
    client.force_login(reminded.hr)
    assert 'data-status="failed"' in client.get(URL).content.decode()


def test_a_retry_leaves_a_reminder_being_sent_alone(client, reminded, database_tasks):
    """HR presses "try again" while a task is sending: the reminder is not made due a second
    time, so it is never sent twice."""
    remind(client, reminded)
    being_sent = Reminder.objects.filter(status="queued").first()
    later = timezone.now() + datetime.timedelta(minutes=2)
    Reminder.objects.filter(pk=being_sent.pk).update(
        attempts=1, next_try_at=later, claimed_until=later
    )

    retry_reminders(cycle=reminded.cycle, by=reminded.hr)

    assert Reminder.objects.get(pk=being_sent.pk).next_try_at == later
