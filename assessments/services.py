"""Every state change and every write of ratings, each in one transaction.

Views parse input, call one of these, and render. A service checks the workflow rules itself
(a submitted track is never written, whatever a page shows), records an AssessmentEvent, and
bumps the assessment's `version`: a caller that read an older version gets StaleAssessment.
Permission checks (who may call) live in permissions.py and are the views' job.
"""

from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.models import (
    Assessment,
    AssessmentEvent,
    CompetencyComment,
    Cycle,
    Employee,
    Rating,
    Role,
    Track,
)
from framework.models import ExpectedLevel, Framework, Indicator, ScalePoint


class StaleAssessment(Exception):
    """Someone else saved the assessment after this caller read it."""

    def __init__(self):
        super().__init__(
            _("Someone else saved this assessment first. Reload the page to see their changes.")
        )


class WorkflowError(ValidationError):
    """A step that the assessment's state does not allow now."""


class IncompleteRatings(ValidationError):
    """Submission refused: these indicators have no rating yet (`missing`)."""

    def __init__(self, missing):
        self.missing = missing
        super().__init__(
            _("Rate every behaviour indicator before submitting: %(count)d not rated yet.")
            % {"count": len(missing)}
        )


# ---------------------------------------------------------------- rounds


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
    """The published version, or the given one (published or retired, never a draft)."""
    from framework.selectors import published_framework

    if version is None:
        framework = published_framework(organisation)
        if framework is None:
            raise ValidationError(_("No framework version is published yet."))
        return framework
    framework = Framework.objects.filter(version=version).first()
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
        raise WorkflowError(_("Another round is open; close it before opening this one."))
    framework = framework or framework_to_pin()
    if framework.status == Framework.Status.DRAFT:
        raise WorkflowError(_("A draft framework cannot be used for a round."))
    cycle.framework = framework
    cycle.status = Cycle.Status.OPEN
    cycle.opened_at = timezone.now()
    cycle.save()
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
        raise WorkflowError(_("Another round is open; close it before opening this one."))
    cycle.status = Cycle.Status.OPEN
    cycle.closed_at = None
    cycle.save()
    return cycle


# ---------------------------------------------------------------- ratings


def _bump(assessment, expected_version, **changes):
    """Write `changes` and version+1 only if nobody saved since `expected_version`."""
    version = assessment.version if expected_version is None else int(expected_version)
    updated = Assessment.objects.filter(pk=assessment.pk, version=version).update(
        version=F("version") + 1, **changes
    )
    if not updated:
        raise StaleAssessment()
    for field, value in changes.items():
        setattr(assessment, field, value)
    assessment.version = version + 1


def _record(assessment, by, action, role="", from_state="", to_state="", detail=""):
    AssessmentEvent.objects.create(
        assessment=assessment,
        actor=by,
        action=action,
        role=role,
        from_state=from_state,
        to_state=to_state,
        detail=detail,
    )


def _require_open_track(assessment, role):
    if assessment.cycle.status != Cycle.Status.OPEN:
        raise WorkflowError(_("This round is not open; ratings can no longer be changed."))
    if assessment.is_finalized:
        raise WorkflowError(_("This assessment has been finalised by HR."))
    if assessment.track_state(role) == Track.SUBMITTED:
        raise WorkflowError(_("These ratings have been submitted and can no longer be changed."))


def _check_ratings(assessment, values):
    """Every indicator must belong to the round's framework and every value to its scale."""
    framework_id = assessment.cycle.framework_id
    known = set(
        Indicator.objects.filter(
            level__competency__framework_id=framework_id, pk__in=list(values)
        ).values_list("pk", flat=True)
    )
    scale = set(
        ScalePoint.objects.filter(framework_id=framework_id).values_list("value", flat=True)
    )
    errors = []
    for indicator_id, value in values.items():
        if indicator_id not in known:
            message = _("Indicator %(id)s is not part of this round's framework.")
            errors.append(message % {"id": indicator_id})
        elif value is not None and value not in scale:
            errors.append(_("%(value)s is not a point of the rating scale.") % {"value": value})
    if errors:
        raise ValidationError(errors)


