"""The round dashboard for HR: where every assessment stands and who still has to act.

Reads take a fixed number of queries whatever the number of people.
"""

from collections import Counter
from dataclasses import dataclass, field, fields

from django.db.models import Q
from django.utils import timezone

from assessments.models import (
    STAGES,
    Assessment,
    Cycle,
    Employee,
    Reminder,
    Track,
    WorkIndicator,
)
from assessments.selectors.results import ROUND_ORDER, load_results
from framework.selectors import competency_codes

SORTS = {
    "name": lambda row: (row.assessment.employee.first_name, row.assessment.employee.last_name),
    "department": lambda row: (row.assessment.department_name, row.assessment.employee.first_name),
    "step": lambda row: (row.step, row.assessment.department_name),
    "actor": lambda row: (row.actor.first_name if row.actor else "", row.step),
}


@dataclass(slots=True, eq=False)
class Person:
    """An employee as the dashboard names them: equal to that Employee, and to itself."""

    pk: int
    title: str
    first_name: str
    last_name: str
    email: str

    full_name = Employee.full_name

    def __eq__(self, other):
        if not isinstance(other, Person | Employee):
            return NotImplemented
        return self.pk == other.pk

    def __hash__(self):
        return hash(self.pk)  # as Django hashes the Employee it equals


@dataclass(slots=True)
class RoundRow:
    """One assessment of the round as the dashboard counts, sorts and lists it, read as values:
    a model instance for each of 1,000 assessments and their three people was half the page's
    time. Its stage and pending steps are the model's own rules (the same properties)."""

    pk: int
    department_name: str
    self_state: str
    supervisor_state: str
    acknowledgement: str
    reviewer_id: int | None
    reviewed_at: object
    finalized_at: object
    employee: Person
    supervisor: Person | None
    reviewer: Person | None

    Acknowledgement = Assessment.Acknowledgement
    is_finalized = Assessment.is_finalized
    is_reviewed = Assessment.is_reviewed
    acknowledgement_recorded = Assessment.acknowledgement_recorded
    stage = Assessment.stage


PEOPLE = ("employee", "supervisor", "reviewer")
STATE_FIELDS = [field.name for field in fields(RoundRow) if field.name not in PEOPLE]
PERSON_FIELDS = ["id", *(field.name for field in fields(Person) if field.name != "pk")]


def round_rows(cycle):
    """[RoundRow] of every assessment of `cycle`, in the round's order; two queries: the
    assessments with their person (joined already for the order), then their raters and
    reviewers (a few: the heads rate up to 40 people each)."""
    query = Assessment.objects.filter(cycle=cycle).order_by(*ROUND_ORDER)
    employee = [f"employee__{name}" for name in PERSON_FIELDS]
    raters = ("supervisor_id", "reviewer_id")
    states = list(query.values_list(*STATE_FIELDS, *employee, *raters))
    width, person = len(STATE_FIELDS), len(PERSON_FIELDS)
    ids = Q()
    for name in raters:
        ids |= Q(pk__in=Assessment.objects.filter(cycle=cycle).values(name))
    found = Employee.objects.filter(ids).values_list(*PERSON_FIELDS)
    people = {values[0]: Person(*values) for values in found}
    return [
        RoundRow(
            *values[:width],
            Person(*values[width : width + person]),
            *(people.get(pk) for pk in values[width + person :]),
        )
        for values in states
    ]


@dataclass
class ToAct:
    """One step that someone still has to take on one assessment."""

    assessment: Assessment
    step: str
    actor: object  # the Employee who must act, or None when nobody can (no rater)
    reminded_today: bool = False  # a reminder queued or sent today
    reminder: str = ""  # the status of today's reminder (Reminder.Status), if any

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
    # the assessments of the division shown, in the results' order: the page shows the
    # results of a page of them (results_for), never scores the whole round
    result_ids: list = field(default_factory=list)
    competency_codes: list = field(default_factory=list)
    # [Reminder] not delivered: failed, or queued (waiting for a worker or for their next
    # try), of people who still have a step to take; failed first
    undelivered: list = field(default_factory=list)
    # in a round whose work results come from the agreed indicators: [Person] of the division
    # shown who have no agreement yet (None in a round of typed percentages)
    without_agreement: list | None = None


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
    """Everything the dashboard shows, filtered and sorted; four queries (the results of a
    page of them are read apart, results_for)."""
    today = timezone.localdate()
    rows = round_rows(cycle)
    reminders = list(
        Reminder.objects.filter(cycle=cycle)
        .filter(Q(sent_on=today) | Q(status__in=[Reminder.Status.QUEUED, Reminder.Status.FAILED]))
        .select_related("employee")
        .order_by("queued_at")
    )
    reminded = {r.employee_id: r.status for r in reminders if r.sent_on == today}  # the latest
    stage_counts = Counter()
    by_department = {}
    for a in rows:
        stage = a.stage
        stage_counts[stage] += 1
        by_department.setdefault(a.department_name, Counter())[stage] += 1
    steps = {a.pk: pending_steps(a) for a in rows}
    live = (Reminder.Status.QUEUED, Reminder.Status.SENT)
    to_act = [
        ToAct(
            a,
            code,
            actor,
            bool(actor and reminded.get(actor.pk) in live),
            reminded.get(actor.pk, "") if actor else "",
        )
        for a in rows
        if not department or a.department_name == department
        for code, actor in steps[a.pk]
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
        result_ids=[a.pk for a in rows if not department or a.department_name == department],
        competency_codes=_codes(cycle),
        undelivered=_undelivered(reminders, steps),
        without_agreement=_without_agreement(cycle, rows, department),
    )


def _without_agreement(cycle, rows, department):
    """The people of `rows` (in `department`, when given) with no work-results indicator yet,
    in a round that scores by them (one query); None otherwise."""
    if cycle.work_results_method != Cycle.WorkResultsMethod.INDICATORS:
        return None
    agreed = set(
        WorkIndicator.objects.filter(assessment__cycle=cycle).values_list(
            "assessment_id", flat=True
        )
    )
    return [
        row.employee
        for row in rows
        if row.pk not in agreed and (not department or row.department_name == department)
    ]


def _undelivered(reminders, steps):
    """The newest failed or queued reminder of each person who still has a step to take
    (`steps`: {assessment id: pending_steps})."""
    actors = {actor.pk for pending in steps.values() for _code, actor in pending if actor}
    newest = {}
    for reminder in reminders:  # oldest first: the newest stays
        newest[reminder.employee_id] = reminder
    undelivered = [
        r for r in newest.values() if r.employee_id in actors and r.status != Reminder.Status.SENT
    ]
    failed_first = {Reminder.Status.FAILED: 0, Reminder.Status.QUEUED: 1}
    undelivered.sort(key=lambda r: (failed_first[r.status], r.employee.first_name))
    return undelivered


def results_for(cycle, ids):
    """The results of the assessments `ids` of `cycle`, in the round's order (five queries)."""
    if not ids or cycle.framework_id is None:
        return []
    people, _shapes = load_results(
        frameworks=[cycle.framework], order_by=ROUND_ORDER, cycle=cycle, pk__in=list(ids)
    )
    return people


def _codes(cycle):
    return competency_codes(cycle.framework) if cycle.framework_id else []
