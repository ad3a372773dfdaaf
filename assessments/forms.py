"""Parsing what the pages post. Domain checks (scale, framework, workflow) are the services'."""

import datetime
import re
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from assessments.models import Assessment, Cycle
from competency_portal.lib.textguard import MAX_COMMENT, GuardedForm, clean_text
from competency_portal.lib.thai import thai_numbers

RATING_PREFIX = "r"
COMMENT_PREFIX = "c"
FIELD_NAME = re.compile(r"([rc])([0-9]{1,18})", re.ASCII)
ASCII_INTEGER = re.compile(r"\s*[+-]?[0-9]{1,18}\s*", re.ASCII)


def _number(text, message):
    """An int from ASCII digits only (int() would also take "１" or "٣")."""
    if not isinstance(text, str) or not ASCII_INTEGER.fullmatch(text):
        raise ValidationError(message)
    return int(text)


def parse_ratings(post):
    """{indicator id: value} from fields r<id>, and {competency id: text} from c<id>. A field
    whose name is r or c followed by digits that are not all ASCII (r², r１, r1x) is refused."""
    values, comments = {}, {}
    for key, raw in post.items():
        if not key.startswith((RATING_PREFIX, COMMENT_PREFIX)):
            continue
        if not any(ch.isnumeric() for ch in key[1:]):
            continue  # another field (csrfmiddlewaretoken …)
        match = FIELD_NAME.fullmatch(key)
        if match is None:
            raise ValidationError(
                _("The form sent a field with a name the portal does not know; reload the page.")
            )
        prefix, number = match.group(1), int(match.group(2))
        if prefix == RATING_PREFIX:
            raw = clean_text(raw).strip()
            values[number] = (
                None if raw == "" else _number(raw, _("A rating must be a point of the scale."))
            )
        else:
            text = clean_text(raw, multiline=True)
            if len(text) > MAX_COMMENT:
                raise ValidationError(
                    _("A comment may have at most %(n)s characters.")
                    % thai_numbers({"n": MAX_COMMENT})
                )
            comments[number] = text
    return values, comments


def parse_version(post):
    return _number(post.get("version"), _("The form is missing its version; reload the page."))


