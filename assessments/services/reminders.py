"""Reminders by email, sent in the background.

HR asks (`send_reminders`): each person who still has to act on a round gets one reminder
listing all their steps. The request only records a queued `Reminder` per person and, once its
transaction has committed, enqueues one task (`assessments.tasks.deliver_reminders_task`): the
page answers at once, whatever the mail server does, and nothing is queued for a request that
rolled back.

The task (`deliver`) sends each due queued reminder through Django's mail backend (waiting at
most EMAIL_TIMEOUT seconds for the server) and marks it sent only when the server accepted it.
A try that fails (no connection, no answer in time, a refusal) records the reason and is tried
again after 1, 5 and 25 minutes; after the MAX_TRIES-th try the reminder is failed. HR's
dashboard lists failed and waiting reminders with the reason, and `retry_reminders` queues them
again at once.

Once a day: nobody gets a second reminder on a day they already have a queued or sent one, nor
while one still waits for its next try; failed reminders do not count, so HR may send them
again the same day (the database enforces the day's part: `reminder_once_a_day`).

A worker that dies while sending leaves its reminders queued; the task is started again and
tries them at once (`requeue_lost`, registered in tasks.py with `leases.on_lost`). A message the
server accepted just before its worker died may then be sent twice: at least once, never lost.
"""

import contextlib
import datetime
import logging
import smtplib
from collections import Counter
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from assessments.models import Assessment, Reminder
from assessments.selectors.dashboard import ToAct, pending_steps
from assessments.services import leases
from competency_portal.lib.thai import be_date, thai_digits

logger = logging.getLogger(__name__)

MAX_TRIES = 4  # the first try and three more, after FIRST_DELAY × BACKOFF ** (try - 1)
FIRST_DELAY = datetime.timedelta(minutes=1)
BACKOFF = 5
# What a mail server that is down, slow or refusing raises (SMTPException and socket timeouts
# are OSErrors too).
MAIL_ERRORS = (smtplib.SMTPException, OSError)
QUEUED, SENT, FAILED = Reminder.Status.QUEUED, Reminder.Status.SENT, Reminder.Status.FAILED


@dataclass
class ReminderReport:
    queued: list = field(default_factory=list)  # names
    already_today: list = field(default_factory=list)
    no_email: list = field(default_factory=list)


# ---------------------------------------------------------------- HR asks


def send_reminders(*, cycle, to_act, by):
    """Queue one reminder for each person in `to_act` who has to act, listing ALL their steps
    in the round (not only those a filter showed); never twice in a day."""
    people = {row.actor.pk for row in to_act if row.actor is not None}
    return _queue_people(cycle, people, by)


def retry_reminders(*, cycle, by):
    """Try again at once every reminder of the round that failed or still waits (for its next
    try, or for a worker), for the people who still have a step to take."""
    undelivered = list(Reminder.objects.filter(cycle=cycle, status__in=[FAILED, QUEUED]))
    waiting = {r.pk: r.employee_id for r in undelivered if r.status == QUEUED}
    failed = {r.employee_id for r in undelivered if r.status == FAILED} - set(waiting.values())
    with transaction.atomic():
        now = timezone.now()
        not_being_sent = Q(claimed_until__isnull=True) | Q(claimed_until__lt=now)
        Reminder.objects.filter(not_being_sent, pk__in=waiting, status=QUEUED).update(
            next_try_at=now
        )
        _enqueue(list(waiting))
        report = _queue_people(cycle, failed, by)
    pending = _pending(cycle, set(waiting.values()))
    report.queued[:0] = [person.full_name for person in pending]
    return report


def _queue_people(cycle, people, by):
    steps_by_person = _pending(cycle, people)
    report = ReminderReport()
    today = timezone.localdate()
    busy = set(
        Reminder.objects.filter(employee__in=list(steps_by_person))
        .filter(Q(sent_on=today, status__in=[QUEUED, SENT]) | Q(cycle=cycle, status=QUEUED))
        .values_list("employee_id", flat=True)
    )
    queued = []
    with transaction.atomic():
        for person, rows in steps_by_person.items():
            if person.pk in busy:
                report.already_today.append(person.full_name)
            elif not person.email:
                report.no_email.append(person.full_name)
            elif reminder := _queue(cycle, person, rows, by, today):
                report.queued.append(person.full_name)
                queued.append(reminder.pk)
            else:  # someone else queued this person's reminder a moment ago
                report.already_today.append(person.full_name)
        _enqueue(queued)
    return report


def _queue(cycle, person, rows, by, today):
    """This person's reminder, queued now, or None when the day's one exists already. A failed
    reminder of the round is queued again rather than kept beside a new one."""
    now = timezone.now()
    fields = {
        "sent_on": today,
        "sent_by": by,
        "steps": sorted({row.step for row in rows}),
        "status": QUEUED,
        "queued_at": now,
        "next_try_at": now,
        "sent_at": None,
        "attempts": 0,
        "error": "",
        "last_error": "",
    }
    try:
        with transaction.atomic():
            failed = Reminder.objects.filter(cycle=cycle, employee=person, status=FAILED).first()
            if failed is None:
                return Reminder.objects.create(cycle=cycle, employee=person, **fields)
            for name, value in fields.items():
                setattr(failed, name, value)
            failed.save()
            return failed
    except IntegrityError:
        return None