def _check_comments(assessment, comments):
    framework_id = assessment.cycle.framework_id
    known = set(
        assessment.cycle.framework.competencies.filter(pk__in=list(comments)).values_list(
            "pk", flat=True
        )
    )
    unknown = [pk for pk in comments if pk not in known or framework_id is None]
    if unknown:
        raise ValidationError(_("A comment names a competency that is not in this round."))


def parse_work_results(raw):
    """'85.5' → Decimal('85.50'); '' → None; anything outside 0–100 is refused."""
    if raw is None or str(raw).strip() == "":
        return None
    try:
        value = Decimal(str(raw).strip().replace(",", "."))
    except InvalidOperation:
        raise ValidationError(_("Work results must be a number from 0 to 100.")) from None
    if not value.is_finite() or not 0 <= value <= 100:
        raise ValidationError(_("Work results must be a number from 0 to 100."))
    return value.quantize(Decimal("0.01"))


@transaction.atomic
def save_ratings(
    *, assessment, role, by, values, comments=None, work_results=..., expected_version=None
):
    """Save a draft of one track: ratings {indicator id: value or None}, comments {competency
    id: text}, and (supervisor only) the work-results percentage. Partial is fine."""
    assessment = Assessment.objects.select_related("cycle__framework").get(pk=assessment.pk)
    _require_open_track(assessment, role)
    comments = comments or {}
    _check_ratings(assessment, values)
    _check_comments(assessment, comments)
    changes = {}
    if role == Role.SUPERVISOR and work_results is not ...:
        changes["work_results"] = work_results
    before = assessment.track_state(role)
    if before == Track.NOT_STARTED:
        changes[f"{role}_state"] = Track.IN_PROGRESS
    _bump(assessment, expected_version, **changes)
    _write_ratings(assessment, role, by, values)
    _write_comments(assessment, role, by, comments)
    _record(
        assessment,
        by,
        AssessmentEvent.Action.SAVED,
        role,
        before,
        assessment.track_state(role),
        _("%(count)d ratings saved") % {"count": sum(v is not None for v in values.values())},
    )
    return assessment


def _write_ratings(assessment, role, by, values):
    now = timezone.now()
    existing = {
        r.indicator_id: r
        for r in Rating.objects.filter(assessment=assessment, role=role, indicator_id__in=values)
    }
    to_create, to_update, to_delete = [], [], []
    for indicator_id, value in values.items():
        rating = existing.get(indicator_id)
        if value is None:
            if rating:
                to_delete.append(rating.pk)
        elif rating is None:
            to_create.append(
                Rating(
                    assessment=assessment,
                    indicator_id=indicator_id,
                    role=role,
                    value=value,
                    rated_by=by,
                    rated_at=now,
                )
            )
        elif rating.value != value:
            rating.value, rating.rated_by, rating.rated_at = value, by, now
            to_update.append(rating)
    Rating.objects.bulk_create(to_create)
    Rating.objects.bulk_update(to_update, ["value", "rated_by", "rated_at"])
    Rating.objects.filter(pk__in=to_delete).delete()


def _write_comments(assessment, role, by, comments):
    if not comments:
        return
    now = timezone.now()
    existing = {
        c.competency_id: c
        for c in CompetencyComment.objects.filter(
            assessment=assessment, role=role, competency_id__in=comments
        )
    }
    to_create, to_update = [], []
    for competency_id, text in comments.items():
        text = (text or "").strip()
        comment = existing.get(competency_id)
        if comment is None and text:
            to_create.append(
                CompetencyComment(
                    assessment=assessment,
                    competency_id=competency_id,
                    role=role,
                    text=text,
                    written_by=by,
                    written_at=now,
                )
            )
        elif comment is not None and comment.text != text:
            comment.text, comment.written_by, comment.written_at = text, by, now
            to_update.append(comment)
    CompetencyComment.objects.bulk_create(to_create)
    CompetencyComment.objects.bulk_update(to_update, ["text", "written_by", "written_at"])


def missing_indicators(assessment, role):
    """Indicators of the round's framework that this track has not rated yet, in order."""
    rated = Rating.objects.filter(assessment=assessment, role=role).values("indicator_id")
    return list(
        Indicator.objects.filter(level__competency__framework_id=assessment.cycle.framework_id)
        .exclude(pk__in=rated)
        .select_related("level__competency")
        .order_by("level__competency__order", "level__number", "number")
    )


