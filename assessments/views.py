"""Assessment pages: parse input, call a service, render. Access rules: permissions.py."""

from collections import Counter

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from assessments import dashboard, forms, permissions, printing, selectors, services
from assessments.models import STAGES, Cycle, PrintJob, Reminder, Role, Track
from assessments.reports.context import development_plan
from framework.models import Framework
from framework.selectors import published_framework
from framework.templatetags.thai import thai_digits

ROLE_PAGES = {
    Role.SELF: ("assessments:self", permissions.can_rate_self),
    Role.SUPERVISOR: ("assessments:rate", permissions.can_rate_as_supervisor),
}


def _error_messages(error):
    return error.messages if hasattr(error, "messages") else [str(error)]


def _flash_errors(request, error):
    for text in _error_messages(error):
        messages.error(request, text)


# ---------------------------------------------------------------- rating pages


@login_required
def self_assessment(request, pk):
    return _rating_page(request, pk, Role.SELF)


@login_required
def supervisor_rating(request, pk):
    return _rating_page(request, pk, Role.SUPERVISOR)


def _rating_page(request, pk, role):
    url_name, allowed = ROLE_PAGES[role]
    assessment = permissions.assessment_for(request.user, pk, allowed)
    missing = []
    status = 200
    if request.method == "POST":
        outcome = _save_rating_post(request, assessment, role)
        if outcome is None:
            return redirect(url_name, pk=pk)
        status, missing = outcome
        assessment.refresh_from_db()
    sheet = selectors.rating_sheet(assessment, role)
    work_results = assessment.work_results
    if status in (400, 409):
        # Nothing was saved: show what the person entered, so that nothing typed is lost.
        work_results = _keep_posted(sheet, request.POST)
    context = {
        "assessment": assessment,
        "sheet": sheet,
        "role": role,
        "read_only": _read_only(assessment, role),
        "missing": missing,
        "missing_ids": {indicator.pk for indicator in missing},
        "work_results": work_results,
    }
    return render(request, "assessments/rating.html", context, status=status)


def _keep_posted(sheet, post):
    """Put the posted (refused) ratings and comments back on the sheet; return work results."""
    try:
        values, comments = forms.parse_ratings(post)
    except ValidationError:
        return post.get("work_results", "")
    for block in sheet.blocks:
        block.comment = comments.get(block.competency.pk, block.comment)
        for level_rows in block.levels:
            for row in level_rows.rows:
                row.value = values.get(row.indicator.pk, row.value)
    return post.get("work_results", "")


def _read_only(assessment, role):
    return (
        assessment.track_state(role) == Track.SUBMITTED
        or assessment.is_finalized
        or not assessment.cycle.is_open
    )


def _save_rating_post(request, assessment, role):
    """Save (and maybe submit) one track. None when done; else (status, missing indicators)."""
    try:
        values, comments = forms.parse_ratings(request.POST)
        version = forms.parse_version(request.POST)
        extra = {}
        if role == Role.SUPERVISOR:
            extra["work_results"] = services.parse_work_results(request.POST.get("work_results"))
        assessment = services.save_ratings(
            assessment=assessment,
            role=role,
            by=request.user,
            values=values,
            comments=comments,
            expected_version=version,
            **extra,
        )
    except services.StaleAssessment as error:
        messages.error(request, str(error))
        return 409, []
    except ValidationError as error:
        _flash_errors(request, error)
        return 400, []
    if request.POST.get("action") != "submit":
        messages.success(request, _("Your draft was saved."))
        return None
    try:
        services.submit_track(assessment=assessment, role=role, by=request.user)
    except services.IncompleteRatings as error:
        messages.warning(request, error.message)
        return 200, error.missing
    except ValidationError as error:
        _flash_errors(request, error)
        return 400, []
    messages.success(request, _("Submitted. The ratings can no longer be changed."))
    return None


# ---------------------------------------------------------------- results and workflow


@login_required
def results(request, pk):
    assessment = permissions.assessment_for(request.user, pk)
    sheet = selectors.rating_sheet(assessment, Role.SUPERVISOR)
    results = selectors.results(sheet)
    user = request.user
    context = {
        "assessment": assessment,
        "sheet": sheet,
        "results": results,
        "plan": development_plan(sheet, results),
        "events": assessment.events.select_related("actor").order_by("at", "pk"),
        "can_acknowledge": permissions.can_rate_self(user, assessment),
        "can_record_refusal": permissions.can_rate_as_supervisor(user, assessment),
        "can_review": permissions.can_review(user, assessment),
        "can_manage": permissions.can_manage(user),
        "finalize_blockers": services.finalize_blockers(assessment),
        "refusal_form": forms.RefusalForm(),
        "review_form": forms.ReviewForm(),
        "reopen_form": forms.ReopenForm(),
        "rater_form": forms.RaterForm(
            initial={"supervisor": assessment.supervisor_id}, exclude=assessment.employee_id
        ),
    }
    return render(request, "assessments/results.html", context)


