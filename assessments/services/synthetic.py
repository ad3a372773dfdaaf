"""A deterministic organisation of any size for benchmarks (`manage.py seed_synthetic`): a chief,
division heads, heads who rate up to 40 people each, every position class, and an open round
with assessments in every stage, written in bulk. The same `people` and `seed` give the same
organisation, names, ratings and stages.

The reporting lines are a tree of fan-out 40: person 0 is the chief; person i reports to
person (i − 1) // 40, so the chief rates 40 division heads, each of whom rates up to 40, and
so on. Logins have no usable password (benchmarks log in without one).
"""

import random
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.models import Assessment, Department, Employee, Rating, Role, Track
from assessments.selectors import results
from assessments.services import rounds
from framework.models import Framework, Indicator, PositionClass, ScalePoint

FAN_OUT = 40
BATCH = 5000
FIRST_NAMES = ["สมชาย", "สมหญิง", "ประเสริฐ", "มาลี", "วีระ", "จิราพร", "ธนพล", "กนกพร", "บุญมี"]
LAST_NAMES = ["ใจดี", "มั่นคง", "ทองดี", "ศรีสุข", "รุ่งเรือง", "แก้วมณี", "ดวงแก้ว", "พูลผล"]
# (stage, share of the round): every stage of the workflow appears
STAGES = [
    ("not_started", 10),
    ("self_draft", 10),
    ("self_submitted", 15),
    ("supervisor_draft", 15),
    ("rated", 20),
    ("acknowledged", 15),
    ("finalized", 15),
]


@dataclass(frozen=True)
class Person:
    index: int
    code: str
    title: str
    first_name: str
    last_name: str
    position_class: str
    division: int
    supervisor: int | None


def plan(people, seed, class_codes):
    """The organisation as plain data: one Person per index, the same for the same arguments."""
    rng = random.Random(seed)
    staff_classes = [c for c in class_codes if c not in ("EXE-2", "DIR-1")] or class_codes
    result = []
    for index in range(people):
        supervisor = None if index == 0 else (index - 1) // FAN_OUT
        if index == 0:
            klass = "EXE-2" if "EXE-2" in class_codes else class_codes[0]
        elif index <= FAN_OUT:
            klass = "DIR-1" if "DIR-1" in class_codes else class_codes[0]
        else:
            klass = staff_classes[index % len(staff_classes)]
        result.append(
            Person(
                index=index,
                code=f"S{index:05d}",
                title=rng.choice(["นาย", "นาง", "นางสาว"]),
                first_name=rng.choice(FIRST_NAMES),
                last_name=f"{rng.choice(LAST_NAMES)}{index}",
                position_class=klass,
                division=_division(index),
                supervisor=supervisor,
            )
        )
    return result


def _division(index):
    """The division head's index (1–40) above a person; the chief's office is 0."""
    while index > FAN_OUT:
        index = (index - 1) // FAN_OUT
    return index


@transaction.atomic
def build(*, people, seed=1, code="2569-1"):
    """Write the organisation and open round `code`; returns the Cycle. Refused on a database
    that already has people (it never mixes with real data)."""
    if people < 2:
        raise ValidationError(_("A synthetic organisation needs at least 2 people."))
    if Employee.objects.exists():
        raise ValidationError(
            _("There are people in the database already: seed_synthetic needs an empty one.")
        )
    framework = Framework.objects.filter(status=Framework.Status.PUBLISHED).first()
    if framework is None:
        raise ValidationError(_("No published framework: run load_framework first."))
    classes = {c.code: c for c in PositionClass.objects.all()}
    persons = plan(people, seed, sorted(classes))
    employees = _write_people(persons, classes)
    cycle = rounds.create_cycle(code=code, fiscal_year=int(code[:4]), round_number=int(code[-1]))
    cycle = rounds.open_cycle(cycle=cycle, framework=framework)
    _write_ratings(cycle, framework, employees, random.Random(seed + 1))
    return cycle


