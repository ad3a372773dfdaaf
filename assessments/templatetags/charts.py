"""Charts of the analytics pages as server-side SVG: no script, no inline style (the CSP).

Each tag lays a chart out here (plain numbers) and renders a template of
templates/analytics/charts/ that draws it: an <svg role="img"> labelled by its <title> and a
<desc> that says the numbers in words. Colours come from CSS classes of static/css/analytics.css;
every bar and cell also carries its number as text, so colour is never the only carrier.
Every chart on a page is followed by a real table of the same numbers.
"""

from math import ceil, log10

from django import template
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from competency_portal.lib.thai import signed, thai_digits

register = template.Library()

# Thai vowel and tone marks above or below a consonant take no width of their own.
ZERO_WIDTH = {0x0E31, *range(0x0E34, 0x0E3B), *range(0x0E47, 0x0E4F)}
SERIES = 8  # colours of the line charts (.series-0 … .series-7 in analytics.css)
MARKERS = ("circle", "square", "triangle", "diamond")


def marker_path(shape, x, y):
    """The outline of a line chart's marker, centred on (x, y)."""
    if shape == "circle":
        return f"M{x - 4.5},{y} a4.5,4.5 0 1,0 9,0 a4.5,4.5 0 1,0 -9,0 Z"
    if shape == "square":
        return f"M{x - 4},{y - 4} h8 v8 h-8 Z"
    if shape == "triangle":
        return f"M{x},{y - 5.5} L{x + 5},{y + 4} L{x - 5},{y + 4} Z"
    return f"M{x},{y - 5.5} L{x + 5.5},{y} L{x},{y + 5.5} L{x - 5.5},{y} Z"


def text_width(text, size=12):
    """A generous estimate of the width of a line of text in the portal's font."""
    return sum(0 if ord(ch) in ZERO_WIDTH else 0.62 for ch in str(text)) * size


def nice_ticks(maximum, count=4):
    """(top, [tick values]) of an axis from 0 with round steps (1, 2, 5 × 10ⁿ)."""
    maximum = max(maximum, 1)
    raw = maximum / count
    magnitude = 10 ** int(log10(raw)) if raw >= 1 else 1
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw)
    top = step * ceil(maximum / step)
    return top, list(range(0, top + 1, step))


def percent_text(value, places=0):
    if value is None:
        return "–"
    return thai_digits(f"{value:.{places}f} %")


def people_text(count):
    return ngettext("%(count)s person", "%(count)s people", count) % {"count": thai_digits(count)}


register.filter("signed_mean", signed)
register.filter("percent", percent_text)


# ---------------------------------------------------------------- level distribution


@register.inclusion_tag("analytics/charts/histogram.html")
def level_histogram(distribution, chart_id, y_max=0):
    """People per achieved level (0–5) of one competency, as vertical bars.

    Pass the same `y_max` to every competency's chart so that their bars compare.
    """
    width, height = 260, 190
    left, right, top, bottom = 30, 4, 22, 42
    plot_w, plot_h = width - left - right, height - top - bottom
    axis_top, ticks = nice_ticks(max(y_max, *distribution.counts))
    slot = plot_w / len(distribution.counts)
    base = top + plot_h
    bars = []
    for level, count in distribution.levels:
        bar_h = plot_h * count / axis_top
        x = left + slot * level + slot * 0.15
        bars.append(
            {
                "x": round(x, 1),
                "y": round(base - bar_h, 1),
                "width": round(slot * 0.7, 1),
                "height": round(bar_h, 1),
                "middle": round(x + slot * 0.35, 1),
                "count": thai_digits(count),
                "count_y": round(base - bar_h - 5, 1),
                "level": thai_digits(level),
            }
        )
    name = distribution.competency.name_th
    parts = [
        _("level %(level)s: %(people)s") % {"level": thai_digits(lv), "people": people_text(n)}
        for lv, n in distribution.levels
    ]
    return {
        "id": chart_id,
        "title": _("Achieved levels of %(competency)s") % {"competency": name},
        "desc": _("People rated by their supervisor: %(people)s. %(levels)s.")
        % {"people": people_text(distribution.rated), "levels": "; ".join(parts)},
        "width": width,
        "height": height,
        "bars": bars,
        "grid": [
            {"y": round(base - plot_h * tick / axis_top, 1), "label": thai_digits(tick)}
            for tick in ticks
        ],
        "left": left,
        "tick_x": left - 6,
        "level_y": base + 16,
        "right_edge": width - right,
        "base": base,
        "axis_label": _("Achieved level"),
        "axis_label_x": left + plot_w / 2,
        "axis_label_y": height - 6,
        "people_label": _("people"),
    }


