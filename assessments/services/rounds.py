"""Rounds: create, open (one assessment per active person, with snapshots), add late joiners,
close and reopen. Each in one transaction."""

from datetime import date
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.models import (
    Assessment,
    AssessmentEvent,
    Cycle,
    Employee,
)
from assessments.selectors.results import DEFAULT_THRESHOLDS
from assessments.services.base import (
    WorkflowError,
)
from competency_portal.lib.thai import thai_digits
from framework.models import ExpectedLevel, Framework
from framework.selectors import competency_codes


def _another_round_open():
    return WorkflowError(_("Another round is open; close it before opening this one."))


def round_dates(fiscal_year, round_number):
    """Dates of a round: fiscal year 2569 runs 1 Oct 2025 – 30 Sep 2026 (CE)."""
    year = fiscal_year - 543
    if round_number == 1:
        return date(year - 1, 10, 1), date(year, 3, 31)
    if round_number == 2:
        return date(year, 4, 1), date(year, 9, 30)
    raise ValidationError(_("The round must be 1 or 2."))


@transaction.atomic
def create_cycle(*, code, fiscal_year, round_number, competency_weight=Decimal("30")):
    """A new round, not opened yet, with the dates of its half of the fiscal year."""
    if code != f"{fiscal_year}-{round_number}":
        raise ValidationError(
            _("The code of round %(round)s of fiscal year %(year)s must be %(code)s.")
            % {"round": round_number, "year": fiscal_year, "code": f"{fiscal_year}-{round_number}"}
        )
    if Cycle.objects.filter(code=code).exists():
        raise ValidationError(_("Round %(code)s already exists.") % {"code": code})
    start, end = round_dates(fiscal_year, round_number)
    cycle = Cycle(
        code=code,
        fiscal_year=fiscal_year,
        round=round_number,
        start_date=start,
        end_date=end,
        competency_weight=competency_weight,
    )
    cycle.full_clean()
    cycle.save()
    return cycle


def framework_to_pin(version=None, organisation=None):
    """The published version, or the given one (published or retired, never a draft), of the
    organisation (this installation's, PORTAL_ORGANISATION, by default): version numbers are
    counted per organisation, so another organisation's version N is never pinned."""
    from framework.selectors import published_framework

    if version is None:
        framework = published_framework(organisation)
        if framework is None:
            raise ValidationError(_("No framework version is published yet."))
        return framework
    organisation = organisation or settings.PORTAL_ORGANISATION
    framework = Framework.objects.filter(organisation=organisation, version=version).first()
    if framework is None:
        raise ValidationError(_("Framework version %(v)s does not exist.") % {"v": version})
    if framework.status == Framework.Status.DRAFT:
        raise ValidationError(
            _("Framework version %(v)s is a draft; publish it first.") % {"v": version}
        )
    return framework


@transaction.atomic
def open_cycle(*, cycle, by=None, framework=None):
    """Pin the framework and create one assessment per active employee, with snapshots."""
    cycle = Cycle.objects.select_for_update().get(pk=cycle.pk)
    if cycle.status != Cycle.Status.DRAFT:
        raise WorkflowError(_("Round %(code)s has already been opened.") % {"code": cycle.code})
    if Cycle.objects.filter(status=Cycle.Status.OPEN).exclude(pk=cycle.pk).exists():
        raise _another_round_open()
    framework = framework or framework_to_pin()
    if framework.status == Framework.Status.DRAFT:
        raise WorkflowError(_("A draft framework cannot be used for a round."))
    check_ready(cycle, framework)
    fix_bands(cycle)
    cycle.framework = framework
    cycle.status = Cycle.Status.OPEN
    cycle.opened_at = timezone.now()
    _save_as_the_open_round(cycle)
    assessments = Assessment.objects.bulk_create(_new_assessments(cycle, framework))
    AssessmentEvent.objects.bulk_create(
        AssessmentEvent(assessment=a, actor=by, action=AssessmentEvent.Action.OPENED)
        for a in assessments
    )
    return cycle


