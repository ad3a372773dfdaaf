"""Small pieces of the assessment pages: levels, gaps, states."""

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

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
    return format_html_join("", RESULT_CELL, (_result_cell(row) for row in person.results.values()))


def _result_cell(row):
    achieved, points = row.supervisor_level, row.points
    if achieved is None:
        return row.code, "", "" if points is None else points, "–"
    shown = format_html(LEVEL_AND_POINTS, thai_digits(achieved), thai_digits(points))
    return row.code, achieved, "" if points is None else points, shown


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