# ---------------------------------------------------------------- share at or above expected


@register.inclusion_tag("analytics/charts/share_bars.html")
def share_bars(distribution, chart_id):
    """Share of people at or above their expected level: all divisions, then each division."""
    track_w, value_w, row_h, top = 250, 96, 44, 4
    shares = [(distribution.overall, _("All divisions"), True)] + [
        (share, share.label or _("No division"), False) for share in distribution.departments
    ]
    width = max(track_w + value_w, *(text_width(label, 13) + 4 for _s, label, _t in shares))
    rows = []
    for index, (share, label, is_total) in enumerate(shares):
        y = top + index * row_h
        pct = share.percent
        rows.append(
            {
                "label": label,
                "label_y": y + 14,
                "track_y": y + 20,
                "bar_w": 0 if pct is None else round(track_w * float(pct) / 100, 1),
                "value": percent_text(pct),
                "detail": ""
                if pct is None
                else thai_digits(f"({share.at_or_above}/{share.rated})"),
                "value_y": y + 32,
                "is_total": is_total,
            }
        )
    name = distribution.competency.name_th
    parts = [
        _("%(division)s: %(percent)s (%(reached)s of %(rated)s)")
        % {
            "division": label,
            "percent": percent_text(share.percent),
            "reached": thai_digits(share.at_or_above),
            "rated": thai_digits(share.rated),
        }
        for share, label, _t in shares
    ]
    return {
        "id": chart_id,
        "title": _("At or above the expected level by division: %(competency)s")
        % {"competency": name},
        "desc": "; ".join(parts),
        "width": round(width),
        "height": top + len(rows) * row_h,
        "rows": rows,
        "track_w": track_w,
        "value_x": track_w + 8,
    }


# ---------------------------------------------------------------- gap heat map


def _legend(items, y, width, size=12):
    """Swatches with labels, laid out left to right and wrapped to the chart's width."""
    placed, x = [], 0
    for tone, label in items:
        item_w = 22 + text_width(label, size) + 18
        if x and x + item_w > width:
            x, y = 0, y + 22
        placed.append({"tone": tone, "label": label, "x": round(x, 1), "y": y})
        x += item_w
    return placed, y + 22


def gap_legend():
    """(tone, label) of the heat map's fixed colour scale, lowest first."""
    d = thai_digits
    return [
        ("far-below", _("%(value)s or lower") % {"value": d("−2.00")}),
        ("below", _("%(low)s to %(high)s") % {"low": d("−1.99"), "high": d("−1.00")}),
        ("slightly-below", _("%(low)s to %(high)s") % {"low": d("−0.99"), "high": d("−0.01")}),
        ("meets", _("%(low)s to %(high)s") % {"low": d("0.00"), "high": d("+0.99")}),
        ("above", _("%(value)s or higher") % {"value": d("+1.00")}),
        ("none", _("nobody rated")),
    ]