@transaction.atomic
def submit_track(*, assessment, role, by, expected_version=None):
    """Submit one track; every indicator must be rated. Afterwards it is read-only."""
    assessment = Assessment.objects.select_related("cycle").get(pk=assessment.pk)
    _require_open_track(assessment, role)
    missing = missing_indicators(assessment, role)
    if missing:
        raise IncompleteRatings(missing)
    before = assessment.track_state(role)
    _bump(
        assessment,
        expected_version,
        **{f"{role}_state": Track.SUBMITTED, f"{role}_submitted_at": timezone.now()},
    )
    _record(assessment, by, AssessmentEvent.Action.SUBMITTED, role, before, Track.SUBMITTED)
    return assessment


def submit_self_assessment(*, assessment, by, expected_version=None):
    return submit_track(
        assessment=assessment, role=Role.SELF, by=by, expected_version=expected_version
    )


def submit_supervisor_rating(*, assessment, by, expected_version=None):
    return submit_track(
        assessment=assessment, role=Role.SUPERVISOR, by=by, expected_version=expected_version
    )


# ---------------------------------------------------------------- after the rating


def _locked(assessment):
    return Assessment.objects.select_related("cycle").select_for_update().get(pk=assessment.pk)


def _require_rated(assessment):
    if assessment.supervisor_state != Track.SUBMITTED:
        raise WorkflowError(_("The supervisor has not submitted the rating yet."))
    if assessment.is_finalized:
        raise WorkflowError(_("This assessment has been finalised by HR."))


@transaction.atomic
def acknowledge(*, assessment, by, expected_version=None):
    """The employee has seen the results and the development plan."""
    assessment = _locked(assessment)
    _require_rated(assessment)
    if assessment.acknowledgement_recorded:
        raise WorkflowError(_("The acknowledgement has already been recorded."))
    _bump(
        assessment,
        expected_version,
        acknowledgement=Assessment.Acknowledgement.ACKNOWLEDGED,
        acknowledged_at=timezone.now(),
    )
    _record(assessment, by, AssessmentEvent.Action.ACKNOWLEDGED, to_state="acknowledged")
    return assessment


@transaction.atomic
def record_refusal(*, assessment, by, witness, refusal_date=None, expected_version=None):
    """The rater records that the employee refused to sign, with a witness."""
    assessment = _locked(assessment)
    _require_rated(assessment)
    if assessment.acknowledgement_recorded:
        raise WorkflowError(_("The acknowledgement has already been recorded."))
    witness = (witness or "").strip()
    if not witness:
        raise ValidationError(_("Give the name of the witness."))
    refusal_date = refusal_date or timezone.localdate()
    if refusal_date > timezone.localdate():
        raise ValidationError(_("The date of refusal cannot be in the future."))
    _bump(
        assessment,
        expected_version,
        acknowledgement=Assessment.Acknowledgement.REFUSED,
        acknowledged_at=timezone.now(),
        refusal_date=refusal_date,
        refusal_witness=witness,
    )
    _record(
        assessment,
        by,
        AssessmentEvent.Action.REFUSED,
        to_state="refused",
        detail=_("Witness: %(name)s") % {"name": witness},
    )
    return assessment


@transaction.atomic
def review(*, assessment, by, opinion, comment="", expected_version=None):
    """The opinion of the next-level supervisor: agree, or differ with a comment."""
    assessment = _locked(assessment)
    _require_rated(assessment)
    if not assessment.acknowledgement_recorded:
        raise WorkflowError(_("The employee's acknowledgement is not recorded yet."))
    if assessment.is_reviewed:
        raise WorkflowError(_("The opinion has already been given."))
    if opinion not in Assessment.Opinion.values:
        raise ValidationError(_("Choose agree or differ."))
    comment = (comment or "").strip()
    if opinion == Assessment.Opinion.DIFFER and not comment:
        raise ValidationError(_("Say why you differ."))
    _bump(
        assessment,
        expected_version,
        review_opinion=opinion,
        review_comment=comment,
        reviewed_at=timezone.now(),
    )
    _record(assessment, by, AssessmentEvent.Action.REVIEWED, to_state=opinion, detail=comment)
    return assessment