def _workflow_step(request, pk, allowed, service, success, form_class=None):
    """Run one workflow service for a POST and come back to the results page.

    The form's fields are the service's keyword arguments (witness, opinion, reason, …).
    """
    assessment = permissions.assessment_for(request.user, pk, allowed)
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
        _flash_errors(request, error)
    else:
        messages.success(request, success)
    return redirect("assessments:results", pk=pk)


def _version(request):
    try:
        return forms.parse_version(request.POST)
    except ValidationError:
        return None


def _hr(user, _assessment=None):
    return permissions.can_manage(user)


@login_required
@require_POST
def acknowledge(request, pk):
    success = _("You have acknowledged the results.")
    return _workflow_step(request, pk, permissions.can_rate_self, services.acknowledge, success)


@login_required
@require_POST
def record_refusal(request, pk):
    allowed = permissions.can_rate_as_supervisor
    success = _("The refusal was recorded.")
    return _workflow_step(request, pk, allowed, services.record_refusal, success, forms.RefusalForm)


@login_required
@require_POST
def review(request, pk):
    success = _("Your opinion was saved.")
    return _workflow_step(request, pk, _reviewer_or_hr, services.review, success, forms.ReviewForm)


def _reviewer_or_hr(user, assessment):
    """The next-level supervisor, or HR keying in an opinion given on the paper form."""
    return permissions.can_review(user, assessment) or permissions.can_manage(user)


@login_required
@require_POST
def finalize(request, pk):
    return _workflow_step(request, pk, _hr, services.finalize, _("The assessment was finalised."))


@login_required
@require_POST
def change_rater(request, pk):
    success = _("The rater was changed.")
    return _workflow_step(request, pk, _hr, services.change_rater, success, forms.RaterForm)


@login_required
@require_POST
def reopen(request, pk):
    success = _("The step was reopened.")
    return _workflow_step(request, pk, _hr, services.reopen, success, forms.ReopenForm)


# ---------------------------------------------------------------- home and team


@login_required
def home(request):
    """What this person has to do now: their own assessment, their team, HR tools."""
    me = permissions.employee_of(request.user)
    cycle = selectors.open_cycle()
    rows = selectors.team(me, cycle)
    context = {
        "today": timezone.localdate(),
        "cycle": cycle,
        "framework": published_framework(),
        "me": me,
        "own": selectors.own_assessment(me, cycle),
        "to_rate": [a for a in rows if a.supervisor_id == me.pk] if me else [],
        "to_review": [a for a in rows if a.reviewer_id == me.pk] if me else [],
        "is_hr": permissions.can_manage(request.user),
    }
    return render(request, "home.html", context)


@login_required
def team(request):
    me = permissions.employee_of(request.user)
    cycle = selectors.open_cycle()
    rows = selectors.team(me, cycle)
    return render(
        request,
        "assessments/team.html",
        {
            "cycle": cycle,
            "to_rate": [a for a in rows if a.supervisor_id == me.pk] if me else [],
            "to_review": [a for a in rows if a.reviewer_id == me.pk] if me else [],
        },
    )


# ---------------------------------------------------------------- HR: rounds


def _require_hr(request):
    if not permissions.can_manage(request.user):
        raise PermissionDenied


@login_required
def cycle_list(request):
    _require_hr(request)
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
            _flash_errors(request, error)
        else:
            messages.success(
                request, _("Round %(code)s was created.") % {"code": thai_digits(cycle.code)}
            )
            return redirect(cycle)
    cycles = Cycle.objects.select_related("framework").order_by("-fiscal_year", "-round")
    return render(request, "assessments/cycle_list.html", {"cycles": cycles, "form": form})


@login_required
def cycle_detail(request, pk):
    _require_hr(request)
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
        },
    )


def _cycle_step(request, pk, service, success, confirm_form=None):
    """Run one round service for HR's POST; `success(cycle, result)` is the message."""
    _require_hr(request)
    cycle = get_object_or_404(Cycle, pk=pk)
    try:
        if confirm_form is not None and not (form := confirm_form(request.POST)).is_valid():
            raise ValidationError(form.errors["confirm"])
        result = service(cycle=cycle, by=request.user)
    except ValidationError as error:
        _flash_errors(request, error)
    else:
        messages.success(request, success(cycle, result))
    return redirect(cycle)


