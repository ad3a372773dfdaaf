"""HR's page for importing performance agreements (issue 15): the import flow of
assessments/hr/import_flow.py over assessments/imports/agreements.py."""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from assessments.hr.import_flow import ImportFlow
from assessments.hr.ratings_import_forms import AgreementsConfirmForm, AgreementsUploadForm
from assessments.imports import agreements as agreements_import
from competency_portal.lib.thai import thai_digits, thai_numbers


def _upload_form(request):
    return AgreementsUploadForm(request.POST or None, request.FILES or None)


def _check(content, choices, *, dry_run, by):
    return agreements_import.import_agreements(
        rows_or_file=content, cycle=choices["cycle"], by=by, dry_run=dry_run
    )


def _done(request, report):
    message = _(
        "Performance agreements imported into round %(code)s. People: %(people)s; "
        "indicators: %(indicators)s."
    ) % thai_numbers(
        {
            "code": thai_digits(report.cycle.code),
            "people": report.people,
            "indicators": report.indicators,
        }
    )
    messages.success(request, message)
    return redirect(report.cycle)


upload = ImportFlow(
    template="ratings_import/agreements.html",
    upload_form=_upload_form,
    confirm_form=AgreementsConfirmForm,
    check=_check,
    carry=lambda content, choices: AgreementsConfirmForm.carrying(content, choices["cycle"]),
    done=_done,
    blank_form=lambda choices: AgreementsUploadForm(initial={"cycle": choices.get("cycle")}),
)
