"""Reminders by email: each person who still has to act on a round gets one message listing
their steps, at most once a day."""

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


@dataclass
class ReminderReport:
    sent: list = field(default_factory=list)  # names
    already_today: list = field(default_factory=list)
    no_email: list = field(default_factory=list)


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
        emails = [
            email
            for person, rows, email in messages
            if _record_reminder(cycle, person, rows, by, today, report)
        ]
        # Mail leaves only once the reminders are recorded.
        transaction.on_commit(lambda: get_connection().send_messages(emails))
    return report


def _record_reminder(cycle, person, rows, by, today, report):
    """True when this person's reminder is recorded now (and may be sent)."""
    try:
        with transaction.atomic():
            Reminder.objects.create(
                cycle=cycle,
                employee=person,
                sent_on=today,
                sent_by=by,
                steps=sorted({row.step for row in rows}),
            )
    except IntegrityError:  # someone else reminded this person a moment ago
        report.already_today.append(person.full_name)
        return False
    report.sent.append(person.full_name)
    return True


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
