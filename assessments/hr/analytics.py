"""HR's analytics of the rounds, and one person's history across rounds.

The numbers come from assessments/analytics.py (a fixed number of queries; the submitted
supervisors' ratings only, unless `?drafts=1` counts the drafts too), the charts from
assessments/templatetags/charts.py, the CSV files from assessments/analytics_csv.py.
Access: the analytics pages are HR's; a person's history is also open to that person and to
their current supervisor, and is not found (404) for anyone else.
"""

from urllib.parse import urlencode

from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext_noop

from assessments.exports import analytics as analytics_csv
from assessments.models import AuditEntry, Cycle
from assessments.selectors import analytics
from assessments.services import audit
from competency_portal.lib.csvfiles import csv_text
from competency_portal.lib.downloads import CSV_TYPE, download


def _cycles_and_choice(request):
    """(rounds that have been opened, newest first; the chosen one or None).

    `?cycle=<pk>` chooses; by default the open round, else the latest one.
    """
    cycles = analytics.reported_cycles()[::-1]
    raw = request.GET.get("cycle")
    if raw:
        chosen = next((c for c in cycles if str(c.pk) == raw), None)
        if chosen is None:
            raise Http404
        return cycles, chosen
    chosen = next((c for c in cycles if c.status == Cycle.Status.OPEN), None)
    return cycles, chosen or (cycles[0] if cycles else None)


def _query(**params):
    return urlencode({key: value for key, value in params.items() if value})


def _include_drafts(request):
    """`?drafts=1` counts the supervisors' drafts too; by default only submitted ratings."""
    return request.GET.get("drafts") == "1"


def _drafts_queries(include_drafts, **params):
    """(the query of this view, the query of the other choice about drafts)."""
    shown = _query(**params, drafts="1" if include_drafts else "")
    other = _query(**params, drafts="" if include_drafts else "1")
    return shown, other


def csv_response(rows, filename, request=None):
    rows = list(rows)
    if request is not None:
        audit.record(
            action=AuditEntry.Action.ANALYTICS_EXPORTED,
            request=request,
            target=filename,
            summary=audit.thai(gettext_noop("Analytics CSV %(file)s"), file=filename),
            detail={"file": filename, "rows": max(len(rows) - 1, 0)},
        )
    return download(csv_text(rows), filename, CSV_TYPE)


DISAGREEMENTS_SHOWN = 25


def widest(disagreements):
    """The page's list: the widest gaps first (by division and name among equals), at most
    DISAGREEMENTS_SHOWN; the CSV has them all (216 at 1,000 people)."""
    ordered = sorted(disagreements, key=lambda item: -abs(item.difference))
    return ordered[:DISAGREEMENTS_SHOWN]


def index(request):
    cycles, cycle = _cycles_and_choice(request)
    department = request.GET.get("department", "")
    include_drafts = _include_drafts(request)
    report = analytics.cycle_report(cycle, department, include_drafts) if cycle else None
    query, drafts_toggle = _drafts_queries(
        include_drafts, cycle=cycle.pk if cycle else None, department=department
    )
    context = {
        "cycles": cycles,
        "cycle": cycle,
        "department": department,
        "report": report,
        "levels": analytics.LEVEL_VALUES,
        "query": query,
        "drafts_toggle": drafts_toggle,
        "y_max": max((max(row.counts) for row in report.distribution), default=0) if report else 0,
        "disagreements": widest(report.disagreements) if report else [],
    }
    return render(request, "analytics/index.html", context)


def csv_download(request, chart):
    include_drafts = _include_drafts(request)
    if chart == "trend":
        department = request.GET.get("department", "")
        rows = analytics_csv.trend(analytics.organisation_trend(department, include_drafts))
        return csv_response(rows, "analytics-trend.csv", request)
    if chart not in analytics_csv.CYCLE_CHARTS:
        raise Http404
    _cycles, cycle = _cycles_and_choice(request)
    if cycle is None:
        raise Http404
    report = analytics.cycle_report(cycle, request.GET.get("department", ""), include_drafts)
    rows = analytics_csv.CYCLE_CHARTS[chart](report)
    return csv_response(rows, f"analytics-{chart}-{cycle.code}.csv", request)


def trend(request):
    department = request.GET.get("department", "")
    include_drafts = _include_drafts(request)
    result = analytics.organisation_trend(department, include_drafts)
    query, drafts_toggle = _drafts_queries(include_drafts, department=department)
    context = {
        "trend": result,
        "department": department,
        "query": query,
        "drafts_toggle": drafts_toggle,
    }
    return render(request, "analytics/trend.html", context)