def _write_people(persons, classes):
    departments = {
        division: Department(code=f"D{division:02d}", name_th=f"กองที่ {division}")
        for division in sorted({p.division for p in persons})
    }
    Department.objects.bulk_create(departments.values())
    unusable = make_password(None)
    users = get_user_model().objects.bulk_create(
        [get_user_model()(username=p.code.lower(), password=unusable) for p in persons],
        batch_size=BATCH,
    )
    employees = [
        Employee(
            employee_code=p.code,
            title=p.title,
            first_name=p.first_name,
            last_name=p.last_name,
            position_title=classes[p.position_class].name_th,
            position_class=classes[p.position_class],
            department=departments[p.division],
            user=user,
        )
        for p, user in zip(persons, users, strict=True)
    ]
    Employee.objects.bulk_create(employees, batch_size=BATCH)
    for person, employee in zip(persons, employees, strict=True):
        if person.supervisor is not None:
            employee.supervisor = employees[person.supervisor]
    Employee.objects.bulk_update(employees, ["supervisor"], batch_size=BATCH)
    return employees


def _write_ratings(cycle, framework, employees, rng):
    indicators = list(
        Indicator.objects.filter(level__competency__framework=framework).values_list(
            "pk", "level__number"
        )
    )
    scale = list(ScalePoint.objects.filter(framework=framework))
    yes = [p.value for p in scale if p.demonstrated]
    no = [p.value for p in scale if not p.demonstrated]
    users = {e.pk: e.user_id for e in employees}
    shape = results.shapes_of([framework])[framework.pk]
    assessments = list(Assessment.objects.filter(cycle=cycle).order_by("employee_id"))
    stages, weights = zip(*STAGES, strict=True)
    ratings = []
    now = timezone.now()
    for assessment in assessments:
        stage = rng.choices(stages, weights)[0]
        if assessment.supervisor_id is None and stage not in ("not_started", "self_draft"):
            stage = "self_submitted"  # nobody in the portal rates the chief
        for role, field in results.TRACK_FIELDS.items():
            track = _track(assessment, role, stage, indicators, yes, no, rng, users)
            values = {rating.indicator_id: rating.value for rating in track}
            setattr(assessment, field, results.track_record(shape, values))
            ratings += track
        _set_stage(assessment, stage, now, rng)
        if len(ratings) >= BATCH:
            Rating.objects.bulk_create(ratings, batch_size=BATCH)
            ratings = []
    Rating.objects.bulk_create(ratings, batch_size=BATCH)
    fields = [
        "self_levels",
        "supervisor_levels",
        "self_state",
        "self_submitted_at",
        "supervisor_state",
        "supervisor_submitted_at",
        "work_results",
        "acknowledgement",
        "acknowledged_at",
        "review_opinion",
        "reviewed_at",
        "finalized_at",
    ]
    Assessment.objects.bulk_update(assessments, fields, batch_size=BATCH)


ORDER = [stage for stage, _weight in STAGES]


def _reached(stage, step):
    return ORDER.index(stage) >= ORDER.index(step)


def _track(assessment, role, stage, indicators, yes, no, rng, users):
    """The ratings of one track at `stage`: a draft rates about half the indicators."""
    if role == Role.SELF:
        if not _reached(stage, "self_draft"):
            return []
        share = 0.5 if stage == "self_draft" else 1.0
        by = users[assessment.employee_id]
    else:
        if not _reached(stage, "supervisor_draft"):
            return []
        share = 0.5 if stage == "supervisor_draft" else 1.0
        by = users[assessment.supervisor_id]
    reach = max(1, max(assessment.expected_levels.values() or [1]) + rng.choice([-1, 0, 1]))
    return [
        Rating(
            assessment=assessment,
            indicator_id=pk,
            role=role,
            value=rng.choice(yes if level <= reach else no),
            rated_by_id=by,
        )
        for pk, level in indicators
        if share == 1.0 or rng.random() < share
    ]


def _set_stage(assessment, stage, now, rng):
    if _reached(stage, "self_draft"):
        assessment.self_state = Track.IN_PROGRESS
    if _reached(stage, "self_submitted"):
        assessment.self_state, assessment.self_submitted_at = Track.SUBMITTED, now
    if _reached(stage, "supervisor_draft"):
        assessment.supervisor_state = Track.IN_PROGRESS
        assessment.work_results = Decimal(rng.randint(6000, 9800)) / 100
    if _reached(stage, "rated"):
        assessment.supervisor_state, assessment.supervisor_submitted_at = Track.SUBMITTED, now
    if _reached(stage, "acknowledged"):
        assessment.acknowledgement = Assessment.Acknowledgement.ACKNOWLEDGED
        assessment.acknowledged_at = now
    if _reached(stage, "finalized"):
        if assessment.reviewer_id is not None:
            assessment.review_opinion, assessment.reviewed_at = "agree", now
        assessment.finalized_at = now
