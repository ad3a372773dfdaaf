"""HR's forms for importing paper ratings: the upload (round, file, whether to submit) and the
confirmation that carries the checked file. Forms only parse input; assessments/ratings_import.py
checks and writes."""

from django import forms
from django.utils.translation import gettext_lazy as _

from assessments.hr.people_forms import MAX_UPLOAD_BYTES, ImportConfirmForm
from assessments.models import Cycle, Role
from competency_portal.lib.textguard import GuardedForm


def rounds():
    """Rounds that have been opened (a round not opened yet has nobody to rate)."""
    return Cycle.objects.exclude(status=Cycle.Status.DRAFT).select_related("framework")


def default_round():
    return rounds().filter(status=Cycle.Status.OPEN).first() or rounds().first()


class RoundForm(GuardedForm):
    """The round whose people are listed for the blank CSV forms, and the role those forms are
    for (`?role=`: self, as before, or supervisor)."""

    cycle = forms.ModelChoiceField(
        label=_("Round"),
        queryset=Cycle.objects.none(),
        required=False,
        empty_label=None,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    role = forms.ChoiceField(
        label=_("Ratings of"),
        choices=Role.choices,
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "list_%s")  # beside the upload form's own `cycle`
        super().__init__(*args, **kwargs)
        self.fields["cycle"].queryset = rounds()
        self.initial.setdefault("cycle", default_round())
        self.initial.setdefault("role", Role.SELF.value)

    def chosen(self):
        if self.is_valid() and self.cleaned_data["cycle"] is not None:
            return self.cleaned_data["cycle"]
        return default_round()

    def chosen_role(self):
        if self.is_valid() and self.cleaned_data["role"]:
            return self.cleaned_data["role"]
        return Role.SELF.value


class TemplateRoleForm(GuardedForm):
    """`?role=` of one person's blank CSV: self (when left out) or supervisor."""

    role = forms.ChoiceField(choices=Role.choices, required=False)

    def role_or_default(self):
        """The role asked for; ValueError when it is not one."""
        if not self.is_valid():
            raise ValueError(self.errors.as_text())
        return self.cleaned_data["role"] or Role.SELF.value


class UploadedFile:
    """A form's `file` read as bytes, refused when over the imports' size limit."""

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is too large (2 MB at most)."))
        return upload.read()


class RatingsUploadForm(UploadedFile, GuardedForm):
    cycle = forms.ModelChoiceField(
        label=_("Round"), queryset=Cycle.objects.none(), empty_label=None
    )
    file = forms.FileField(
        label=_("Ratings file (CSV, UTF-8)"),
        help_text=_(
            "Columns: employee_code, role (self or supervisor), competency, level, indicator, "
            "value; a last column indicator_text (the blank form's) is allowed and not read."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )
    submit = forms.BooleanField(
        label=_("Also submit every track that is then completely rated"),
        required=False,
        help_text=_("Otherwise the ratings are saved as drafts, to be submitted later."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cycle"].queryset = rounds()
        if "cycle" not in self.initial:
            self.initial["cycle"] = default_round()


class RatingsConfirmForm(ImportConfirmForm):
    """The checked file's token, its round and the submit choice, carried to the confirmation."""

    cycle = forms.ModelChoiceField(queryset=Cycle.objects.none(), widget=forms.HiddenInput)
    submit = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cycle"].queryset = rounds()

    @classmethod
    def carrying(cls, token, cycle, submit):
        return cls(initial={"upload_token": token, "cycle": cycle.pk, "submit": submit})


class AgreementsUploadForm(UploadedFile, GuardedForm):
    """The round and the performance agreements file (issue 15)."""

    cycle = forms.ModelChoiceField(
        label=_("Round"), queryset=Cycle.objects.none(), empty_label=None
    )
    file = forms.FileField(
        label=_("Agreements file (CSV, UTF-8)"),
        help_text=_(
            "Columns: employee_code, indicator, unit, weight, target_1 … target_5, "
            "achieved_level (blank until the end of the round). A person's lines replace their "
            "indicators; their weights total 100."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cycle"].queryset = agreement_rounds()
        if "cycle" not in self.initial:
            self.initial["cycle"] = default_round()


def agreement_rounds():
    """Rounds whose agreements may still change: opened and not closed."""
    return Cycle.objects.filter(status=Cycle.Status.OPEN)


class AgreementsConfirmForm(ImportConfirmForm):
    """The checked file's token and its round, carried to the confirmation."""

    cycle = forms.ModelChoiceField(queryset=Cycle.objects.none(), widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cycle"].queryset = agreement_rounds()

    @classmethod
    def carrying(cls, token, cycle):
        return cls(initial={"upload_token": token, "cycle": cycle.pk})