def _round_is(message):
    return lambda cycle, _result: message % {"code": thai_digits(cycle.code)}


@login_required
@require_POST
def cycle_open(request, pk):
    return _cycle_step(request, pk, services.open_cycle, _round_is(_("Round %(code)s is open.")))


@login_required
@require_POST
def cycle_close(request, pk):
    success = _round_is(_("Round %(code)s is closed."))
    return _cycle_step(request, pk, services.close_cycle, success, forms.CloseCycleForm)


@login_required
@require_POST
def cycle_add_people(request, pk):
    def success(_cycle, count):
        return _("%(count)d people were added to the round.") % {"count": count}

    return _cycle_step(request, pk, services.add_missing_assessments, success)


@login_required
@require_POST
def cycle_reopen(request, pk):
    success = _round_is(_("Round %(code)s is open."))
    return _cycle_step(request, pk, services.reopen_cycle, success)


# ---------------------------------------------------------------- HR: batch printing


@login_required
@require_POST
def print_job_create(request, pk):
    _require_hr(request)
    cycle = get_object_or_404(Cycle, pk=pk)
    try:
        job = printing.request_batch_print(
            cycle=cycle, by=request.user, department=request.POST.get("department", "")
        )
    except ValidationError as error:
        _flash_errors(request, error)
        return redirect(cycle)
    return redirect(job)


@login_required
def print_job_detail(request, pk):
    _require_hr(request)
    job = get_object_or_404(PrintJob.objects.select_related("cycle", "requested_by"), pk=pk)
    return render(request, "assessments/print_job.html", {"job": job})


@login_required
def print_job_file(request, pk):
    _require_hr(request)
    job = get_object_or_404(PrintJob, pk=pk)
    if not job.file:
        raise Http404
    return FileResponse(job.file.open("rb"), as_attachment=True, filename=job.file_name())


# ---------------------------------------------------------------- HR: framework preview


@login_required
def framework_preview(request, version):
    """A framework version exactly as raters will see it on the rating page (nothing saved)."""
    _require_hr(request)
    framework = get_object_or_404(
        Framework, organisation=settings.PORTAL_ORGANISATION, version=version
    )
    return render(
        request,
        "assessments/preview.html",
        {"framework": framework, "sheet": selectors.blank_sheet(framework), "role": "self"},
    )


# ---------------------------------------------------------------- HR: round dashboard


@login_required
def round_dashboard(request):
    """Counts per stage and division, the people still to act, reminders by email."""
    _require_hr(request)
    cycle = _dashboard_cycle(request)
    if cycle is None:
        return render(request, "assessments/dashboard.html", {"cycle": None})
    department = request.GET.get("department", "")
    step = request.GET.get("step", "")
    sort = request.GET.get("sort", "department")
    data = dashboard.dashboard(cycle, department, step, sort)
    if request.method == "POST":
        report = dashboard.send_reminders(cycle=cycle, to_act=data.to_act, by=request.user)
        _report_reminders(request, report)
        return redirect(request.get_full_path())
    context = {
        "cycle": cycle,
        "data": data,
        "cycles": Cycle.objects.exclude(status=Cycle.Status.DRAFT).order_by(
            "-fiscal_year", "-round"
        ),
        "department": department,
        "step": step,
        "sort": sort,
        "steps": Reminder.Step.choices,
    }
    return render(request, "assessments/dashboard.html", context)


def _dashboard_cycle(request):
    raw = request.GET.get("cycle", "")
    if raw.isdigit():
        return get_object_or_404(Cycle, pk=int(raw))
    return selectors.open_cycle() or Cycle.objects.exclude(status=Cycle.Status.DRAFT).first()


def _report_reminders(request, report):
    if report.sent:
        messages.success(
            request,
            _("Reminders sent to %(count)s people: %(names)s")
            % {"count": thai_digits(len(report.sent)), "names": ", ".join(report.sent)},
        )
    if report.already_today:
        messages.info(
            request,
            _("Already reminded today, not sent again: %(names)s")
            % {"names": ", ".join(report.already_today)},
        )
    if report.no_email:
        messages.warning(
            request,
            _("No email address, not reminded: %(names)s") % {"names": ", ".join(report.no_email)},
        )
    if not (report.sent or report.already_today or report.no_email):
        messages.info(request, _("Nobody in the list to remind."))