class RefusalForm(GuardedForm):
    witness = forms.CharField(label=_("Witness (full name and position)"), max_length=200)
    refusal_date = forms.DateField(
        label=_("Date the employee refused to sign"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("The date picker counts years in the Christian Era (2026 = 2569)."),
        initial=datetime.date.today,
    )


class ReviewForm(GuardedForm):
    opinion = forms.ChoiceField(
        label=_("Opinion"), choices=Assessment.Opinion.choices, widget=forms.RadioSelect
    )
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=MAX_COMMENT,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ReopenForm(GuardedForm):
    STEPS = [
        ("self", _("Self-assessment")),
        ("supervisor", _("Supervisor's rating")),
        ("acknowledgement", _("Acknowledgement")),
        ("review", _("Opinion of the next-level supervisor")),
        ("final", _("HR finalisation")),
    ]
    step = forms.ChoiceField(label=_("Step to reopen"), choices=STEPS)
    reason = forms.CharField(
        label=_("Reason"), max_length=MAX_COMMENT, widget=forms.Textarea(attrs={"rows": 2})
    )


class CloseCycleForm(GuardedForm):
    confirm = forms.BooleanField(
        label=_("I understand that nobody can change ratings in a closed round."),
        error_messages={"required": _("Tick the box to confirm closing the round.")},
    )


class CycleForm(GuardedForm):
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


class RaterForm(GuardedForm):
    supervisor = forms.ModelChoiceField(
        label=_("Rater"),
        queryset=None,
        required=False,
        empty_label=_("Nobody (no rater)"),
    )

    def __init__(self, *args, exclude=None, assessment=None, search="", **kwargs):
        from assessments.models import Employee

        super().__init__(*args, **kwargs)
        people = Employee.objects.filter(active=True).order_by("first_name", "last_name")
        people = people.exclude(pk=exclude) if exclude else people
        self.fields["supervisor"].queryset = people  # any active employee may be chosen
        if assessment is not None:  # the page offers a few, never the whole organisation
            shown = rater_candidates(people, assessment, search)
            empty = ("", self.fields["supervisor"].empty_label)
            self.fields["supervisor"].widget.choices = [empty, *((p.pk, str(p)) for p in shown)]


RATERS_SHOWN = 20


def rater_candidates(people, assessment, search=""):
    """The raters offered on a person's results page, at most RATERS_SHOWN besides the current
    one: those whose code or name holds `search`, or else those who rate people of the same
    division in the round (a select of 5,000 people grew the page with the organisation)."""
    if search:
        found = Q(employee_code__icontains=search) | Q(first_name__icontains=search)
        shown = list(people.filter(found | Q(last_name__icontains=search))[:RATERS_SHOWN])
    else:
        division = Assessment.objects.filter(
            cycle_id=assessment.cycle_id, department_name=assessment.department_name
        )
        shown = list(people.filter(pk__in=division.values("supervisor_id"))[:RATERS_SHOWN])
    current = assessment.supervisor
    if current is not None and current not in shown:
        shown.insert(0, current)
    return shown


class OutsidePeopleForm(GuardedForm):
    """Who signs this person's form without a login: a rater (when the person has no
    supervisor in the portal) and a next-level supervisor (when the rater has none)."""

    rater_name = forms.CharField(label=_("Rater without a login"), max_length=200, required=False)
    rater_position = forms.CharField(label=_("Rater's position"), max_length=200, required=False)
    reviewer_name = forms.CharField(
        label=_("Next-level supervisor without a login"), max_length=200, required=False
    )
    reviewer_position = forms.CharField(
        label=_("Next-level supervisor's position"), max_length=200, required=False
    )


class RoundOutsideForm(GuardedForm):
    name = forms.CharField(
        label=_("Person above the organisation"),
        max_length=200,
        required=False,
    )
    position = forms.CharField(label=_("Their position"), max_length=200, required=False)

    # shown above the two fields on the round's page
    explanation = _(
        "For example the chief executive (นายก อบต.): not an employee, no login. They rate "
        "whoever has no supervisor in the portal and give the next-level opinion where the "
        "rater has none; HR keys in what they write on paper."
    )


class RoundScoringForm(GuardedForm):
    """How a round scores, chosen before it opens (services.set_scoring checks the rest)."""

    method = forms.ChoiceField(label=_("Competency scoring method"), choices=Cycle.Method.choices)
    # not sent (a form of before issue 15's agreements): the round keeps its own
    work_results_method = forms.ChoiceField(
        label=_("Work results"), choices=Cycle.WorkResultsMethod.choices, required=False
    )
    competency_weight = forms.DecimalField(
        label=_("Weight of competencies in the total (%)"),
        min_value=0,
        max_value=100,
        decimal_places=2,
    )
    thresholds = forms.CharField(
        label=_("Lowest totals of excellent, very good, good and fair"),
        required=False,
        max_length=60,
        help_text=_("Four numbers, highest first, such as 90, 80, 70, 60; blank: those."),
    )

    def __init__(self, *args, codes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.codes = list(codes)
        for code in self.codes:
            self.fields[f"weight_{code}"] = forms.DecimalField(
                label=_("Weight of %(code)s (%%), for the rating method") % {"code": code},
                required=False,
                min_value=0,
                max_value=100,
                decimal_places=2,
            )

    def weight_fields(self):
        """The bound fields of the competencies' weights, in the framework's order."""
        return [self[f"weight_{code}"] for code in self.codes]

    def weights(self):
        data = self.cleaned_data
        return {
            code: data[f"weight_{code}"]
            for code in self.codes
            if data.get(f"weight_{code}") is not None
        }

    def threshold_list(self):
        text = self.cleaned_data.get("thresholds") or ""
        return [item.strip() for item in text.replace(" ", ",").split(",") if item.strip()]


class WorkIndicatorForm(GuardedForm):
    """One work-results indicator of a performance agreement, as the supervisor writes it
    (services/agreements.py checks the agreement as a whole: weights totalling 100, …)."""

    title = forms.CharField(label=_("Work-results indicator"), max_length=300, required=False)
    unit = forms.CharField(label=_("Unit"), max_length=100, required=False)
    weight = forms.DecimalField(
        label=_("Weight"),
        min_value=Decimal("0.01"),
        max_value=100,
        decimal_places=2,
        required=False,
    )
    target_1 = forms.CharField(label=_("Target of level 1"), max_length=200, required=False)
    target_2 = forms.CharField(label=_("Target of level 2"), max_length=200, required=False)
    target_3 = forms.CharField(label=_("Target of level 3"), max_length=200, required=False)
    target_4 = forms.CharField(label=_("Target of level 4"), max_length=200, required=False)
    target_5 = forms.CharField(label=_("Target of level 5"), max_length=200, required=False)
    achieved_level = forms.TypedChoiceField(
        label=_("Achieved level"),
        choices=[("", "–"), *((n, str(n)) for n in range(1, 6))],
        coerce=int,
        empty_value=None,
        required=False,
    )
    evidence = forms.CharField(
        label=_("Evidence"),
        max_length=MAX_COMMENT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    TARGETS = ("target_1", "target_2", "target_3", "target_4", "target_5")

    def is_blank(self):
        """A row left empty (the spare rows at the end): not part of the agreement."""
        data = self.cleaned_data
        names = ("title", "unit", "weight", *self.TARGETS, "achieved_level", "evidence")
        return not any(data.get(name) for name in names)

    def clean(self):
        data = super().clean()
        if self.is_blank():
            return data
        missing = [name for name in ("title", "weight", *self.TARGETS) if not data.get(name)]
        if missing:
            raise ValidationError(
                _("Every indicator needs its words, its weight and the target of each level.")
            )
        return data


WorkIndicatorFormSet = forms.formset_factory(
    WorkIndicatorForm, extra=0, max_num=20, absolute_max=20, validate_max=True
)


class AgreementConfirmForm(GuardedForm):
    # digest of the terms the page showed: terms changed since are not confirmed unseen
    terms = forms.CharField(widget=forms.HiddenInput, max_length=40)
    comment = forms.CharField(
        label=_("Comment (if any)"),
        max_length=MAX_COMMENT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