@transaction.atomic
def add_missing_assessments(*, cycle, by=None):
    """Give every active employee without an assessment in this open round one (people who
    joined after it opened), with the same snapshots as at opening. Returns how many."""
    cycle = Cycle.objects.select_for_update().get(pk=cycle.pk)
    if cycle.status != Cycle.Status.OPEN:
        raise WorkflowError(_("This round is not open."))
    present = set(cycle.assessments.values_list("employee_id", flat=True))
    new = [a for a in _new_assessments(cycle, cycle.framework) if a.employee_id not in present]
    created = Assessment.objects.bulk_create(new)
    AssessmentEvent.objects.bulk_create(
        AssessmentEvent(assessment=a, actor=by, action=AssessmentEvent.Action.OPENED)
        for a in created
    )
    return len(created)


def people_without_assessment(cycle):
    if cycle.status != Cycle.Status.OPEN:
        return 0
    return Employee.objects.filter(active=True).exclude(assessments__cycle=cycle).count()


def _new_assessments(cycle, framework):
    expected = {}
    for row in ExpectedLevel.objects.filter(competency__framework=framework).select_related(
        "competency"
    ):
        expected.setdefault(row.position_class_id, {})[row.competency.code] = row.level
    codes = list(framework.competencies.values_list("code", flat=True))
    people = Employee.objects.filter(active=True).select_related(
        "department", "supervisor__supervisor"
    )
    for person in people:
        supervisor = person.supervisor if person.supervisor and person.supervisor.active else None
        reviewer = supervisor.supervisor if supervisor else None
        levels = expected.get(person.position_class_id, {})
        yield Assessment(
            cycle=cycle,
            employee=person,
            supervisor=supervisor,
            reviewer=reviewer if reviewer and reviewer.active else None,
            position_class_id=person.position_class_id,
            position_title=person.position_title,
            department_name=person.department.name_th,
            expected_levels={code: levels.get(code, 0) for code in codes},
        )


@transaction.atomic
def close_cycle(*, cycle, by=None):
    cycle = Cycle.objects.select_for_update().get(pk=cycle.pk)
    if cycle.status != Cycle.Status.OPEN:
        raise WorkflowError(_("Only an open round can be closed."))
    cycle.status = Cycle.Status.CLOSED
    cycle.closed_at = timezone.now()
    cycle.save()
    return cycle


@transaction.atomic
def reopen_cycle(*, cycle, by=None):
    """Open a closed round again (no new assessments are created)."""
    cycle = Cycle.objects.select_for_update().get(pk=cycle.pk)
    if cycle.status != Cycle.Status.CLOSED:
        raise WorkflowError(_("Only a closed round can be reopened."))
    if Cycle.objects.filter(status=Cycle.Status.OPEN).exists():
        raise _another_round_open()
    cycle.status = Cycle.Status.OPEN
    cycle.closed_at = None
    _save_as_the_open_round(cycle)
    return cycle


def _save_as_the_open_round(cycle):
    """Save a round being opened. The check above reads before this writes: a round opened
    by someone else in between is refused by the database (constraint `one_open_cycle`), and
    the caller gets the same message as from the check, not an IntegrityError."""
    try:
        with transaction.atomic():
            cycle.save()
    except IntegrityError as error:
        if "one_open_cycle" not in str(error) and "assessments_cycle.status" not in str(error):
            raise
        raise _another_round_open() from error


# ---------------------------------------------------------------- how a round scores
#
# The competency method, the competencies' weights (for the rating method), the competency
# part's weight in the total and the bands' thresholds (issue 15). Chosen while the round is
# not opened yet; from its opening they are fixed, so that the results of a round never change
# (docs/appraisal-rules.md). The rules themselves are applied by selectors/results.py.

BAND_COUNT = len(DEFAULT_THRESHOLDS)  # ดีเด่น, ดีมาก, ดี, พอใช้ (below them: ต้องปรับปรุง)