@register.inclusion_tag("analytics/charts/heatmap.html")
def gap_heatmap(heatmap, chart_id):
    """Divisions (rows) × competencies (columns): the mean gap in each cell, coloured by a
    fixed scale, with the number of people under it."""
    labels = [row.department or _("No division") for row in heatmap.rows[:-1]]
    labels.append(_("All divisions"))
    label_w = max(120, *(text_width(label, 13) + 16 for label in labels))
    col_w = max(104, *(text_width(c.name_th, 12) + 16 for c in heatmap.competencies))
    header_h, row_h = 34, 48
    columns = [
        {"name": c.name_th, "x": round(label_w + i * col_w + col_w / 2, 1)}
        for i, c in enumerate(heatmap.competencies)
    ]
    rows = []
    for index, (row, label) in enumerate(zip(heatmap.rows, labels, strict=True)):
        y = header_h + index * row_h + (8 if row.is_total else 0)
        cells = [
            {
                "x": round(label_w + i * col_w + 2, 1),
                "middle": round(label_w + i * col_w + col_w / 2, 1),
                "tone": cell.tone,
                "value": signed(cell.mean_gap),
                "count": people_text(cell.count),
            }
            for i, cell in enumerate(row.cells)
        ]
        rows.append(
            {
                "label": label,
                "y": y,
                "is_total": row.is_total,
                "cells": cells,
                "text_y": y + 28,
                "value_y": y + 20,
                "count_y": y + 37,
            }
        )
    width = label_w + col_w * len(columns)
    grid_bottom = header_h + len(rows) * row_h + 8
    legend_title_y = grid_bottom + 20
    legend, height = _legend(gap_legend(), legend_title_y + 10, width)
    parts = [
        _("%(division)s, %(competency)s: mean gap %(gap)s, %(people)s")
        % {
            "division": label,
            "competency": competency.name_th,
            "gap": signed(cell.mean_gap),
            "people": people_text(cell.count),
        }
        for row, label in zip(heatmap.rows, labels, strict=True)
        for competency, cell in zip(heatmap.competencies, row.cells, strict=True)
    ]
    return {
        "id": chart_id,
        "title": _("Mean gap to the expected level by division and competency"),
        "desc": "; ".join(parts),
        "width": round(width),
        "height": round(height + 6),
        "columns": columns,
        "rows": rows,
        "cell_w": round(col_w - 4, 1),
        "cell_h": row_h - 4,
        "label_w": label_w,
        "header_y": header_h - 12,
        "legend_title": _("Mean gap (achieved − expected level)"),
        "legend_title_y": legend_title_y,
        "legend": legend,
    }


# ---------------------------------------------------------------- self vs supervisor


@register.inclusion_tag("analytics/charts/agreement.html")
def agreement_bars(rows, chart_id):
    """Per competency, one bar of 100 %: same level, one level apart, two or more apart."""
    track_w, row_h, top = 420, 46, 4
    label_w = max(text_width(row.competency.name_th, 13) for row in rows) if rows else 0
    width = max(track_w + 80, label_w + 4)
    kinds = (
        ("same", _("Same level")),
        ("one", _("One level apart")),
        ("two", _("Two or more levels apart")),
    )
    bars = []
    for index, row in enumerate(rows):
        y = top + index * row_h
        x, segments = 0.0, []
        for (tone, _label), count in zip(
            kinds, (row.same, row.one_apart, row.two_or_more), strict=True
        ):
            if not count:
                continue
            seg_w = track_w * count / row.total
            segments.append(
                {
                    "tone": tone,
                    "x": round(x, 1),
                    "width": round(seg_w, 1),
                    "middle": round(x + seg_w / 2, 1),
                    "count": thai_digits(count) if seg_w >= 16 else "",
                }
            )
            x += seg_w
        bars.append(
            {
                "label": row.competency.name_th,
                "label_y": y + 14,
                "bar_y": y + 20,
                "text_y": y + 34,
                "segments": segments,
                "total": people_text(row.total),
            }
        )
    bars_bottom = top + len(rows) * row_h
    legend, height = _legend(kinds, bars_bottom + 10, width)
    parts = [
        _("%(competency)s: same %(same)s, one apart %(one)s, two or more apart %(two)s")
        % {
            "competency": row.competency.name_th,
            "same": thai_digits(row.same),
            "one": thai_digits(row.one_apart),
            "two": thai_digits(row.two_or_more),
        }
        for row in rows
    ]
    return {
        "id": chart_id,
        "title": _("Self-assessed level compared with the supervisor's level"),
        "desc": "; ".join(parts),
        "width": round(width),
        "height": round(height + 4),
        "bars": bars,
        "track_w": track_w,
        "total_x": track_w + 8,
        "legend": legend,
    }


