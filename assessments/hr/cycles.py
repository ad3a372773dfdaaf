"""HR's pages for rounds: the list, creating one, a round's page, opening, closing, reopening,
adding people who joined after it opened."""

from collections import Counter

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from assessments import forms, services
from assessments.models import STAGES, Cycle, PrintJob
from assessments.selectors import rating as selectors
from assessments.selectors.results import band_ranges, preview_by_method
from assessments.services import outside, rounds
from assessments.views.common import flash_errors
from competency_portal.lib.thai import thai_digits, thai_numbers
from framework.selectors import competency_codes, published_framework


def cycle_list(request):
    form = forms.CycleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            cycle = services.create_cycle(
                code=form.cleaned_data["code"],
                fiscal_year=form.cleaned_data["fiscal_year"],
                round_number=form.cleaned_data["round"],
                competency_weight=form.cleaned_data["competency_weight"],
            )
        except ValidationError as error:
            flash_errors(request, error)
        else:
            messages.success(
                request, _("Round %(code)s was created.") % {"code": thai_digits(cycle.code)}
            )
            return redirect(cycle)
    cycles = Cycle.objects.select_related("framework").order_by("-fiscal_year", "-round")
    return render(request, "assessments/cycle_list.html", {"cycles": cycles, "form": form})


def cycle_detail(request, pk):
    cycle = get_object_or_404(Cycle.objects.select_related("framework"), pk=pk)
    rows = selectors.cycle_assessments(cycle)
    counts = Counter(assessment.stage for assessment in rows)
    stages = [(code, label, counts.get(code, 0)) for code, label in STAGES]
    return render(
        request,
        "assessments/cycle_detail.html",
        {
            "cycle": cycle,
            "assessments": rows,
            "stages": stages,
            "unfinished": sum(1 for a in rows if not a.is_finalized),
            "missing_people": services.people_without_assessment(cycle),
            "close_form": forms.CloseCycleForm(),
            "departments": sorted({a.department_name for a in rows}),
            "print_jobs": cycle.print_jobs.order_by("-requested_at")[:5],
            "print_only_choices": PrintJob.Only.choices,
            **scoring_context(cycle),
            "outside_form": forms.RoundOutsideForm(
                prefix="outside",
                initial={"name": cycle.outside_name, "position": cycle.outside_position},
            ),
        },
    )


def _cycle_step(request, pk, service, success, confirm_form=None):
    """Run one round service for HR's POST; `success(cycle, result)` is the message."""
    cycle = get_object_or_404(Cycle, pk=pk)
    try:
        if confirm_form is not None and not (form := confirm_form(request.POST)).is_valid():
            raise ValidationError(form.errors["confirm"])
        result = service(cycle=cycle, by=request.user)
    except ValidationError as error:
        flash_errors(request, error)
    else:
        messages.success(request, success(cycle, result))
    return redirect(cycle)


def _round_is(message):
    return lambda cycle, _result: message % {"code": thai_digits(cycle.code)}


@require_POST
def cycle_open(request, pk):
    return _cycle_step(request, pk, services.open_cycle, _round_is(_("Round %(code)s is open.")))


@require_POST
def cycle_close(request, pk):
    success = _round_is(_("Round %(code)s is closed."))
    return _cycle_step(request, pk, services.close_cycle, success, forms.CloseCycleForm)


@require_POST
def cycle_add_people(request, pk):
    def success(_cycle, count):
        return _("%(count)s people were added to the round.") % thai_numbers({"count": count})

    return _cycle_step(request, pk, services.add_missing_assessments, success)


@require_POST
def cycle_reopen(request, pk):
    success = _round_is(_("Round %(code)s is open."))
    return _cycle_step(request, pk, services.reopen_cycle, success)


@require_POST
def cycle_scoring(request, pk):
    """How the round scores, chosen before it opens (services/rounds.py, set_scoring)."""
    cycle = get_object_or_404(Cycle, pk=pk)
    framework = _framework_for(cycle)
    form = forms.RoundScoringForm(request.POST, codes=competency_codes(framework))
    try:
        if framework is None:
            raise ValidationError(_("No framework version is published yet."))
        if not form.is_valid():
            raise ValidationError([e for errors in form.errors.values() for e in errors])
        services.set_scoring(
            cycle=cycle,
            method=form.cleaned_data["method"],
            work_results_method=form.cleaned_data["work_results_method"] or None,
            competency_weight=form.cleaned_data["competency_weight"],
            weights=form.weights(),
            thresholds=form.threshold_list(),
            framework=framework,
        )
    except ValidationError as error:
        flash_errors(request, error)
    else:
        messages.success(
            request,
            _("How round %(code)s scores was saved.") % {"code": thai_digits(cycle.code)},
        )
    return redirect(cycle.get_absolute_url() + "#scoring")


def _framework_for(cycle):
    """The version the round pins, or (not opened yet) the one it would pin now."""
    if cycle.framework_id is not None:
        return cycle.framework
    return published_framework()


def scoring_context(cycle):
    """The round page's scoring section: the form (before opening) and the preview."""
    framework = _framework_for(cycle)
    codes = competency_codes(framework)
    initial = {
        "method": cycle.method,
        "work_results_method": cycle.work_results_method,
        "competency_weight": cycle.competency_weight,
        "thresholds": ", ".join(cycle.band_thresholds),
        **{f"weight_{code}": cycle.competency_weights.get(code) for code in codes},
    }
    preview, weights_fit = [], True
    if framework is not None and cycle.method == Cycle.Method.RATING:
        try:  # weights saved for a version since replaced may no longer fit
            rounds.checked_weights(cycle.competency_weights, codes)
        except ValidationError:
            weights_fit = False
    if framework is not None and weights_fit:
        preview = preview_by_method(framework, cycle.method, cycle.competency_weights)
    return {
        "scoring_form": forms.RoundScoringForm(initial=initial, codes=codes),
        "scoring_preview": preview,
        "scoring_codes": codes,
        "scoring_bands": band_ranges(cycle),
    }


@require_POST
def cycle_outside(request, pk):
    """The round's person above the organisation (the นายก อบต.)."""
    cycle = get_object_or_404(Cycle, pk=pk)
    form = forms.RoundOutsideForm(request.POST, prefix="outside")
    try:
        if not form.is_valid():
            raise ValidationError([e for errors in form.errors.values() for e in errors])
        outside.name_round_outside(cycle=cycle, **form.cleaned_data)
    except ValidationError as error:
        flash_errors(request, error)
    else:
        messages.success(request, _("Saved."))
    return redirect(cycle)