def _enqueue(reminder_ids, run_after=None):
    """Once the transaction has committed, a task to send these reminders (at `run_after`).
    A queue that cannot be written is logged: the reminders stay queued and HR sees them wait."""
    if not reminder_ids:
        return

    def enqueue():
        from assessments.tasks import deliver_reminders_task

        task = deliver_reminders_task
        if run_after is not None:
            if not task.get_backend().supports_defer:
                logger.warning(
                    "The task backend cannot run a task later: reminders %s wait for HR to "
                    "try them again",
                    reminder_ids,
                )
                return
            task = task.using(run_after=run_after)
        try:
            task.enqueue(reminder_ids)
        except Exception:  # the request has committed: never a 500 for the queue
            logger.exception("Reminders %s could not be queued for sending", reminder_ids)

    transaction.on_commit(enqueue)


# ---------------------------------------------------------------- the task


def deliver(reminder_ids):
    """Send the queued reminders among `reminder_ids` that are due, over one connection, and
    schedule the next try of those that failed. Returns how many were sent, will be tried again,
    failed and were dropped (nothing left to remind of)."""
    now = timezone.now()
    due = list(
        Reminder.objects.filter(pk__in=reminder_ids, status=QUEUED, next_try_at__lte=now)
        .select_related("cycle")
        .order_by("pk")
    )
    outcome = Counter()
    messages = []
    for cycle in {reminder.cycle for reminder in due}:
        mine = [reminder for reminder in due if reminder.cycle == cycle]
        pending = {
            person.pk: (person, rows)
            for person, rows in _pending(cycle, {r.employee_id for r in mine}).items()
        }
        for reminder in mine:
            person, rows = pending.get(reminder.employee_id, (None, None))
            if person is None or not person.email:
                logger.info("Reminder %s dropped: nothing left to remind of", reminder.pk)
                Reminder.objects.filter(pk=reminder.pk, status=QUEUED).delete()
                outcome["dropped"] += 1
            else:
                messages.append((reminder, rows, _reminder_email(person, rows, cycle)))
    if messages:
        _send_all(messages, outcome)
    return dict(outcome)


def _send_all(messages, outcome):
    connection = get_connection()
    down = None  # the error that says the server cannot be reached: the rest wait too
    try:
        connection.open()
    except MAIL_ERRORS as error:
        down = error
        logger.warning("Cannot reach the mail server (%s)", _detail(error), exc_info=True)
    retries = {}
    try:
        for reminder, rows, email in messages:
            if not _claim(reminder):
                continue  # another task has it
            if down is not None:
                _failed_try(reminder, down, outcome, retries)
                continue
            try:
                accepted = connection.send_messages([email])
            except MAIL_ERRORS as error:
                logger.warning(
                    "The reminder %s was not sent (%s)", reminder.pk, _detail(error), exc_info=True
                )
                _failed_try(reminder, error, outcome, retries)
                if _kind(error) in (Reminder.Error.CONNECT, Reminder.Error.TIMEOUT):
                    down = error
                _close(connection)
            else:
                if accepted:
                    _sent(reminder, rows, outcome)
                else:
                    _failed_try(reminder, smtplib.SMTPException(), outcome, retries)
    finally:
        _close(connection)
    for run_after, ids in retries.items():
        _enqueue(ids, run_after=run_after)


def _claim(reminder):
    """Take this reminder for one try, unless another task took it first. It is not due again
    before the try has surely ended, unless its worker dies (`requeue_lost`)."""
    now = timezone.now()
    timeout = settings.EMAIL_TIMEOUT or 10  # None in Django's own defaults: no limit
    hold = datetime.timedelta(seconds=max(leases.lease_seconds(), 6 * timeout))
    taken = Reminder.objects.filter(
        pk=reminder.pk, status=QUEUED, attempts=reminder.attempts, next_try_at__lte=now
    ).update(attempts=F("attempts") + 1, next_try_at=now + hold, claimed_until=now + hold)
    reminder.attempts += 1
    return taken == 1


def _ours(reminder):
    """The reminder as this try claimed it: a later try's outcome is never overwritten."""
    return Reminder.objects.filter(pk=reminder.pk, attempts=reminder.attempts)


def _sent(reminder, rows, outcome):
    _ours(reminder).update(
        claimed_until=None,
        status=SENT,
        sent_at=timezone.now(),
        steps=sorted({row.step for row in rows}),
        error="",
        last_error="",
    )
    outcome["sent"] += 1


