"""HR's pages for people: the list, adding and editing a person, passwords, deactivation and
the CSV import. Each view parses input, calls assessments/services/people.py and renders."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from assessments.hr.import_flow import ImportFlow
from assessments.hr.people_forms import (
    EmployeeForm,
    ImportConfirmForm,
    ImportUploadForm,
    PasswordForm,
    PeopleFilterForm,
)
from assessments.imports import staff as staff_import
from assessments.models import Employee
from assessments.selectors.people import people as people_query
from assessments.services import people as staff
from competency_portal.lib.downloads import CSV_TYPE, download
from competency_portal.lib.thai import thai_numbers
from framework.models import PositionClass


def _person(pk):
    queryset = Employee.objects.select_related("user", "supervisor", "department", "position_class")
    return get_object_or_404(queryset, pk=pk)


def _add_errors(form, error):
    """Show a service's refusal on the fields it names, or above the form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, errors in error.error_dict.items():
        form.add_error(name if name in form.fields else None, errors)


def people_list(request):
    filter_form = PeopleFilterForm(request.GET or None)
    found = people_query(**filter_form.filters())
    return render(request, "people/list.html", {"filter_form": filter_form, "people": found})


def person_create(request):
    form = EmployeeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            employee = staff.create_employee(data=form.person_data(), by=request.user)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("%(name)s was added.") % {"name": employee.full_name})
            return redirect("people:list")
    return render(request, "people/form.html", {"form": form, "employee": None})


def person_edit(request, pk):
    employee = _person(pk)
    form = EmployeeForm(request.POST or None, employee=employee)
    if request.method == "POST" and form.is_valid():
        try:
            staff.update_employee(employee=employee, data=form.person_data(), by=request.user)
        except ValidationError as error:
            _add_errors(form, error)
            employee = _person(pk)  # show the person as saved, not as typed
        else:
            messages.success(request, _("%(name)s was saved.") % {"name": employee.full_name})
            return redirect("people:list")
    context = {
        "form": form,
        "employee": employee,
        "can_set_password": staff.password_refusal(employee) is None,
    }
    return render(request, "people/form.html", context)


def person_password(request, pk):
    employee = _person(pk)
    refusal = staff.password_refusal(employee)
    if refusal:
        context = {"form": None, "employee": employee, "refusal": refusal}
        return render(request, "people/password.html", context, status=403)
    form = PasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            staff.set_password(
                employee=employee, password=form.cleaned_data["password1"], by=request.user
            )
        except ValidationError as error:
            form.add_error("password1", error)
        else:
            messages.success(
                request, _("The password of %(name)s was set.") % {"name": employee.full_name}
            )
            return redirect("people:edit", pk=employee.pk)
    return render(request, "people/password.html", {"form": form, "employee": employee})


@require_POST
def person_unlock(request, pk):
    employee = _person(pk)
    staff.unlock_login(employee=employee, by=request.user)
    messages.success(request, _("%(name)s can log in again.") % {"name": employee.full_name})
    return redirect("people:edit", pk=employee.pk)


def _person_step(request, pk, service, success):
    """Run one people service for HR's POST and come back to the person's page."""
    employee = _person(pk)
    try:
        service(employee=employee, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, success % {"name": employee.full_name})
    return redirect("people:edit", pk=employee.pk)


@require_POST
def person_deactivate(request, pk):
    success = _("%(name)s was deactivated and can no longer log in.")
    return _person_step(request, pk, staff.deactivate_employee, success)


@require_POST
def person_reactivate(request, pk):
    return _person_step(request, pk, staff.reactivate_employee, _("%(name)s is active again."))


def _import_done(request, report):
    counts = {"created": report.created, "updated": report.updated, "unchanged": report.unchanged}
    message = _(
        "Import done. People created: %(created)s, updated: %(updated)s, unchanged: %(unchanged)s."
    )
    messages.success(request, message % thai_numbers(counts))
    return redirect("people:list")


people_import = ImportFlow(
    template="people/import.html",
    upload_form=lambda request: ImportUploadForm(request.POST or None, request.FILES or None),
    confirm_form=ImportConfirmForm,
    check=lambda content, _choices, *, dry_run, by: staff_import.import_staff(
        rows_or_file=content, dry_run=dry_run, by=by
    ),
    carry=lambda content, _choices: ImportConfirmForm.carrying(content),
    done=_import_done,
    blank_form=lambda _choices: ImportUploadForm(),
    # the codes HR types in the position_class column
    page=lambda _request, _confirming: {
        "staff_header": staff_import.HEADER,
        "position_classes": PositionClass.objects.all(),
    },
)


def people_import_template(request):
    """The staff CSV to fill in: the import's exact header and one example line."""
    return download(staff_import.csv_template(), "staff-template.csv", CSV_TYPE)
