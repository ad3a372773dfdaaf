"""The round dashboard for HR: where every assessment stands and who still has to act.

Reads take a fixed number of queries whatever the number of people.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field, fields

from django.db.models import ExpressionWrapper, IntegerField, Q
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


@dataclass(slots=True, frozen=True)
class State:
    """What an assessment's stage and pending steps are worked out from: the model's own rules
    (the same properties), applied once to each distinct state of the round, not to each of
    5,000 assessments."""

    self_state: str
    supervisor_state: str
    acknowledgement: str
    reviewer_id: bool  # whether there is a reviewer: the rules ask no more of it
    reviewed_at: bool
    finalized_at: bool

    Acknowledgement = Assessment.Acknowledgement
    is_finalized = property(lambda self: self.finalized_at)
    is_reviewed = property(lambda self: self.reviewed_at)
    acknowledgement_recorded = Assessment.acknowledgement_recorded
    stage = Assessment.stage


@dataclass(slots=True)
class Listed:
    """An assessment as the list of steps names it."""

    pk: int
    department_name: str
    employee: Person


# What the dashboard reads of each assessment of the round: values, one row each (model
# instances for 5,000 assessments and their people were most of the page's time).
ROW = (
    "pk",
    "department_name",
    "employee_id",
    "employee__first_name",
    "employee__last_name",
    "supervisor_id",
    "reviewer_id",
    "self_state",
    "supervisor_state",
    "acknowledgement",
    "reviewed",
    "finalized",
)
PERSON_FIELDS = ["id", *(field.name for field in fields(Person) if field.name != "pk")]
# who takes each step: the person, the rater, the reviewer; HR finalises (nobody to email)
ACTOR = {
    "self": "employee",
    "supervisor": "supervisor",
    "acknowledge": "employee",
    "review": "reviewer",
    "finalize": None,
}


def _round_values(cycle):
    """(pk, division, employee id, first name, last name, rater id, reviewer id, stage, pending
    steps) of every assessment of `cycle`, in the round's order; one query."""
    query = (
        Assessment.objects.filter(cycle=cycle)
        .annotate(reviewed=_is_set("reviewed_at"), finalized=_is_set("finalized_at"))
        .order_by(*ROUND_ORDER)
        .values_list(*ROW)
    )
    rules = {}  # the rules applied once to each distinct state: (stage, pending steps)
    for values in query:
        key = (*values[7:10], values[6] is not None, *values[10:])
        if key not in rules:
            state = State(*key)
            rules[key] = (state.stage, tuple(pending_codes(state)))
        yield (*values[:7], *rules[key])


def _is_set(name):
    """1 when the field has a value, else 0 (an integer: no converter for each of 5,000 rows)."""
    return ExpressionWrapper(Q(**{f"{name}__isnull": False}), output_field=IntegerField())


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
    to_act: object  # Steps: a sequence of ToAct
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


def pending_codes(assessment):
    """The steps this assessment is waiting for, in order (an Assessment or a State)."""
    if assessment.self_state != Track.SUBMITTED:
        yield Reminder.Step.SELF
    if assessment.supervisor_state != Track.SUBMITTED:
        yield Reminder.Step.SUPERVISOR
    elif not assessment.acknowledgement_recorded:
        yield Reminder.Step.ACKNOWLEDGE
    elif assessment.reviewer_id and not assessment.is_reviewed:
        yield Reminder.Step.REVIEW
    elif not assessment.is_finalized:
        yield Reminder.Step.FINALIZE  # HR's own step: nobody to email


def pending_steps(assessment):
    """(step, who must act) for what this assessment is waiting for."""
    return [
        (code, getattr(assessment, ACTOR[code]) if ACTOR[code] else None)
        for code in pending_codes(assessment)
    ]


