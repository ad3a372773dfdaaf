"""Parsing what the pages post. Domain checks (scale, framework, workflow) are the services'."""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from assessments.models import Assessment, Cycle

RATING_PREFIX = "r"
COMMENT_PREFIX = "c"
MAX_COMMENT = 4000


def _number(text, message):
    try:
        return int(text)
    except (TypeError, ValueError):
        raise ValidationError(message) from None


def parse_ratings(post):
    """{indicator id: value} from fields r<id>, and {competency id: text} from c<id>."""
    values, comments = {}, {}
    for key, raw in post.items():
        if key.startswith(RATING_PREFIX) and key[1:].isdigit():
            raw = raw.strip()
            values[int(key[1:])] = (
                None if raw == "" else _number(raw, _("A rating must be a point of the scale."))
            )
        elif key.startswith(COMMENT_PREFIX) and key[1:].isdigit():
            if len(raw) > MAX_COMMENT:
                raise ValidationError(
                    _("A comment may have at most %(n)d characters.") % {"n": MAX_COMMENT}
                )
            comments[int(key[1:])] = raw
    return values, comments


def parse_version(post):
    return _number(post.get("version"), _("The form is missing its version; reload the page."))


class RefusalForm(forms.Form):
    witness = forms.CharField(label=_("Witness (full name and position)"), max_length=200)
    refusal_date = forms.DateField(
        label=_("Date the employee refused to sign"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("The date picker counts years in the Christian Era (2026 = 2569)."),
        initial=datetime.date.today,
    )


class ReviewForm(forms.Form):
    opinion = forms.ChoiceField(
        label=_("Opinion"), choices=Assessment.Opinion.choices, widget=forms.RadioSelect
    )
    comment = forms.CharField(
        label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class ReopenForm(forms.Form):
    STEPS = [
        ("self", _("Self-assessment")),
        ("supervisor", _("Supervisor's rating")),
        ("acknowledgement", _("Acknowledgement")),
        ("review", _("Opinion of the next-level supervisor")),
        ("final", _("HR finalisation")),
    ]
    step = forms.ChoiceField(label=_("Step to reopen"), choices=STEPS)
    reason = forms.CharField(
        label=_("Reason"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )


class CloseCycleForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I understand that nobody can change ratings in a closed round."),
        error_messages={"required": _("Tick the box to confirm closing the round.")},
    )


class CycleForm(forms.Form):
    fiscal_year = forms.IntegerField(
        label=_("Fiscal year (Buddhist Era)"), min_value=2500, max_value=2700
    )
    round = forms.TypedChoiceField(
        label=_("Round"),
        coerce=int,
        choices=[
            (1, _("Round 1 (1 October – 31 March)")),
            (2, _("Round 2 (1 April – 30 September)")),
        ],
    )
    competency_weight = forms.DecimalField(
        label=_("Weight of competencies (%)"),
        min_value=0,
        max_value=100,
        decimal_places=2,
        initial=30,
    )

    def clean(self):
        data = super().clean()
        if data.get("fiscal_year") and data.get("round"):
            code = f"{data['fiscal_year']}-{data['round']}"
            if Cycle.objects.filter(code=code).exists():
                raise ValidationError(_("Round %(code)s already exists."), params={"code": code})
            data["code"] = code
        return data


class RaterForm(forms.Form):
    supervisor = forms.ModelChoiceField(
        label=_("Rater"),
        queryset=None,
        required=False,
        empty_label=_("Nobody (no rater)"),
    )

    def __init__(self, *args, exclude=None, **kwargs):
        from assessments.models import Employee

        super().__init__(*args, **kwargs)
        people = Employee.objects.filter(active=True).order_by("first_name", "last_name")
        self.fields["supervisor"].queryset = people.exclude(pk=exclude) if exclude else people
