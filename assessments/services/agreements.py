"""Performance agreements (ข้อตกลงการปฏิบัติงาน, issue 15): the work-results indicators of
each person of a round, and the work results they give. The one writer of WorkIndicator: in
a round whose work results come from the indicators it keeps Assessment.work_results in step
with them, in the same transaction (as the ratings' writer keeps the stored levels)."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.models import Assessment, AssessmentEvent, Cycle, Track, WorkIndicator
from assessments.selectors import results
from competency_portal.lib.textguard import MAX_COMMENT, clean_text
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
    agreed_before = _terms_of(ids)
    WorkIndicator.objects.filter(assessment_id__in=ids).delete()
    rows = []
    for agreement in agreements:
        for number, indicator in enumerate(agreement.indicators, start=1):
            indicator.assessment, indicator.number = agreement.assessment, number
            rows.append(indicator)
    WorkIndicator.objects.bulk_create(rows, batch_size=500)
    if cycle.work_results_method == Cycle.WorkResultsMethod.INDICATORS:
        _keep_work_results(agreements)
    _clear_confirmations(agreements, agreed_before)
    AssessmentEvent.objects.bulk_create(_history(agreements, by), batch_size=500)


TERMS = ("title", "unit", "weight", "target_1", "target_2", "target_3", "target_4", "target_5")


def terms(indicators):
    """What the person agreed to: each indicator's words, unit, weight and targets, in order
    (not its achieved level or evidence, written at the end of the round)."""
    return [tuple(getattr(i, name) for name in TERMS) for i in indicators]


def _terms_of(ids):
    """{assessment id: terms} of the saved agreements of these assessments (one query)."""
    saved = {}
    for indicator in WorkIndicator.objects.filter(assessment_id__in=ids).order_by("number"):
        saved.setdefault(indicator.assessment_id, []).append(indicator)
    return {pk: terms(indicators) for pk, indicators in saved.items()}


def _clear_confirmations(agreements, agreed_before):
    """A person's confirmation stands for the terms they confirmed: changed terms need theirs
    again (achieved levels and evidence do not)."""
    changed = [
        a.assessment.pk
        for a in agreements
        if agreed_before.get(a.assessment.pk, []) != terms(a.indicators)
    ]
    Assessment.objects.filter(pk__in=changed).update(agreement_confirmed_at=None)
    for agreement in agreements:
        if agreement.assessment.pk in changed:
            agreement.assessment.agreement_confirmed_at = None


@transaction.atomic
def save_agreement(*, assessment, indicators, by):
    """The supervisor's agreement for one person: `indicators` [WorkIndicator] not saved, in
    order, replace those the person had (write_agreements' rules)."""
    assessment = (
        Assessment.objects.select_related("cycle")
        .select_for_update(of=("self",))
        .get(pk=assessment.pk)
    )
    write_agreements(cycle=assessment.cycle, agreements=[Agreement(assessment, indicators)], by=by)
    return assessment


@transaction.atomic
def confirm_agreement(*, assessment, by, comment=""):
    """The person confirms the agreement as it stands, with a comment if they have one."""
    assessment = (
        Assessment.objects.select_related("cycle")
        .select_for_update(of=("self",))
        .get(pk=assessment.pk)
    )
    problem = refusal(assessment.cycle, assessment)
    if problem:
        raise ValidationError(problem)
    if not assessment.work_indicators.exists():
        raise ValidationError(_("There is no agreement to confirm yet."))
    comment = clean_text(comment or "", multiline=True).strip()
    if len(comment) > MAX_COMMENT:
        raise ValidationError(
            _("A comment may have at most %(n)s characters.") % {"n": thai_digits(MAX_COMMENT)}
        )
    assessment.agreement_confirmed_at = timezone.now()
    assessment.agreement_comment = comment
    assessment.save(update_fields=["agreement_confirmed_at", "agreement_comment"])
    AssessmentEvent.objects.create(
        assessment=assessment,
        actor=by,
        action=AssessmentEvent.Action.AGREEMENT_CONFIRMED,
        detail=comment,
    )
    return assessment


def previous_indicators(assessment):
    """Copies (not saved, without achieved levels) of the indicators of this person's latest
    earlier round that has an agreement: a start for this round's."""
    earlier = (
        WorkIndicator.objects.filter(
            assessment__employee_id=assessment.employee_id,
            assessment__cycle__start_date__lt=assessment.cycle.start_date,
        )
        .order_by("-assessment__cycle__start_date", "number")
        .select_related("assessment")
    )
    found = list(earlier[: MAX_INDICATORS * 4])
    if not found:
        return []
    latest = found[0].assessment_id
    return [
        WorkIndicator(**{name: getattr(i, name) for name in TERMS})
        for i in found
        if i.assessment_id == latest
    ]


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


def team_agreements(assessment):
    """The other agreements of this round written by the same rater ([Assessment], by name):
    the rater's own template for the people of their division who do the same work."""
    if assessment.supervisor_id is None:
        return []
    return list(
        Assessment.objects.filter(
            cycle_id=assessment.cycle_id,
            supervisor_id=assessment.supervisor_id,
            work_indicators__isnull=False,
        )
        .exclude(pk=assessment.pk)
        .distinct()
        .select_related("employee")
        .order_by("employee__first_name", "employee__last_name")
    )


def copied_from(source):
    """Copies (not saved, without achieved levels or evidence) of `source`'s indicators."""
    return [
        WorkIndicator(**{name: getattr(i, name) for name in TERMS})
        for i in source.work_indicators.all()
    ]
