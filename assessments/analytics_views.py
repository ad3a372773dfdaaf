"""HR's analytics of the rounds, and one person's history across rounds.

The numbers come from assessments/analytics.py (a fixed number of queries), the charts from
assessments/templatetags/charts.py, the CSV files from assessments/analytics_csv.py.
Access: the analytics pages are HR's; a person's history is also open to that person and to
their current supervisor, and is not found (404) for anyone else.
"""

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render

from assessments import analytics, analytics_csv
from assessments.models import Cycle, Employee
from assessments.permissions import can_manage, employee_of
from framework.permissions import hr_required


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


def csv_response(rows, filename):
    response = HttpResponse(analytics_csv.to_text(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@hr_required
def index(request):
    cycles, cycle = _cycles_and_choice(request)
    department = request.GET.get("department", "")
    report = analytics.cycle_report(cycle, department) if cycle else None
    context = {
        "cycles": cycles,
        "cycle": cycle,
        "department": department,
        "report": report,
        "levels": analytics.LEVEL_VALUES,
        "query": _query(cycle=cycle.pk if cycle else None, department=department),
        "y_max": max((max(row.counts) for row in report.distribution), default=0) if report else 0,
    }
    return render(request, "analytics/index.html", context)


@hr_required
def csv_download(request, chart):
    if chart == "trend":
        department = request.GET.get("department", "")
        rows = analytics_csv.trend(analytics.organisation_trend(department))
        return csv_response(rows, "analytics-trend.csv")
    if chart not in analytics_csv.CYCLE_CHARTS:
        raise Http404
    _cycles, cycle = _cycles_and_choice(request)
    if cycle is None:
        raise Http404
    report = analytics.cycle_report(cycle, request.GET.get("department", ""))
    rows = analytics_csv.CYCLE_CHARTS[chart](report)
    return csv_response(rows, f"analytics-{chart}-{cycle.code}.csv")


@hr_required
def trend(request):
    department = request.GET.get("department", "")
    result = analytics.organisation_trend(department)
    return render(
        request,
        "analytics/trend.html",
        {"trend": result, "department": department, "query": _query(department=department)},
    )


# ---------------------------------------------------------------- one person's history


def _person_for(user, employee_pk):
    """The employee if this user is HR, the person, or their current supervisor; else 404."""
    employee = get_object_or_404(
        Employee.objects.select_related("department", "position_class", "supervisor"),
        pk=employee_pk,
    )
    me = employee_of(user)
    if me is not None and me.pk in (employee.pk, employee.supervisor_id):
        return employee
    if can_manage(user):
        return employee
    raise Http404


def _may_open(user, me, hr, assessment):
    """The results page's own rule (permissions.can_view), without asking HR again per row."""
    if hr:
        return True
    ids = (assessment.employee_id, assessment.supervisor_id, assessment.reviewer_id)
    return me is not None and me.pk in ids


@login_required
def person(request, employee_pk):
    employee = _person_for(request.user, employee_pk)
    history = analytics.person_history(employee)
    me, hr = employee_of(request.user), can_manage(request.user)
    rounds = [
        (scored, _may_open(request.user, me, hr, scored.assessment)) for scored in history.rounds
    ]
    return render(
        request,
        "analytics/person.html",
        {"employee": employee, "history": history, "rounds": rounds, "is_hr": hr},
    )


@login_required
def person_csv(request, employee_pk):
    employee = _person_for(request.user, employee_pk)
    rows = analytics_csv.person(analytics.person_history(employee))
    return csv_response(rows, f"history-{employee.employee_code}.csv")
