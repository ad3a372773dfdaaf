"""Rounds: create, open (one assessment per active person, with snapshots), add late joiners,
close and reopen. Each in one transaction."""

from datetime import date
from decimal import Decimal

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
from assessments.services import round_scoring
from assessments.services.base import (
    WorkflowError,
)
from framework.models import ExpectedLevel, Framework


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
    round_scoring.check_ready(cycle, framework)
    round_scoring.fix_bands(cycle)
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
