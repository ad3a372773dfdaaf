"""Forms of the framework editor. They check shapes; framework/rules.py holds the rules."""

from django import forms
from django.utils.translation import gettext_lazy as _

from competency_portal.lib.textguard import GuardedForm
from framework.rules import CODE_MAX_LENGTH, LEVEL_NUMBERS


class SettingsForm(GuardedForm):
    name = forms.CharField(label=_("Name of the version"), max_length=200)
    required_share = forms.CharField(
        label=_("Share of a level's indicators that must be shown to pass it"),
        help_text=_("1 = all of them; 0.8 or 80 = four in five."),
        max_length=10,
    )


class CompetencyForm(GuardedForm):
    code = forms.CharField(
        label=_("Code"),
        max_length=CODE_MAX_LENGTH,
        help_text=_("Latin capitals, e.g. ACH. Used in files."),
    )
    name_th = forms.CharField(label=_("Thai name"), max_length=200)
    name_en = forms.CharField(label=_("English name"), max_length=200, required=False)
    definition = forms.CharField(label=_("Definition"), widget=forms.Textarea(attrs={"rows": 3}))


class LevelForm(GuardedForm):
    title = forms.CharField(label=_("Title of the level"), widget=forms.Textarea(attrs={"rows": 2}))


class IndicatorForm(GuardedForm):
    text = forms.CharField(
        label=_("Behaviour indicator"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


IndicatorFormSet = forms.formset_factory(IndicatorForm, extra=2, can_delete=True, can_order=True)


def level_forms(data=None, competency=None):
    """For each level 1–5: (number, title form, indicator formset), filled from `competency`."""
    levels = {level.number: level for level in competency.levels.all()} if competency else {}
    result = []
    for number in LEVEL_NUMBERS:
        level = levels.get(number)
        initial_title = {"title": level.title} if level else {}
        indicators = (
            [{"text": i.text, "ORDER": i.number} for i in level.indicators.all()] if level else []
        )
        result.append(
            (
                number,
                LevelForm(data, prefix=f"level{number}", initial=initial_title),
                IndicatorFormSet(data, prefix=f"level{number}-ind", initial=indicators),
            )
        )
    return result


def competency_data(form, levels):
    """The shape framework.services.save_competency takes, from valid forms.

    Django's ordered_forms leaves out deleted and untouched blank forms and puts new ones
    (no number given) last.
    """
    data = dict(form.cleaned_data)
    data["levels"] = {
        number: {
            "title": title_form.cleaned_data["title"],
            "indicators": [f.cleaned_data.get("text", "") for f in formset.ordered_forms],
        }
        for number, title_form, formset in levels
    }
    return data


class ScalePointForm(GuardedForm):
    value = forms.IntegerField(label=_("Value"), min_value=-100, max_value=100)
    label_th = forms.CharField(label=_("Thai label"), max_length=100)
    label_en = forms.CharField(label=_("English label"), max_length=100, required=False)
    demonstrated = forms.BooleanField(label=_("Counts as demonstrated"), required=False)


ScaleFormSet = forms.formset_factory(ScalePointForm, extra=1, can_delete=True)


class ImportForm(GuardedForm):
    file = forms.FileField(label=_("Framework file (JSON)"))
