"""The results page and the steps staff take on it: acknowledge, record a refusal, review."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from assessments import forms, permissions, services
from assessments.models import DevelopmentMethod, Role
from assessments.reports.context import development_plan, plan_choices
from assessments.selectors import rating as selectors
from assessments.selectors.results import results_of_loaded
from assessments.services import plans
from assessments.views.common import assessment_for, flash_errors
from competency_portal.lib.textguard import clean_text, whole_number


@login_required
def results(request, pk):
    assessment = assessment_for(request.user, pk)
    sheet = selectors.rating_sheet(assessment, Role.SUPERVISOR)
    results = results_of_loaded(assessment).beside(sheet.blocks)
    user = request.user
    may_plan = _rater_or_hr(user, assessment) and not plans.plan_locked_reason(assessment)
    steps = services.allowed_steps(assessment, user)
    rater_search = clean_text(request.GET.get("rater_q", ""))[:100]
    context = {
        "assessment": assessment,
        "sheet": sheet,
        "results": results,
        "plan": development_plan(sheet, results, plan_choices(assessment)),
        "may_plan": may_plan,
        "methods": DevelopmentMethod.objects.filter(active=True) if may_plan else [],
        "events": assessment.events.select_related("actor").order_by("at", "pk"),
        "can_acknowledge": permissions.can_rate_self(user, assessment),
        "can_record_refusal": permissions.can_rate_as_supervisor(user, assessment),
        "can_review": permissions.can_review(user, assessment),
        "can_manage": permissions.can_manage(user),
        "finalize_blockers": services.finalize_blockers(assessment),
        "steps": steps,
        "refusal_form": forms.RefusalForm(),
        "review_form": forms.ReviewForm(),
        "reopen_form": forms.ReopenForm(),
        "outside_form": forms.OutsidePeopleForm(
            initial={
                "rater_name": assessment.outside_rater_name,
                "rater_position": assessment.outside_rater_position,
                "reviewer_name": assessment.outside_reviewer_name,
                "reviewer_position": assessment.outside_reviewer_position,
            }
        ),
        "rater_form": forms.RaterForm(
            initial={"supervisor": assessment.supervisor_id},
            exclude=assessment.employee_id,
            assessment=assessment,
            search=rater_search,
        )
        if "change_rater" in steps
        else None,
        "rater_search": rater_search,
    }
    return render(request, "assessments/results.html", context)


def workflow_step(request, pk, allowed, service, success, form_class=None):
    """Run one workflow service for a POST and come back to the results page.

    The form's fields are the service's keyword arguments (witness, opinion, reason, …).
    """
    assessment = assessment_for(request.user, pk, allowed)
    form = form_class(request.POST) if form_class else None
    try:
        if form is not None and not form.is_valid():
            raise ValidationError([e for errors in form.errors.values() for e in errors])
        service(
            assessment=assessment,
            by=request.user,
            expected_version=_version(request),
            **(form.cleaned_data if form is not None else {}),
        )
    except services.StaleAssessment as error:
        messages.error(request, str(error))
    except ValidationError as error:
        flash_errors(request, error)
    else:
        messages.success(request, success)
    return redirect("assessments:results", pk=pk)


def _version(request):
    try:
        return forms.parse_version(request.POST)
    except ValidationError:
        return None


@login_required
@require_POST
def acknowledge(request, pk):
    success = _("You have acknowledged the results.")
    return workflow_step(request, pk, permissions.can_rate_self, services.acknowledge, success)


@login_required
@require_POST
def record_refusal(request, pk):
    allowed = permissions.can_speak_for_the_rater
    success = _("The refusal was recorded.")
    return workflow_step(request, pk, allowed, services.record_refusal, success, forms.RefusalForm)


@login_required
@require_POST
def review(request, pk):
    success = _("Your opinion was saved.")
    return workflow_step(request, pk, _reviewer_or_hr, services.review, success, forms.ReviewForm)


def _reviewer_or_hr(user, assessment):
    """The next-level supervisor, or HR keying in an opinion given on the paper form."""
    return permissions.can_review(user, assessment) or permissions.can_manage(user)


def _rater_or_hr(user, assessment):
    """The supervisor who rates, or HR keying in a plan written on paper."""
    return permissions.can_rate_as_supervisor(user, assessment) or permissions.can_manage(user)


@login_required
@require_POST
def save_plan(request, pk):
    """The development plan's methods and periods, chosen on the results page."""
    assessment = assessment_for(request.user, pk, _rater_or_hr)
    sheet = selectors.rating_sheet(assessment, Role.SUPERVISOR)
    plan = development_plan(sheet, results_of_loaded(assessment).beside(sheet.blocks))
    competencies = {item.competency.pk: item.competency for item in plan}
    try:
        plans.save_development_plan(
            assessment=assessment,
            by=request.user,
            choices=_plan_choices(request.POST, competencies),
            competencies=competencies,
        )
    except ValidationError as error:
        flash_errors(request, error)
    else:
        messages.success(request, _("The development plan was saved."))
    return redirect(f"{assessment.get_absolute_url()}#plan-title")


def _plan_choices(data, competencies):
    """{competency id: (method id, period)} of the plan's form, and of any other competency id
    the form sent (refused by the service)."""
    sent = {key.removeprefix("method-") for key in data if key.startswith("method-")}
    ids = set(competencies) | {whole_number(key) or -1 for key in sent}
    return {pk: (data.get(f"method-{pk}", ""), data.get(f"period-{pk}", "")) for pk in sorted(ids)}
