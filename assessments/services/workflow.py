"""After the rating: acknowledgement or refusal, the next-level review, a change of rater,
finalising and reopening, and which of these steps a user may take now (`allowed_steps`)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from assessments import permissions
from assessments.models import (
    Assessment,
    AssessmentEvent,
    AuditEntry,
    Cycle,
    Employee,
    Track,
)
from assessments.services import audit
from assessments.services.base import (
    WorkflowError,
    bump_version,
    record_event,
)
from competency_portal.lib.textguard import MAX_COMMENT, clean_text
from competency_portal.lib.thai import thai_numbers

MAX_WITNESS = 200  # Assessment.refusal_witness


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
    bump_version(
        assessment,
        expected_version,
        acknowledgement=Assessment.Acknowledgement.ACKNOWLEDGED,
        acknowledged_at=timezone.now(),
    )
    record_event(assessment, by, AssessmentEvent.Action.ACKNOWLEDGED, to_state="acknowledged")
    return assessment


@transaction.atomic
def record_refusal(*, assessment, by, witness, refusal_date=None, expected_version=None):
    """The rater records that the employee refused to sign, with a witness."""
    assessment = _locked(assessment)
    _require_rated(assessment)
    if assessment.acknowledgement_recorded:
        raise WorkflowError(_("The acknowledgement has already been recorded."))
    witness = clean_text(witness or "").strip()
    if len(witness) > MAX_WITNESS:
        raise ValidationError(
            _("The witness's name may have at most %(n)s characters.")
            % thai_numbers({"n": MAX_WITNESS})
        )
    if not witness:
        raise ValidationError(_("Give the name of the witness."))
    refusal_date = refusal_date or timezone.localdate()
    if refusal_date > timezone.localdate():
        raise ValidationError(_("The date of refusal cannot be in the future."))
    bump_version(
        assessment,
        expected_version,
        acknowledgement=Assessment.Acknowledgement.REFUSED,
        acknowledged_at=timezone.now(),
        refusal_date=refusal_date,
        refusal_witness=witness,
    )
    record_event(
        assessment,
        by,
        AssessmentEvent.Action.REFUSED,
        to_state="refused",
        detail=witness,  # the history shows "Witness: …" in the reader's language
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
    comment = clean_text(comment or "", multiline=True).strip()
    if len(comment) > MAX_COMMENT:
        raise ValidationError(
            _("A comment may have at most %(n)s characters.") % thai_numbers({"n": MAX_COMMENT})
        )
    if opinion == Assessment.Opinion.DIFFER and not comment:
        raise ValidationError(_("Say why you differ."))
    bump_version(
        assessment,
        expected_version,
        review_opinion=opinion,
        review_comment=comment,
        reviewed_at=timezone.now(),
    )
    record_event(assessment, by, AssessmentEvent.Action.REVIEWED, to_state=opinion, detail=comment)
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
        # As the database has it now, locked: the caller's copy may predate a deactivation
        # (a choice offered on a page, then the person deactivated before HR saved).
        supervisor = Employee.objects.select_for_update().get(pk=supervisor.pk)
        if not supervisor.active:
            raise ValidationError(
                _("%(name)s is inactive and cannot be a supervisor.")
                % {"name": supervisor.full_name}
            )
    above = supervisor.supervisor if supervisor and supervisor.supervisor_id else None
    reviewer = above if above is not None and above.active else None
    before = assessment.supervisor.full_name if assessment.supervisor else "–"
    old_code = assessment.supervisor.employee_code if assessment.supervisor else ""
    bump_version(
        assessment,
        expected_version,
        also=("supervisor_version",),  # the previous rater's open page can no longer save
        supervisor=supervisor,
        reviewer=reviewer,
    )
    after = supervisor.full_name if supervisor else "–"
    record_event(assessment, by, AssessmentEvent.Action.RATER_CHANGED, detail=f"{before} → {after}")
    audit.record(
        action=AuditEntry.Action.RATER_CHANGED,
        by=by,
        target=f"{assessment.cycle.code} {assessment.employee.employee_code}",
        summary=audit.thai(
            gettext_noop("Rater of %(name)s: %(old)s → %(new)s"),
            name=assessment.employee.full_name,
            old=before,
            new=after,
        ),
        detail={
            "assessment": assessment.pk,
            "old": {"employee_code": old_code, "name": before},
            "new": {
                "employee_code": supervisor.employee_code if supervisor else "",
                "name": after,
            },
        },
    )
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
    if assessment.has_reviewer and not assessment.is_reviewed:
        blockers.append(_("The next-level supervisor has not given an opinion yet."))
    return blockers


@transaction.atomic
def finalize(*, assessment, by, expected_version=None):
    """HR locks the assessment; nothing changes afterwards unless HR reopens a step."""
    assessment = _locked(assessment)
    blockers = finalize_blockers(assessment)
    if blockers:
        raise WorkflowError(blockers)
    bump_version(assessment, expected_version, finalized_at=timezone.now())
    record_event(assessment, by, AssessmentEvent.Action.FINALIZED, to_state="finalized")
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
    reason = clean_text(reason or "", multiline=True).strip()
    if not reason:
        raise ValidationError(_("Give the reason for reopening."))
    if len(reason) > MAX_COMMENT:
        raise ValidationError(
            _("A comment may have at most %(n)s characters.") % thai_numbers({"n": MAX_COMMENT})
        )
    if assessment.cycle.status != Cycle.Status.OPEN:
        raise WorkflowError(_("This round is not open."))
    if not _step_done(assessment, step):
        raise WorkflowError(_("That step is not finished, so there is nothing to reopen."))
    # A reopened track moves its own version too: a page read before it was submitted
    # cannot save over what was submitted.
    tracks = {"self": ("self_version",), "supervisor": ("supervisor_version",)}
    bump_version(assessment, expected_version, also=tracks.get(step, ()), **_reopen_changes(step))
    record_event(assessment, by, AssessmentEvent.Action.REOPENED, to_state=step, detail=reason)
    return assessment


def _step_done(assessment, step):
    return {
        "self": assessment.self_state == Track.SUBMITTED,
        "supervisor": assessment.supervisor_state == Track.SUBMITTED,
        "acknowledgement": assessment.acknowledgement_recorded,
        "review": assessment.is_reviewed,
        "final": assessment.is_finalized,
    }[step]


# ---------------------------------------------------------------- who may do what next

ACKNOWLEDGE = "acknowledge"
RECORD_REFUSAL = "record_refusal"
REVIEW = "review"
FINALIZE = "finalize"
CHANGE_RATER = "change_rater"
REOPEN = "reopen"


def allowed_steps(assessment, user):
    """The workflow steps this user may take on this assessment now, as a set of names.

    The results page shows a form for each name in it, and the services above refuse the
    same steps on their own; nothing else restates these rules. FINALIZE is in the set for HR
    only when nothing blocks it (`finalize_blockers`).
    """
    hr = permissions.is_hr(user)
    steps = set()
    if _may_answer(assessment):
        if permissions.can_rate_self(user, assessment):
            steps.add(ACKNOWLEDGE)
        if permissions.can_speak_for_the_rater(user, assessment):
            steps.add(RECORD_REFUSAL)
    if _may_review(assessment) and (hr or permissions.can_review(user, assessment)):
        steps.add(REVIEW)
    if hr:
        steps |= _hr_steps(assessment)
    return frozenset(steps)


def _may_answer(assessment):
    """Rated, not yet acknowledged (nor refused), not finalised."""
    return (
        assessment.supervisor_state == Track.SUBMITTED
        and not assessment.acknowledgement_recorded
        and not assessment.is_finalized
    )


def _may_review(assessment):
    return (
        assessment.has_reviewer
        and assessment.acknowledgement_recorded
        and not assessment.is_reviewed
        and not assessment.is_finalized
    )


def _hr_steps(assessment):
    steps = {REOPEN}
    if not finalize_blockers(assessment):
        steps.add(FINALIZE)
    if assessment.supervisor_state != Track.SUBMITTED and not assessment.is_finalized:
        steps.add(CHANGE_RATER)
    return steps
