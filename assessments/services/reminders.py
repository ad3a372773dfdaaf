"""Reminders by email: each person who still has to act on a round gets one message listing
their steps, at most once a day. A message the mail server does not take is logged, its record
removed (so that HR may send it again the same day) and named in the report."""

import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from assessments.models import Reminder
from assessments.selectors.dashboard import dashboard
from competency_portal.lib.thai import be_date, thai_digits

logger = logging.getLogger(__name__)


@dataclass
class ReminderReport:
    sent: list = field(default_factory=list)  # names
    already_today: list = field(default_factory=list)
    no_email: list = field(default_factory=list)
    not_sent: list = field(default_factory=list)  # the mail server did not take them


def send_reminders(*, cycle, to_act, by):
    """Email each person in `to_act` who has to act, once, listing ALL their steps in the
    round (not only those a filter showed); never twice in a day."""
    people = {row.actor.pk for row in to_act if row.actor is not None}
    steps_by_person = {}
    for row in dashboard(cycle).to_act:
        if row.actor is not None and row.actor.pk in people:
            steps_by_person.setdefault(row.actor, []).append(row)
    report = ReminderReport()
    today = timezone.localdate()
    already = set(
        Reminder.objects.filter(employee__in=list(steps_by_person), sent_on=today).values_list(
            "employee_id", flat=True
        )
    )
    messages = []
    for person, rows in steps_by_person.items():
        if person.pk in already:
            report.already_today.append(person.full_name)
        elif not person.email:
            report.no_email.append(person.full_name)
        else:
            messages.append((person, rows, _reminder_email(person, rows, cycle)))
    with transaction.atomic():
        recorded = [
            (person, reminder, email)
            for person, rows, email in messages
            if (reminder := _record_reminder(cycle, person, rows, by, today, report))
        ]
        # Mail leaves only once the reminders are recorded.
        transaction.on_commit(lambda: _send(recorded, report))
    return report


def _record_reminder(cycle, person, rows, by, today, report):
    """This person's reminder, recorded now (and to be sent), or None."""
    try:
        with transaction.atomic():
            reminder = Reminder.objects.create(
                cycle=cycle,
                employee=person,
                sent_on=today,
                sent_by=by,
                steps=sorted({row.step for row in rows}),
            )
    except IntegrityError:  # someone else reminded this person a moment ago
        report.already_today.append(person.full_name)
        return None
    report.sent.append(person.full_name)
    return reminder


def _send(recorded, report):
    """Send each recorded reminder over one connection. What the mail server does not take is
    logged with its traceback, its record removed, and moved from `sent` to `not_sent`."""
    if not recorded:
        return
    connection = get_connection()
    try:
        connection.open()
    except Exception:
        logger.exception("Cannot reach the mail server: %d reminders not sent", len(recorded))
        for person, reminder, _email in recorded:
            _not_sent(person, reminder, report)
        return
    try:
        for person, reminder, email in recorded:
            try:
                connection.send_messages([email])
            except Exception:
                logger.exception("The reminder to %s was not sent", person.employee_code)
                _not_sent(person, reminder, report)
    finally:
        connection.close()


def _not_sent(person, reminder, report):
    Reminder.objects.filter(pk=reminder.pk).delete()
    report.sent.remove(person.full_name)
    report.not_sent.append(person.full_name)


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