class Steps:
    """The steps still to take, sorted; a sequence that makes the ToAct rows of the part read
    (a page: two queries), so that a round of 5,000 people costs tuples, not objects.
    `entries`: (assessment pk, division, employee id, step, actor id)."""

    def __init__(self, entries, reminded):
        self.entries = entries
        self.reminded = reminded

    def __len__(self):
        return len(self.entries)

    def __iter__(self):
        for start in range(0, len(self.entries), 500):
            yield from self[start : start + 500]

    def __getitem__(self, index):
        if isinstance(index, slice):
            return self._rows(self.entries[index])
        return self._rows([self.entries[index]])[0]

    def _rows(self, part):
        ids = {pk for entry in part for pk in (entry[2], entry[4]) if pk}
        people = {values[0]: Person(*values) for values in _people(ids)}
        live = (Reminder.Status.QUEUED, Reminder.Status.SENT)
        rows = []
        for pk, division, employee, code, actor_id in part:
            actor = people.get(actor_id)
            reminder = self.reminded.get(actor_id, "") if actor else ""
            listed = Listed(pk, division, people[employee])
            rows.append(ToAct(listed, code, actor, reminder in live, reminder))
        return rows


def _people(ids):
    return Employee.objects.filter(pk__in=ids).values_list(*PERSON_FIELDS) if ids else []


def dashboard(cycle, department="", step="", sort="department"):
    """Everything the dashboard shows, filtered and sorted; a fixed number of queries (the
    rows of a page of steps, and the results of a page of people, are read apart)."""
    today = timezone.localdate()
    reminders = list(
        Reminder.objects.filter(cycle=cycle)
        .filter(Q(sent_on=today) | Q(status__in=[Reminder.Status.QUEUED, Reminder.Status.FAILED]))
        .select_related("employee")
        .order_by("queued_at")
    )
    reminded = {r.employee_id: r.status for r in reminders if r.sent_on == today}  # the latest
    by_department, every_step, entries, result_ids = defaultdict(Counter), [], [], []
    for pk, division, employee, first, last, rater, reviewer, stage, codes in _round_values(cycle):
        by_department[division][stage] += 1
        ids = {"employee": employee, "supervisor": rater, "reviewer": reviewer, None: None}
        shown = not department or division == department
        if shown:
            result_ids.append(pk)
        for code in codes:
            actor = ids[ACTOR[code]]
            every_step.append(actor)
            if shown and (not step or code == step):
                entries.append((pk, division, employee, code, actor, first, last))
    stage_counts = sum(by_department.values(), Counter())
    return Dashboard(
        cycle=cycle,
        total=stage_counts.total(),
        stages=[(code, label, stage_counts.get(code, 0)) for code, label in STAGES],
        departments=[
            (name, [counts.get(code, 0) for code, _label in STAGES], sum(counts.values()))
            for name, counts in sorted(by_department.items())
        ],
        to_act=Steps(_sorted(entries, sort), reminded),
        department_names=sorted(by_department),
        result_ids=result_ids,
        competency_codes=_codes(cycle),
        undelivered=_undelivered(reminders, set(every_step)),
        without_agreement=_without_agreement(cycle, department),
    )


def _sorted(entries, sort):
    """The entries in the order `sort` names (stable: the round's order within), without their
    names: (assessment pk, division, employee id, step, actor id)."""
    if sort == "actor":
        actors = {entry[4] for entry in entries if entry[4]}
        names = dict(Employee.objects.filter(pk__in=actors).values_list("pk", "first_name"))
        key = lambda entry: (names.get(entry[4], ""), entry[3])  # noqa: E731
    elif sort == "name":
        key = lambda entry: (entry[5], entry[6])  # noqa: E731
    elif sort == "step":
        key = lambda entry: (entry[3], entry[1])  # noqa: E731
    else:  # the division, then the person
        key = lambda entry: (entry[1], entry[5])  # noqa: E731
    return [entry[:5] for entry in sorted(entries, key=key)]


def _without_agreement(cycle, department):
    """The people (in `department`, when given) with no work-results indicator yet, in a round
    that scores by them, in the round's order (one query); None otherwise."""
    if cycle.work_results_method != Cycle.WorkResultsMethod.INDICATORS:
        return None
    query = Assessment.objects.filter(cycle=cycle).exclude(
        pk__in=WorkIndicator.objects.filter(assessment__cycle=cycle).values("assessment_id")
    )
    if department:
        query = query.filter(department_name=department)
    people = query.order_by(*ROUND_ORDER).values_list(*(f"employee__{f}" for f in PERSON_FIELDS))
    return [Person(*values) for values in people]


def _undelivered(reminders, actors):
    """The newest failed or queued reminder of each person who still has a step to take
    (`actors`: their Employee pks)."""
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
