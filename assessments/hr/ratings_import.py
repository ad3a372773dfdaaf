"""HR's page for importing ratings keyed in from paper forms, and the blank CSV for one person.
The page is the import flow of assessments/hr/import_flow.py over assessments/imports/ratings.py."""

from django.contrib import messages
from django.core.exceptions import BadRequest
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _

from assessments.hr.import_flow import ImportFlow
from assessments.hr.ratings_import_forms import (
    RatingsConfirmForm,
    RatingsUploadForm,
    RoundForm,
    TemplateRoleForm,
)
from assessments.imports import ratings as ratings_import
from assessments.models import Assessment, Role
from assessments.selectors import rating as selectors
from competency_portal.lib.downloads import CSV_TYPE, download
from competency_portal.lib.thai import thai_digits, thai_numbers


def _upload_form(request):
    initial = {"cycle": RoundForm(request.GET or None).chosen()}
    return RatingsUploadForm(request.POST or None, request.FILES or None, initial=initial)


def _people(request, confirming):
    """The people of the chosen round, each with a link to their blank CSV for the chosen
    role."""
    round_form = RoundForm() if confirming else RoundForm(request.GET or None)
    cycle = round_form.chosen()
    people = selectors.cycle_assessments(cycle) if cycle is not None else []
    return {
        "round_form": round_form,
        "template_cycle": cycle,
        "template_people": people,
        "template_role": round_form.chosen_role(),
    }


def _check(content, choices, *, dry_run, by):
    return ratings_import.import_ratings(
        rows_or_file=content,
        cycle=choices["cycle"],
        by=by,
        dry_run=dry_run,
        submit=choices["submit"],
    )


def _done(request, report):
    message = _(
        "Ratings imported into round %(code)s. People: %(people)s; new: %(new)s, "
        "changed: %(changed)s, unchanged: %(same)s."
    ) % thai_numbers(
        {
            "code": thai_digits(report.cycle.code),
            "people": report.people,
            "new": report.new,
            "changed": report.changed,
            "same": report.same,
        }
    )
    messages.success(request, message)
    if report.submit:
        submitted = _("Tracks submitted: %(count)s.") % thai_numbers(
            {"count": len(report.submitted)}
        )
        messages.success(request, submitted)
        if report.incomplete:
            names = ", ".join(f"{row.full_name} ({row.role_label})" for row in report.incomplete)
            message = _("Not submitted because some indicators are not rated yet: %(names)s.")
            messages.warning(request, message % {"names": names})
    return redirect(report.cycle)


upload = ImportFlow(
    template="ratings_import/upload.html",
    upload_form=_upload_form,
    confirm_form=RatingsConfirmForm,
    check=_check,
    carry=lambda content, c: RatingsConfirmForm.carrying(content, c["cycle"], c["submit"]),
    done=_done,
    blank_form=lambda choices: RatingsUploadForm(initial={"cycle": choices.get("cycle")}),
    page=_people,
)


def csv_template(request, assessment_pk):
    """The ratings CSV of one person's round, every indicator with its words and an empty
    value, for the role of `?role=` (self when left out; anything else is refused: 400)."""
    try:
        role = TemplateRoleForm(request.GET).role_or_default()
    except ValueError as error:
        raise BadRequest(str(error)) from error
    assessment = get_object_or_404(
        Assessment.objects.select_related("cycle__framework", "employee"), pk=assessment_pk
    )
    suffix = "" if role == Role.SELF else f"-{role}"
    name = f"ratings-{assessment.cycle.code}-{assessment.employee.employee_code}{suffix}.csv"
    return download(ratings_import.csv_template(assessment, role), name, CSV_TYPE)
