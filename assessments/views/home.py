"""The home page (what this person has to do now) and the team of a supervisor."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from assessments import permissions
from assessments.models import Cycle, WorkIndicator
from assessments.selectors import rating as selectors
from framework.selectors import published_framework


@login_required
def home(request):
    """What this person has to do now: their own assessment, their team, HR tools."""
    me = permissions.employee_of(request.user)
    cycle = selectors.open_cycle()
    rows = selectors.team(me, cycle)
    context = {
        "today": timezone.localdate(),
        "cycle": cycle,
        "framework": published_framework(),
        "me": me,
        "own": selectors.own_assessment(me, cycle),
        "to_rate": [a for a in rows if a.supervisor_id == me.pk] if me else [],
        "to_review": [a for a in rows if a.reviewer_id == me.pk] if me else [],
        "is_hr": permissions.can_manage(request.user),
    }
    return render(request, "home.html", context)


@login_required
def team(request):
    me = permissions.employee_of(request.user)
    cycle = selectors.open_cycle()
    rows = selectors.team(me, cycle)
    to_rate = [a for a in rows if a.supervisor_id == me.pk] if me else []
    return render(
        request,
        "assessments/team.html",
        {
            "cycle": cycle,
            "to_rate": to_rate,
            "to_review": [a for a in rows if a.reviewer_id == me.pk] if me else [],
            "agreed": _agreed(cycle, to_rate),
        },
    )


def _agreed(cycle, assessments):
    """In a round whose work results come from the agreed indicators: the ids of these
    assessments that have an agreement (one query); None in a round of typed percentages."""
    if cycle is None or cycle.work_results_method != Cycle.WorkResultsMethod.INDICATORS:
        return None
    found = WorkIndicator.objects.filter(assessment__in=[a.pk for a in assessments])
    return set(found.values_list("assessment_id", flat=True).distinct())