# ---------------------------------------------------------------- trends


def _series_points(values, xs, y_of, offset, marker):
    points = []
    for x, value in zip(xs, values, strict=True):
        if value is None:
            points.append(None)
            continue
        px, py = round(x + offset, 1), round(y_of(value), 1)
        points.append({"x": px, "y": py, "d": marker_path(marker, px, py)})
    segments, current = [], []
    for point in points:
        if point is None:
            if len(current) > 1:
                segments.append(current)
            current = []
        else:
            current.append(point)
    if len(current) > 1:
        segments.append(current)
    return [p for p in points if p is not None], [
        " ".join(f"{p['x']},{p['y']}" for p in segment) for segment in segments
    ]


@register.inclusion_tag("analytics/charts/line.html")
def line_chart(cycles, series, chart_id, title, kind="level"):
    """One line per competency across rounds.

    `series`: [(competency, [value or None per cycle])]; `kind` "level" (0–5) or "percent".
    Each line has its own colour and marker shape, and a legend names it.
    """
    is_level = kind == "level"
    top_value = 5 if is_level else 100
    ticks = list(range(0, 6)) if is_level else list(range(0, 101, 20))
    left, right, top, bottom = 46, 24, 16, 34
    step, pad = 120, 30  # between rounds; between the axis and the first and last round
    plot_w = max(step * (len(cycles) - 1), 360) + 2 * pad
    legend_w = max([text_width(c.name_th, 12) + 40 for c, _v in series] or [0])
    width = max(left + plot_w + right, legend_w)
    plot_h = 200
    base = top + plot_h

    def y_of(value):
        return base - plot_h * float(value) / top_value

    if len(cycles) == 1:
        xs = [left + plot_w / 2]
    else:
        inner = plot_w - 2 * pad
        xs = [left + pad + i * inner / (len(cycles) - 1) for i in range(len(cycles))]
    lines = []
    spread = 5 if len(series) > 1 else 0
    for index, (competency, values) in enumerate(series):
        offset = (index - (len(series) - 1) / 2) * spread
        marker = MARKERS[index % len(MARKERS)]
        points, paths = _series_points(values, xs, y_of, offset, marker)
        lines.append(
            {
                "colour": index % SERIES,
                "legend_marker": marker_path(marker, 12, -4),
                "points": points,
                "paths": paths,
                "name": competency.name_th,
            }
        )
    legend_top = base + bottom + 8
    legend = [{**line, "y": legend_top + i * 22, "text_x": 30} for i, line in enumerate(lines)]

    def say(value):
        if value is None:
            return "–"
        return thai_digits(value) if is_level else percent_text(value, 1)

    def steps(values):
        return ", ".join(
            f"{thai_digits(cycle.code)} {say(value)}"
            for cycle, value in zip(cycles, values, strict=True)
        )

    parts = [f"{competency.name_th}: {steps(values)}" for competency, values in series]
    return {
        "id": chart_id,
        "title": title,
        "desc": "; ".join(parts),
        "width": round(width),
        "height": legend_top + len(lines) * 22 + 4,
        "left": left,
        "tick_x": left - 8,
        "right_edge": left + plot_w,
        "base": base,
        "grid": [
            {"y": round(y_of(t), 1), "label": thai_digits(t if is_level else f"{t} %")}
            for t in ticks
        ],
        "xs": [
            {"x": round(x, 1), "label": thai_digits(c.code)}
            for x, c in zip(xs, cycles, strict=True)
        ],
        "x_label_y": base + 20,
        "lines": lines,
        "legend": legend,
    }


def level_series(history):
    """[(competency, [supervisor's level per round])] of one person."""
    return [
        (competency, [None if r is None else r.supervisor_level for r in results])
        for competency, results in history.rows
    ]


def trend_series(trend, attribute):
    """[(competency, [mean level or percent per round])] of the organisation."""
    return [
        (competency, [getattr(point, attribute) for point in points])
        for competency, points in trend.rows
    ]


register.simple_tag(level_series)
register.simple_tag(trend_series)
