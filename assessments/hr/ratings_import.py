"""HR's page for importing ratings keyed in from paper forms, and the blank CSV for one person.
Each view parses input, calls assessments/ratings_import.py and renders."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from assessments.hr.ratings_import_forms import RatingsConfirmForm, RatingsUploadForm, RoundForm
from assessments.imports import ratings as ratings_import
from assessments.models import Assessment
from assessments.selectors import rating as selectors

TEMPLATE = "ratings_import/upload.html"


def upload(request):
    """First POST: check the file and show what it would do. Confirm POST: import it."""
    if request.method == "POST" and "csv_data" in request.POST:
        return _confirmed(request)
    round_form = RoundForm(request.GET or None)
    initial = {"cycle": round_form.chosen()}
    form = RatingsUploadForm(request.POST or None, request.FILES or None, initial=initial)
    context = {"form": form}
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        context.update(_checked(data["file"], data["cycle"], data["submit"]))
    return render(request, TEMPLATE, {**context, **_people(round_form)})


def _people(round_form):
    """The people of the chosen round, each with a link to their blank CSV."""
    cycle = round_form.chosen()
    people = selectors.cycle_assessments(cycle) if cycle is not None else []
    return {"round_form": round_form, "template_cycle": cycle, "template_people": people}


def _checked(content, cycle, submit, dry_run=True, by=None):
    """The report of importing `content`, or its errors, for the template."""
    try:
        report = ratings_import.import_ratings(
            rows_or_file=content, cycle=cycle, by=by, dry_run=dry_run, submit=submit
        )
    except ratings_import.ImportErrors as errors:
        return {"errors": errors.messages}
    return {"report": report, "confirm_form": RatingsConfirmForm.carrying(content, cycle, submit)}


def _confirmed(request):
    confirm_form = RatingsConfirmForm(request.POST)
    if not confirm_form.is_valid():
        errors = [error for field_errors in confirm_form.errors.values() for error in field_errors]
        context = {"form": RatingsUploadForm(), "errors": errors}
        return render(request, TEMPLATE, {**context, **_people(RoundForm())})
    data = confirm_form.cleaned_data
    result = _checked(data["csv_data"], data["cycle"], data["submit"], False, request.user)
    if "errors" in result:
        form = RatingsUploadForm(initial={"cycle": data["cycle"]})
        return render(request, TEMPLATE, {"form": form, **result, **_people(RoundForm())})
    report = result["report"]
    message = _(
        "Ratings imported into round %(code)s. People: %(people)d; new: %(new)d, "
        "changed: %(changed)d, unchanged: %(same)d."
    ) % {
        "code": report.cycle.code,
        "people": report.people,
        "new": report.new,
        "changed": report.changed,
        "same": report.same,
    }
    messages.success(request, message)
    if report.submit:
        submitted = _("Tracks submitted: %(count)d.") % {"count": len(report.submitted)}
        messages.success(request, submitted)
        if report.incomplete:
            names = ", ".join(f"{row.full_name} ({row.role_label})" for row in report.incomplete)
            message = _("Not submitted because some indicators are not rated yet: %(names)s.")
            messages.warning(request, message % {"names": names})
    return redirect(report.cycle)


def csv_template(request, assessment_pk):
    """The ratings CSV of one person's round, every indicator with an empty value."""
    assessment = get_object_or_404(
        Assessment.objects.select_related("cycle__framework", "employee"), pk=assessment_pk
    )
    response = HttpResponse(
        ratings_import.csv_template(assessment), content_type="text/csv; charset=utf-8"
    )
    name = f"ratings-{assessment.cycle.code}-{assessment.employee.employee_code}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
