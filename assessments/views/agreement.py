"""A person's performance agreement (ข้อตกลงการปฏิบัติงาน, issue 15): the supervisor who rates
writes it (and, at the end of the round, the level each indicator reached with its evidence);
the person reads and confirms it, with a comment if they have one; whoever may see the
assessment may read it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest, PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from assessments import forms, permissions
from assessments.models import WorkIndicator
from assessments.reports.context import expected_levels
from assessments.selectors.results import work_table
from assessments.services import agreements
from assessments.views.common import assessment_for, flash_errors
from competency_portal.lib.thai import thai_digits

SPARE_ROWS = 3  # empty rows below the agreement, for new indicators
PREFIX = "w"


@login_required
def agreement(request, pk):
    assessment = assessment_for(request.user, pk)
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "save":
            return _save(request, assessment)
        if action == "confirm":
            return _confirm(request, assessment)
        raise BadRequest("unknown action")
    indicators = list(assessment.work_indicators.all())
    copied = _copied(request, assessment)
    formset = None
    if _may_edit(request.user, assessment):
        formset = _formset(copied or indicators)
    return _page(request, assessment, indicators, formset, copied=bool(copied))


def _may_edit(user, assessment):
    refused = agreements.refusal(assessment.cycle, assessment)
    return permissions.can_rate_as_supervisor(user, assessment) and refused is None


def _may_confirm(user, assessment, indicators):
    refused = agreements.refusal(assessment.cycle, assessment)
    return permissions.can_rate_self(user, assessment) and refused is None and bool(indicators)


def _copied(request, assessment):
    """Indicators to start from, when the rater asked for them: the person's previous round's
    (`?copy=previous`) or another agreement of theirs in this round (`?copy=<assessment id>`,
    one of team_agreements: nobody else's agreement can be read this way)."""
    source = request.GET.get("copy")
    if not source or not _may_edit(request.user, assessment):
        return []
    if source == "previous":
        copied = agreements.previous_indicators(assessment)
        if not copied:
            messages.info(request, _("There is no agreement of an earlier round to copy."))
        return copied
    team = {str(other.pk): other for other in agreements.team_agreements(assessment)}
    if source not in team:
        raise BadRequest("not an agreement of this rater's team")
    return agreements.copied_from(team[source])


def _formset(indicators, data=None):
    fields = (*agreements.TERMS, "achieved_level", "evidence")
    initial = [{name: getattr(i, name) for name in fields} for i in indicators]
    spare = max(0, min(SPARE_ROWS, agreements.MAX_INDICATORS - len(initial)))
    initial += [{} for _ in range(spare)]
    return forms.WorkIndicatorFormSet(data, initial=initial, prefix=PREFIX)


def _page(request, assessment, indicators, formset, *, copied=False, status=200):
    context = {
        "assessment": assessment,
        "indicators": indicators,
        "work": work_table(indicators),
        "formset": formset,
        "copied": copied,
        "may_confirm": _may_confirm(request.user, assessment, indicators),
        "confirm_form": forms.AgreementConfirmForm(
            initial={"terms": agreements.digest(agreements.terms(indicators))}
        ),
        "shown": agreements.digest(agreements.state(indicators)),
        "refused": agreements.refusal(assessment.cycle, assessment),
        "is_rater": permissions.can_rate_as_supervisor(request.user, assessment),
        "team": agreements.team_agreements(assessment) if formset is not None else [],
        "competencies": expected_levels(assessment),
    }
    return render(request, "assessments/agreement.html", context, status=status)


def _save(request, assessment):
    if not _may_edit(request.user, assessment):
        raise PermissionDenied
    formset = forms.WorkIndicatorFormSet(request.POST, prefix=PREFIX)
    try:
        if not formset.is_valid():
            raise ValidationError(_formset_errors(formset))
        rows = [form.cleaned_data for form in formset.forms if not form.is_blank()]
        indicators = [WorkIndicator(**row) for row in rows]
        agreements.save_agreement(
            assessment=assessment,
            indicators=indicators,
            by=request.user,
            expected=request.POST.get("shown") or "",
        )
    except ValidationError as error:
        flash_errors(request, error)
        current = list(assessment.work_indicators.all())
        return _page(request, assessment, current, formset, status=400)
    messages.success(request, _("The agreement was saved."))
    return redirect("assessments:agreement", pk=assessment.pk)


def _formset_errors(formset):
    errors = list(formset.non_form_errors())
    for number, form in enumerate(formset.forms, start=1):
        for field_errors in form.errors.values():
            message = _("Indicator %(n)s: %(error)s")
            errors += [message % {"n": thai_digits(number), "error": e} for e in field_errors]
    return errors


def _confirm(request, assessment):
    indicators = list(assessment.work_indicators.all())
    if not _may_confirm(request.user, assessment, indicators):
        raise PermissionDenied
    form = forms.AgreementConfirmForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError([e for errors in form.errors.values() for e in errors])
        agreements.confirm_agreement(
            assessment=assessment,
            by=request.user,
            comment=form.cleaned_data["comment"],
            expected=form.cleaned_data["terms"],
        )
    except ValidationError as error:
        flash_errors(request, error)
        return _page(request, assessment, indicators, None, status=400)
    messages.success(request, _("You have confirmed the agreement."))
    return redirect("assessments:agreement", pk=assessment.pk)
