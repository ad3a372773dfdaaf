"""Small pieces of the assessment pages: levels, gaps, states."""

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from assessments.models import Cycle
from competency_portal.lib.thai import signed, thai_digits

register = template.Library()

TRACK_STYLES = {"not_started": "secondary", "in_progress": "warning", "submitted": "success"}
STAGE_STYLES = {
    "not_started": "secondary",
    "in_progress": "warning",
    "self_submitted": "info",
    "rated": "primary",
    "acknowledged": "primary",
    "refused": "danger",
    "reviewed": "primary",
    "finalized": "success",
}


@register.filter
def level(value):
    """A level, or a dash where it cannot be derived yet."""
    return "–" if value is None else thai_digits(value)


register.filter("signed", signed)


@register.filter
def track_style(state):
    return TRACK_STYLES.get(state, "secondary")


@register.filter
def stage_style(stage):
    return STAGE_STYLES.get(stage, "secondary")


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None


@register.simple_tag
def scale_label(scale, value):
    """The label of a scale value, or 'not rated'."""
    for point in scale:
        if point.value == value:
            return point.label
    return _("Not rated")


@register.filter
def get_track(assessment, role):
    return assessment.track_state(role)


@register.filter
def get_track_label(assessment, role):
    field = "self_state" if role == "self" else "supervisor_state"
    return getattr(assessment, f"get_{field}_display")()


@register.filter
def row_for(rows, code):
    """The results row of one competency code from [(block, row), …], or None."""
    return next((row for _block, row in rows if row.code == code), None)


@register.filter
def event_detail(event):
    """An event's detail in the reader's language: a save records its count only; older
    saves, reasons and names are shown as written."""
    if event.action == "saved" and event.detail.isascii() and event.detail.isdigit():
        return _("%(count)s ratings saved") % {"count": thai_digits(event.detail)}
    if event.action == "agreement" and event.detail.isascii() and event.detail.isdigit():
        return _("%(count)s work-results indicators") % {"count": thai_digits(event.detail)}
    if event.action == "work_assessed" and event.detail:
        return _("Work results %(percent)s") % {"percent": thai_digits(event.detail)}
    if event.action == "refused" and event.detail:
        return _("Witness: %(name)s") % {"name": event.detail}
    return event.detail


RESULT_CELL = (
    '<td class="text-center text-nowrap" data-label="{0}" data-code="{0}" data-level="{1}" '
    'data-points="{2}">{3}</td>'
)
LEVEL_AND_POINTS = '<span>{} <span class="small text-body-secondary">({})</span></span>'


@register.simple_tag
def result_cells(person):
    """The dashboard's cells of one person's competency levels (with points): made here, not in
    a template loop, which took half of the page's rendering (200 cells a page)."""
    # a hybrid round's part is the level itself: the cell shows it once
    parts = person.parts if person.assessment.cycle.method != Cycle.Method.HYBRID else {}
    return format_html_join(
        "", RESULT_CELL, (_result_cell(row, parts.get(row.code)) for row in person.results.values())
    )


def _result_cell(row, part):
    """(code, level, part, shown) of one cell; `part` what the competency adds to the score by
    the round's method (its points, for the bar scale), None where the method has none."""
    achieved = row.supervisor_level
    if achieved is None:
        return row.code, "", "", "–"
    if part is None:  # a hybrid round: the level alone
        return row.code, achieved, "", thai_digits(achieved)
    shown = format_html(LEVEL_AND_POINTS, thai_digits(achieved), thai_digits(part))
    return row.code, achieved, part, shown


RATING_OPTION = (
    '<input type="radio" class="btn-check" name="r{0}" id="r{0}-{1}" value="{1}" '
    'autocomplete="off"{2}>\n'
    '<label class="btn btn-sm btn-outline-{3}" for="r{0}-{1}">{4}</label>\n'
)


@register.simple_tag
def rating_options(row, scale, read_only=False):
    """The radio buttons of one indicator, a button per scale point: made here, not in a
    template loop over 66 indicators × the scale, which took a third of the rating page."""
    pk, value = row.indicator.pk, row.value
    return format_html_join(
        "",
        RATING_OPTION,
        (
            (
                pk,
                point.value,
                mark_safe(_checked(point.value == value) + _disabled(read_only)),  # noqa: S308
                "success" if point.demonstrated else "secondary",
                point.label,
            )
            for point in scale
        ),
    )


def _checked(checked):
    return " checked" if checked else ""


def _disabled(disabled):
    return " disabled" if disabled else ""


# ---------------------------------------------------------------- a round's scoring method


@register.simple_tag
def part_heading(cycle, short=False):
    """The heading of the column of what each competency adds to the score (by the method);
    `short` for a narrow column."""
    if cycle.method == Cycle.Method.BAR:
        return _("Pts") if short else _("Points")
    if short:
        return _("Score")
    if cycle.method == Cycle.Method.HYBRID:
        return _("Level counted")
    return _("Level × weight ÷ 5")


@register.simple_tag
def method_note(cycle):
    """How the round's competency score is worked out, in a sentence for the forms and pages."""
    method = cycle.method
    if method == Cycle.Method.RATING:
        weights = ", ".join(
            f"{code} {thai_digits(_plain(weight))} %"
            for code, weight in cycle.competency_weights.items()
        )
        return _(
            "Score: each competency's achieved level (of 5) × its weight ÷ 5, added up "
            "(weights: %(weights)s)."
        ) % {"weights": weights}
    if method == Cycle.Method.RATING_EQUAL:
        return _(
            "Score: the achieved levels (of 5) with every competency the same weight: their "
            "sum ÷ (5 × the number of competencies) × 100, worked out exactly (each part shown "
            "is rounded, so the parts may differ from the score by a few hundredths)."
        )
    if method == Cycle.Method.HYBRID:
        return _(
            "Score: the sum of the achieved levels ÷ the sum of the expected levels × 100, at "
            "most 100."
        )
    return _(
        "Points: at or above the expected level 3, one level below 2, two below 1, three or "
        "more below 0."
    )


def _plain(weight):
    """ "40.00" as "40", "12.50" as "12.5"."""
    text = str(weight)
    return text.rstrip("0").rstrip(".") if "." in text else text
