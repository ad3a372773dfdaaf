"""The round dashboard for HR: where every assessment stands, who still has to act, reminders.

Reads take a fixed number of queries whatever the number of people. A reminder goes to the
person who has to act (the employee, or the rater), at most once a day per person.
"""

from collections import Counter
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from assessments.models import STAGES, Assessment, Reminder, Track
from framework.templatetags.thai import be_date, thai_digits

SORTS = {
    "name": lambda row: (row.assessment.employee.first_name, row.assessment.employee.last_name),
    "department": lambda row: (row.assessment.department_name, row.assessment.employee.first_name),
    "step": lambda row: (row.step, row.assessment.department_name),
    "actor": lambda row: (row.actor.first_name if row.actor else "", row.step),
}


@dataclass
class ToAct:
    """One step that someone still has to take on one assessment."""

    assessment: Assessment
    step: str
    actor: object  # the Employee who must act, or None when nobody can (no rater)
    reminded_today: bool = False

    @property
    def step_label(self):
        return Reminder.Step(self.step).label


@dataclass
class Dashboard:
    cycle: object
    total: int
    stages: list  # (code, label, count)
    departments: list  # (name, {stage: count}, total)
    to_act: list
    department_names: list = field(default_factory=list)


def pending_steps(assessment):
    """(step, who must act) for what this assessment is waiting for."""
    steps = []
    if assessment.self_state != Track.SUBMITTED:
        steps.append((Reminder.Step.SELF, assessment.employee))
    if assessment.supervisor_state != Track.SUBMITTED:
        steps.append((Reminder.Step.SUPERVISOR, assessment.supervisor))
    elif not assessment.acknowledgement_recorded:
        steps.append((Reminder.Step.ACKNOWLEDGE, assessment.employee))
    elif assessment.reviewer_id and not assessment.is_reviewed:
        steps.append((Reminder.Step.REVIEW, assessment.reviewer))
    elif not assessment.is_finalized:
        steps.append((Reminder.Step.FINALIZE, None))  # HR's own step: nobody to email
    return steps


def dashboard(cycle, department="", step="", sort="department"):
    """Everything the dashboard shows, filtered and sorted; three queries."""
    rows = list(
        Assessment.objects.filter(cycle=cycle)
        .select_related("employee", "supervisor", "reviewer")
        .order_by("department_name", "employee__first_name")
    )
    reminded = set(
        Reminder.objects.filter(cycle=cycle, sent_on=timezone.localdate()).values_list(
            "employee_id", flat=True
        )
    )
    stage_counts = Counter(a.stage for a in rows)
    by_department = {}
    for a in rows:
        by_department.setdefault(a.department_name, Counter())[a.stage] += 1
    to_act = [
        ToAct(a, code, actor, bool(actor and actor.pk in reminded))
        for a in rows
        if not department or a.department_name == department
        for code, actor in pending_steps(a)
        if not step or code == step
    ]
    to_act.sort(key=SORTS.get(sort, SORTS["department"]))
    return Dashboard(
        cycle=cycle,
        total=len(rows),
        stages=[(code, label, stage_counts.get(code, 0)) for code, label in STAGES],
        departments=[
            (name, counts, sum(counts.values())) for name, counts in sorted(by_department.items())
        ],
        to_act=to_act,
        department_names=sorted(by_department),
    )


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
