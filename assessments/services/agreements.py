"""Performance agreements (ข้อตกลงการปฏิบัติงาน, issue 15): the work-results indicators of
each person of a round, and the work results they give. The one writer of WorkIndicator: in
a round whose work results come from the indicators it keeps Assessment.work_results in step
with them, in the same transaction (as the ratings' writer keeps the stored levels)."""

import hashlib
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.models import Assessment, AssessmentEvent, Cycle, Track, WorkIndicator
from assessments.selectors import results
from competency_portal.lib.bulk import in_chunks
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
def write_agreements(*, cycle, agreements, by, keep_evidence=False):
    """Replace the indicators of each agreement's assessment with its own, and (in a round
    that takes its work results from them) their work results; lines of history for those
    that changed. With `keep_evidence` (a file, which has no evidence column) an indicator of
    the same words keeps the evidence its rater wrote. Each assessment must be locked
    (select_for_update) in this transaction. A constant number of queries, whatever the number
    of people."""
    for agreement in agreements:
        problem = (
            refusal(cycle, agreement.assessment)
            or weight_problem(agreement.indicators)
            or _repeated(agreement.indicators)
        )
        if problem:
            raise AgreementRefused(agreement.assessment, problem)
    ids = [agreement.assessment.pk for agreement in agreements]
    before = _saved(ids)
    if keep_evidence:
        _carry_evidence(agreements, before)
    for chunk in in_chunks(ids):
        WorkIndicator.objects.filter(assessment_id__in=chunk).delete()
    rows = []
    for agreement in agreements:
        for number, indicator in enumerate(agreement.indicators, start=1):
            indicator.assessment, indicator.number = agreement.assessment, number
            rows.append(indicator)
    WorkIndicator.objects.bulk_create(rows, batch_size=500)
    if cycle.work_results_method == Cycle.WorkResultsMethod.INDICATORS:
        _keep_work_results(agreements)
    _clear_confirmations(agreements, before)
    AssessmentEvent.objects.bulk_create(_history(agreements, before, by), batch_size=500)


TERMS = ("title", "unit", "weight", "target_1", "target_2", "target_3", "target_4", "target_5")


def terms(indicators):
    """What the person agreed to: each indicator's words, unit, weight and targets, in order
    (not its achieved level or evidence, written at the end of the round)."""
    return [tuple(getattr(i, name) for name in TERMS) for i in indicators]


def state(indicators):
    """All an agreement's indicators hold: their terms, levels reached and evidence."""
    indicators = list(indicators)
    rows = zip(terms(indicators), indicators, strict=True)
    return [(*row, i.achieved_level, i.evidence) for row, i in rows]


def digest(rows):
    """A short fingerprint of terms(…) or state(…): what a page showed, compared with what is
    saved when its form comes back."""
    text = repr([tuple("" if value is None else str(value) for value in row) for row in rows])
    return hashlib.sha256(text.encode()).hexdigest()[:20]


def _repeated(indicators):
    titles = [indicator.title for indicator in indicators]
    repeated = sorted({title for title in titles if titles.count(title) > 1})
    if repeated:
        return _("The same indicator appears twice: %(title)s.") % {"title": repeated[0]}
    return None


def _saved(ids):
    """{assessment id: [WorkIndicator]} saved for these assessments, in order."""
    saved = {}
    for chunk in in_chunks(ids):
        found = WorkIndicator.objects.filter(assessment_id__in=chunk).order_by("number")
        for indicator in found:
            saved.setdefault(indicator.assessment_id, []).append(indicator)
    return saved


def _carry_evidence(agreements, before):
    for agreement in agreements:
        evidence = {i.title: i.evidence for i in before.get(agreement.assessment.pk, [])}
        for indicator in agreement.indicators:
            if not indicator.evidence:
                indicator.evidence = evidence.get(indicator.title, "")


def _clear_confirmations(agreements, before):
    """A person's confirmation stands for the terms they confirmed: changed terms need theirs
    again (achieved levels and evidence do not)."""
    changed = [
        a.assessment.pk
        for a in agreements
        if terms(before.get(a.assessment.pk, [])) != terms(a.indicators)
    ]
    for chunk in in_chunks(changed):
        Assessment.objects.filter(pk__in=chunk).update(agreement_confirmed_at=None)
    for agreement in agreements:
        if agreement.assessment.pk in changed:
            agreement.assessment.agreement_confirmed_at = None


def changed_meanwhile():
    return _("The agreement was changed meanwhile. Reload the page to see it as it is now.")


def _locked(assessment):
    return (
        Assessment.objects.select_related("cycle")
        .select_for_update(of=("self",))
        .get(pk=assessment.pk)
    )


@transaction.atomic
def save_agreement(*, assessment, indicators, by, expected=None):
    """The supervisor's agreement for one person: `indicators` [WorkIndicator] not saved, in
    order, replace those the person had (write_agreements' rules). `expected`: digest(state(…))
    of the agreement the page showed; a save or an import made since is not overwritten."""
    assessment = _locked(assessment)
    if expected is not None and expected != digest(state(assessment.work_indicators.all())):
        raise ValidationError(changed_meanwhile())
    write_agreements(cycle=assessment.cycle, agreements=[Agreement(assessment, indicators)], by=by)
    return assessment


@transaction.atomic
def confirm_agreement(*, assessment, by, comment="", expected=None):
    """The person confirms the agreement as it stands, with a comment if they have one.
    `expected`: digest(terms(…)) of the agreement the page showed: terms changed since are
    never confirmed unseen."""
    assessment = _locked(assessment)
    problem = refusal(assessment.cycle, assessment)
    if problem:
        raise ValidationError(problem)
    indicators = list(assessment.work_indicators.all())
    if not indicators:
        raise ValidationError(_("There is no agreement to confirm yet."))
    if expected is not None and expected != digest(terms(indicators)):
        raise ValidationError(changed_meanwhile())
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


def _history(agreements, before, by):
    """A line for each agreement whose terms changed, and one with the work results for each
    whose levels reached changed."""
    events = []
    for agreement in agreements:
        old = before.get(agreement.assessment.pk, [])
        line = {"assessment": agreement.assessment, "actor": by}
        if terms(old) != terms(agreement.indicators):
            count = str(len(agreement.indicators))
            action = AssessmentEvent.Action.AGREEMENT
            events.append(AssessmentEvent(action=action, detail=count, **line))
        levels = [i.achieved_level for i in agreement.indicators]
        if levels != [i.achieved_level for i in old] and any(x is not None for x in levels):
            work = results.work_results_of(agreement.indicators)
            detail = "" if work is None else format(work, "f")
            action = AssessmentEvent.Action.WORK_ASSESSED
            events.append(AssessmentEvent(action=action, detail=detail, **line))
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