@transaction.atomic
def change_rater(*, assessment, by, supervisor, expected_version=None):
    """HR names another rater for one assessment (a move, a vacancy, the top of the office);
    the next-level supervisor follows from the new rater. Only before the rating is submitted."""
    assessment = _locked(assessment)
    if assessment.supervisor_state == Track.SUBMITTED or assessment.is_finalized:
        raise WorkflowError(
            _("The rating is already submitted; reopen it before changing the rater.")
        )
    if supervisor is not None:
        if supervisor.pk == assessment.employee_id:
            raise ValidationError(_("A person cannot be their own supervisor."))
        if not supervisor.active:
            raise ValidationError(
                _("%(name)s is inactive and cannot be a supervisor.")
                % {"name": supervisor.full_name}
            )
    reviewer = supervisor.supervisor if supervisor and supervisor.supervisor_id else None
    before = assessment.supervisor.full_name if assessment.supervisor else "–"
    _bump(assessment, expected_version, supervisor=supervisor, reviewer=reviewer)
    after = supervisor.full_name if supervisor else "–"
    _record(assessment, by, AssessmentEvent.Action.RATER_CHANGED, detail=f"{before} → {after}")
    return assessment


def finalize_blockers(assessment):
    """What still stands before HR may finalise, as Thai sentences (empty when ready)."""
    blockers = []
    if assessment.is_finalized:
        blockers.append(_("It has already been finalised."))
    if assessment.supervisor_state != Track.SUBMITTED:
        blockers.append(_("The supervisor has not submitted the rating yet."))
    if not assessment.acknowledgement_recorded:
        blockers.append(_("The employee's acknowledgement is not recorded yet."))
    if assessment.reviewer_id and not assessment.is_reviewed:
        blockers.append(_("The next-level supervisor has not given an opinion yet."))
    return blockers


@transaction.atomic
def finalize(*, assessment, by, expected_version=None):
    """HR locks the assessment; nothing changes afterwards unless HR reopens a step."""
    assessment = _locked(assessment)
    blockers = finalize_blockers(assessment)
    if blockers:
        raise WorkflowError(blockers)
    _bump(assessment, expected_version, finalized_at=timezone.now())
    _record(assessment, by, AssessmentEvent.Action.FINALIZED, to_state="finalized")
    return assessment


REOPEN_STEPS = ("self", "supervisor", "acknowledgement", "review", "final")


def _reopen_changes(step):
    """Fields to reset when HR reopens `step`: the step itself and every step after it."""
    final = {"finalized_at": None}
    review_reset = {**final, "review_opinion": "", "review_comment": "", "reviewed_at": None}
    acknowledgement_reset = {
        **review_reset,
        "acknowledgement": Assessment.Acknowledgement.PENDING,
        "acknowledged_at": None,
        "refusal_date": None,
        "refusal_witness": "",
    }
    return {
        "self": {**final, "self_state": Track.IN_PROGRESS, "self_submitted_at": None},
        "supervisor": {
            **acknowledgement_reset,
            "supervisor_state": Track.IN_PROGRESS,
            "supervisor_submitted_at": None,
        },
        "acknowledgement": acknowledgement_reset,
        "review": review_reset,
        "final": final,
    }[step]


@transaction.atomic
def reopen(*, assessment, by, step, reason, expected_version=None):
    """HR reopens a step (and every step after it) with a reason that is kept in the trail."""
    assessment = _locked(assessment)
    if step not in REOPEN_STEPS:
        raise ValidationError(_("Unknown step to reopen."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Give the reason for reopening."))
    if assessment.cycle.status != Cycle.Status.OPEN:
        raise WorkflowError(_("This round is not open."))
    if not _step_done(assessment, step):
        raise WorkflowError(_("That step is not finished, so there is nothing to reopen."))
    _bump(assessment, expected_version, **_reopen_changes(step))
    _record(assessment, by, AssessmentEvent.Action.REOPENED, to_state=step, detail=reason)
    return assessment


def _step_done(assessment, step):
    return {
        "self": assessment.self_state == Track.SUBMITTED,
        "supervisor": assessment.supervisor_state == Track.SUBMITTED,
        "acknowledgement": assessment.acknowledgement_recorded,
        "review": assessment.is_reviewed,
        "final": assessment.is_finalized,
    }[step]
