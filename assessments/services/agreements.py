"""Performance agreements (ข้อตกลงการปฏิบัติงาน, issue 15): the work-results indicators of
each person of a round, and the work results they give. The one writer of WorkIndicator: in
a round whose work results come from the indicators it keeps Assessment.work_results in step
with them, in the same transaction (as the ratings' writer keeps the stored levels)."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from assessments.models import Assessment, AssessmentEvent, Cycle, Track, WorkIndicator
from assessments.selectors import results
from competency_portal.lib.thai import thai_digits

MAX_INDICATORS = 20  # of one agreement: a form has five to eight
FULL_WEIGHT = Decimal("100")


@dataclass
class Agreement:
    """The indicators agreed for one assessment, in order: [WorkIndicator] not saved yet
    (their `number` is given here)."""

    assessment: Assessment
    indicators: list = field(default_factory=list)


class AgreementRefused(ValidationError):
    """An agreement that may not be written; `assessment` says whose."""

    def __init__(self, assessment, message):
        super().__init__(message)
        self.assessment = assessment


def refusal(cycle, assessment):
    """Why the agreement of `assessment` may not change now, in words, or None."""
    if cycle.status == Cycle.Status.CLOSED:
        return _("Round %(code)s is closed; its agreements no longer change.") % {
            "code": cycle.code
        }
    if assessment.is_finalized:
        return _("The assessment has been finalised by HR; nothing can change.")
    if assessment.supervisor_state == Track.SUBMITTED:
        return _(
            "The supervisor's assessment has been submitted; HR must reopen it before the "
            "agreement changes."
        )
    return None


def weight_problem(indicators):
    """Why the weights of an agreement's indicators do not do, in words, or None."""
    if not indicators:
        return _("An agreement needs at least one indicator.")
    if len(indicators) > MAX_INDICATORS:
        return _("An agreement may have at most %(n)s indicators.") % {
            "n": thai_digits(MAX_INDICATORS)
        }
    total = sum((indicator.weight for indicator in indicators), Decimal("0"))
    if total != FULL_WEIGHT:
        return _("The weights of the indicators total %(total)s; they must total 100.") % {
            "total": thai_digits(format(total.normalize(), "f"))
        }
    return None


@transaction.atomic
def write_agreements(*, cycle, agreements, by):
    """Replace the indicators of each agreement's assessment with its own, and (in a round
    that takes its work results from them) their work results; one line of history each.
    Each assessment must be locked (select_for_update) in this transaction. A constant
    number of queries, whatever the number of people."""
    for agreement in agreements:
        problem = refusal(cycle, agreement.assessment) or weight_problem(agreement.indicators)
        if problem:
            raise AgreementRefused(agreement.assessment, problem)
    ids = [agreement.assessment.pk for agreement in agreements]
    WorkIndicator.objects.filter(assessment_id__in=ids).delete()
    rows = []
    for agreement in agreements:
        for number, indicator in enumerate(agreement.indicators, start=1):
            indicator.assessment, indicator.number = agreement.assessment, number
            rows.append(indicator)
    WorkIndicator.objects.bulk_create(rows, batch_size=500)
    if cycle.work_results_method == Cycle.WorkResultsMethod.INDICATORS:
        _keep_work_results(agreements)
    AssessmentEvent.objects.bulk_create(_history(agreements, by), batch_size=500)


def _keep_work_results(agreements):
    changed = []
    for agreement in agreements:
        assessment = agreement.assessment
        assessment.work_results = results.work_results_of(agreement.indicators)
        changed.append(assessment)
    Assessment.objects.bulk_update(changed, ["work_results"], batch_size=500)


def _history(agreements, by):
    events = []
    for agreement in agreements:
        levels = [i.achieved_level for i in agreement.indicators]
        events.append(
            AssessmentEvent(
                assessment=agreement.assessment,
                actor=by,
                action=AssessmentEvent.Action.AGREEMENT,
                detail=str(len(agreement.indicators)),
            )
        )
        if any(level is not None for level in levels):
            work = results.work_results_of(agreement.indicators)
            events.append(
                AssessmentEvent(
                    assessment=agreement.assessment,
                    actor=by,
                    action=AssessmentEvent.Action.WORK_ASSESSED,
                    detail="" if work is None else format(work, "f"),
                )
            )
    return events
