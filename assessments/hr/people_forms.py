"""HR's forms for people: filter the list, add or edit a person, set a password, import a CSV.

Forms only parse and check input; every write is done by assessments/services/people.py.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from assessments.models import Department, Employee
from competency_portal.lib.textguard import GuardedForm
from framework.models import PositionClass

MAX_UPLOAD_BYTES = 2 * 1024 * 1024


class PeopleFilterForm(GuardedForm):
    STATUS_CHOICES = [
        ("active", _("Active")),
        ("inactive", _("Inactive")),
        ("all", _("All")),
    ]

    search = forms.CharField(label=_("Name or employee code"), required=False, max_length=100)
    department = forms.ModelChoiceField(
        label=_("Division"),
        queryset=Department.objects.all(),
        required=False,
        empty_label=_("All divisions"),
    )
    status = forms.ChoiceField(label=_("Status"), choices=STATUS_CHOICES, required=False)

    def filters(self):
        """The filters for selectors.people.people(); the defaults when the input is not valid."""
        if not self.is_valid():
            return {"department": None, "status": "active", "search": ""}
        return {
            "department": self.cleaned_data["department"],
            "status": self.cleaned_data["status"] or "active",
            "search": self.cleaned_data["search"],
        }


class EmployeeForm(GuardedForm):
    """A person's details. A division is chosen from the list, or a new one is named."""

    employee_code = forms.CharField(label=_("Employee code"), max_length=20)
    title = forms.CharField(
        label=_("Name title"),
        max_length=50,
        required=False,
        help_text=_("For example นาย, นาง, นางสาว."),
    )
    first_name = forms.CharField(label=_("First name"), max_length=100)
    last_name = forms.CharField(label=_("Last name"), max_length=100)
    position_title = forms.CharField(label=_("Position"), max_length=200)
    position_class = forms.ModelChoiceField(
        label=_("Position class"), queryset=PositionClass.objects.all()
    )
    department = forms.ModelChoiceField(
        label=_("Division"),
        queryset=Department.objects.all(),
        required=False,
        empty_label=_("Choose a division"),
    )
    new_department = forms.CharField(
        label=_("Or a new division"),
        max_length=200,
        required=False,
        help_text=_("Type the name of a division that is not in the list yet."),
    )
    supervisor = forms.ModelChoiceField(
        label=_("Supervisor"),
        queryset=Employee.objects.none(),
        required=False,
        empty_label=_("No supervisor"),
    )
    email = forms.EmailField(label=_("Email"), max_length=254, required=False)
    username = forms.CharField(
        label=_("Username"),
        max_length=150,
        required=False,
        help_text=_("For logging in. Empty: the employee code in small letters."),
    )

    def __init__(self, *args, employee=None, **kwargs):
        if employee is not None:
            kwargs.setdefault("initial", initial_for(employee))
        super().__init__(*args, **kwargs)
        self.fields["supervisor"].queryset = supervisor_choices(employee)

    def clean(self):
        data = super().clean()
        department, new_department = data.get("department"), data.get("new_department")
        if department and new_department:
            self.add_error("new_department", _("Choose a division or name a new one, not both."))
        elif not department and not new_department and "department" not in self.errors:
            self.add_error("department", _("Choose a division or name a new one."))
        elif new_department:
            data["department"] = new_department
        return data

    def person_data(self):
        """The cleaned input as staff.create_employee / update_employee take it."""
        data = dict(self.cleaned_data)
        data.pop("new_department", None)
        return data


def initial_for(employee):
    return {
        "employee_code": employee.employee_code,
        "title": employee.title,
        "first_name": employee.first_name,
        "last_name": employee.last_name,
        "position_title": employee.position_title,
        "position_class": employee.position_class_id,
        "department": employee.department_id,
        "supervisor": employee.supervisor_id,
        "email": employee.email,
        "username": employee.user.username if employee.user else "",
    }


def supervisor_choices(employee):
    """Active people other than this one; their current supervisor too, so that it shows."""
    choices = Employee.objects.filter(active=True)
    if employee is not None:
        choices = (choices | Employee.objects.filter(pk=employee.supervisor_id)).exclude(
            pk=employee.pk
        )
    return choices.select_related("department").distinct()


class PasswordForm(forms.Form):
    password1 = forms.CharField(
        label=_("New password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("New password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self):
        data = super().clean()
        if data.get("password1") and data.get("password1") != data.get("password2"):
            self.add_error("password2", _("The two passwords are not the same."))
        return data


class ImportUploadForm(GuardedForm):
    file = forms.FileField(
        label=_("Staff file (CSV, UTF-8)"),
        help_text=_(
            "Columns: employee_code, title, first_name, last_name, position_title, "
            "position_class, department, supervisor_code, email, username."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is too large (2 MB at most)."))
        return upload.read()


class ImportConfirmForm(GuardedForm):
    """The token of the checked file, kept on the server (assessments/hr/uploads.py) from the
    preview to the confirmation."""

    upload_token = forms.UUIDField(
        widget=forms.HiddenInput,
        error_messages={
            "required": _("The file was lost on the way. Upload it again."),
            "invalid": _("The file was lost on the way. Upload it again."),
        },
    )

    @staticmethod
    def carrying(token):
        return ImportConfirmForm(initial={"upload_token": token})