@transaction.atomic
def set_scoring(
    *,
    cycle,
    method,
    competency_weight,
    weights=None,
    thresholds=None,
    framework,
    work_results_method=None,
):
    """Store how `cycle` scores. `weights` {competency code: percent} count for Method.RATING
    only, and must name exactly the competencies of `framework` (the version the round will
    use) and total 100; `thresholds` are the lowest totals of the four upper bands, highest
    first (empty: the defaults); `work_results_method` (Cycle.WorkResultsMethod; None: the
    round's own) says whether work results come from the agreed indicators or are typed in.
    Refused once the round is open."""
    cycle = Cycle.objects.select_for_update().get(pk=cycle.pk)
    if cycle.status != Cycle.Status.DRAFT:
        raise ValidationError(
            _("The scoring of round %(code)s was fixed when it opened: its results never change.")
            % {"code": cycle.code}
        )
    if method not in Cycle.Method.values:
        raise ValidationError(_("There is no scoring method %(method)s.") % {"method": method})
    cycle.method = method
    if work_results_method is not None:
        if work_results_method not in Cycle.WorkResultsMethod.values:
            raise ValidationError(
                _("There is no way of working out work results called %(method)s.")
                % {"method": work_results_method}
            )
        cycle.work_results_method = work_results_method
    cycle.competency_weight = percent(competency_weight, _("The weight of competencies"))
    codes = competency_codes(framework)
    cycle.competency_weights = (
        checked_weights(weights or {}, codes) if method == Cycle.Method.RATING else {}
    )
    cycle.band_thresholds = [format(t, "f") for t in checked_thresholds(thresholds or [])]
    cycle.save(
        update_fields=[
            "method",
            "competency_weight",
            "competency_weights",
            "band_thresholds",
            "work_results_method",
        ]
    )
    return cycle


def check_ready(cycle, framework):
    """Refuse to open a round whose weights do not fit the framework version it pins."""
    if cycle.method != Cycle.Method.RATING:
        return
    checked_weights(cycle.competency_weights, competency_codes(framework))


def fix_bands(cycle):
    """A round opened with the default bands keeps them, whatever the defaults become."""
    if not cycle.band_thresholds:
        cycle.band_thresholds = [format(t, "f") for t in DEFAULT_THRESHOLDS]


def percent(value, what):
    """A percentage 0–100 with at most two decimals, or a ValidationError naming `what`."""
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite() or not 0 <= number <= 100:
        raise ValidationError(
            _("%(what)s must be a percentage from 0 to 100, not %(value)s.")
            % {"what": what, "value": str(value)[:20]}
        )
    if number != number.quantize(Decimal("0.01")):
        raise ValidationError(_("%(what)s may have two decimal places at most.") % {"what": what})
    return Decimal(format(number.quantize(Decimal("0.01")).normalize(), "f"))  # "1e2" as 100


def checked_weights(weights, codes):
    """{code: weight} for exactly these competency codes, totalling 100."""
    unknown = sorted(set(weights) - set(codes))
    missing = [code for code in codes if code not in weights]
    if unknown or missing:
        raise ValidationError(
            _(
                "Give a weight to each competency of the framework (%(codes)s), and to no other: "
                "missing %(missing)s, unknown %(unknown)s."
            )
            % {
                "codes": ", ".join(codes),
                "missing": ", ".join(missing) or "–",
                "unknown": ", ".join(unknown) or "–",
            }
        )
    checked = {
        code: percent(weights[code], _("The weight of %(code)s") % {"code": code}) for code in codes
    }
    total = sum(checked.values())
    if total != 100:
        raise ValidationError(
            _("The weights of the competencies total %(total)s %%; they must total 100 %%.")
            % {"total": thai_digits(format(total.normalize(), "f"))}
        )
    return {code: format(weight, "f") for code, weight in checked.items()}


def checked_thresholds(thresholds):
    """The four lowest totals of the upper bands, each 0–100, highest first; [] keeps the
    defaults."""
    if not thresholds:
        return []
    numbers = [percent(value, _("A band's lowest total")) for value in thresholds]
    if (
        len(numbers) != BAND_COUNT
        or numbers[-1] <= 0  # ต้องปรับปรุง needs room below the lowest
        or any(low >= high for high, low in zip(numbers, numbers[1:], strict=False))
    ):
        raise ValidationError(
            _(
                "Give the lowest totals of the bands excellent, very good, good and fair, "
                "highest first, such as 90, 80, 70, 60."
            )
        )
    return numbers