def _failed_try(reminder, error, outcome, retries):
    """Record why this try failed; the next try is scheduled, or after the last the reminder
    is failed."""
    fields = {"error": _kind(error), "last_error": _detail(error)}
    if reminder.attempts >= MAX_TRIES:
        logger.error(
            "The reminder %s was not sent after %d tries: %s",
            reminder.pk,
            reminder.attempts,
            fields["last_error"],
        )
        fields["status"] = FAILED
        outcome["failed"] += 1
    else:
        delay = FIRST_DELAY * BACKOFF ** (reminder.attempts - 1)
        fields["next_try_at"] = next_try = _whole_second(timezone.now() + delay)
        retries.setdefault(next_try, []).append(reminder.pk)
        outcome["retry"] += 1
    _ours(reminder).update(claimed_until=None, **fields)


def _whole_second(moment):
    """Tries failed together are tried again together, by one task."""
    return moment.replace(microsecond=0) + datetime.timedelta(seconds=1)


def _close(connection):
    with contextlib.suppress(*MAIL_ERRORS):  # a broken connection has nothing left to close
        connection.close()


def _kind(error):
    """Which of Reminder.Error this failure is (what HR is shown)."""
    if isinstance(error, smtplib.SMTPAuthenticationError):
        return Reminder.Error.LOGIN
    if isinstance(error, TimeoutError) or isinstance(error.__context__, TimeoutError):
        return Reminder.Error.TIMEOUT  # smtplib says "disconnected" when an answer timed out
    if isinstance(error, smtplib.SMTPServerDisconnected | smtplib.SMTPConnectError):
        return Reminder.Error.CONNECT
    if isinstance(error, smtplib.SMTPException):
        return Reminder.Error.REFUSED
    return Reminder.Error.CONNECT


def _detail(error):
    """A short technical reason for the log and the admin: the error's kind and the server's
    code and words, never the password."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = sorted({code for code, _words in error.recipients.values()})
        text = f"recipient refused ({', '.join(map(str, codes))})"
    elif isinstance(error, smtplib.SMTPResponseException):
        words = error.smtp_error
        words = words.decode("utf-8", "replace") if isinstance(words, bytes) else str(words)
        text = f"{error.smtp_code} {words}"
    else:
        text = str(error) or "not accepted"
    detail = " ".join(f"{type(error).__name__}: {text}".split())
    if settings.EMAIL_HOST_PASSWORD:
        detail = detail.replace(settings.EMAIL_HOST_PASSWORD, "***")
    return detail[:200]


# ---------------------------------------------------------------- when a worker dies


def requeue_lost(reminder_ids, *, attempt):
    """The task is started again after its worker died: what that worker had not sent is due
    at once."""
    Reminder.objects.filter(pk__in=reminder_ids, status=QUEUED).update(
        next_try_at=timezone.now(), claimed_until=None
    )


def abandon_lost(reminder_ids, *, attempts):
    """The worker died on every try of the task: its reminders are failed, for HR to retry."""
    Reminder.objects.filter(pk__in=reminder_ids, status=QUEUED).update(
        status=FAILED,
        error=Reminder.Error.WORKER,
        last_error=f"WorkerLost: the worker stopped during each of {attempts} tries",
    )


# ---------------------------------------------------------------- the message


def _pending(cycle, people):
    """{person: [ToAct]} for each of these people (Employee pks) who still has a step to take
    in the round, as the dashboard lists them; two queries."""
    if not people:
        return {}
    found = {}
    people = set(people)
    # pending_steps names the employee, the rater or the reviewer: only assessments where one
    # of these people is one of them can name them
    theirs = Q(employee__in=people) | Q(supervisor__in=people) | Q(reviewer__in=people)
    assessments = (
        Assessment.objects.filter(theirs, cycle=cycle)
        .select_related("employee", "supervisor", "reviewer")
        .order_by("department_name", "employee__first_name")
    )
    for assessment in assessments:
        for code, actor in pending_steps(assessment):
            if actor is not None and actor.pk in people:
                found.setdefault(actor, []).append(ToAct(assessment, code, actor))
    return found


def _reminder_email(person, rows, cycle):
    """A short Thai email: what is waiting, and where to do it."""
    with translation.override("th"):
        code = thai_digits(cycle.code)
        lines = [
            _("Dear %(name)s,") % {"name": person.full_name},
            "",
            _("The competency appraisal round %(code)s (until %(end)s) is waiting for you:")
            % {"code": code, "end": be_date(cycle.end_date)},
        ]
        for row in rows:
            target = row.assessment.employee
            lines.append(
                f"- {row.step_label}"
                if target == person
                else f"- {row.step_label}: {target.full_name}"
            )
        link = settings.PORTAL_URL.rstrip("/") + reverse("home")
        lines += ["", _("Please log in to the portal: %(link)s") % {"link": link}]
        lines += ["", settings.PORTAL_ORGANISATION]
        subject = _("Reminder: competency appraisal %(code)s") % {"code": code}
    return EmailMessage(subject, "\n".join(lines), to=[person.email])
