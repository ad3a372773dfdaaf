"""One person's history across rounds: for HR, the person, and their current supervisor, and
not found (404) for anyone else. The numbers come from assessments/selectors/analytics.py, the
charts from assessments/templatetags/charts.py, the CSV from assessments/exports/analytics.py."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, render

from assessments.exports import analytics as analytics_csv
from assessments.models import Employee
from assessments.permissions import can_manage, employee_of
from assessments.selectors import analytics
from competency_portal.lib.csvfiles import csv_text
from competency_portal.lib.downloads import CSV_TYPE, download


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
    return download(csv_text(rows), f"history-{employee.employee_code}.csv", CSV_TYPE)
