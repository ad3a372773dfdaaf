"""The rating pages: a self-assessment, and a supervisor's rating with the self-ratings
beside it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from assessments import forms, permissions, services
from assessments.models import Role, Track
from assessments.selectors import rating as selectors
from assessments.views.common import assessment_for, flash_errors

ROLE_PAGES = {
    Role.SELF: ("assessments:self", permissions.can_rate_self),
    Role.SUPERVISOR: ("assessments:rate", permissions.can_rate_as_supervisor),
}


@login_required
def self_assessment(request, pk):
    return _rating_page(request, pk, Role.SELF)


@login_required
def supervisor_rating(request, pk):
    return _rating_page(request, pk, Role.SUPERVISOR)


def _rating_page(request, pk, role):
    url_name, allowed = ROLE_PAGES[role]
    assessment = assessment_for(request.user, pk, allowed)
    missing = []
    status = 200
    if request.method == "POST":
        outcome = _save_rating_post(request, assessment, role)
        if outcome is None:
            return redirect(url_name, pk=pk)
        status, missing = outcome
        assessment.refresh_from_db()
    sheet = selectors.rating_sheet(assessment, role)
    work_results = assessment.work_results
    if status in (400, 409):
        # Nothing was saved: show what the person entered, so that nothing typed is lost.
        work_results = _keep_posted(sheet, request.POST)
    context = {
        "assessment": assessment,
        "sheet": sheet,
        "role": role,
        "read_only": _read_only(assessment, role),
        "missing": missing,
        "missing_ids": {indicator.pk for indicator in missing},
        "work_results": work_results,
    }
    return render(request, "assessments/rating.html", context, status=status)


def _keep_posted(sheet, post):
    """Put the posted (refused) ratings and comments back on the sheet; return work results."""
    try:
        values, comments = forms.parse_ratings(post)
    except ValidationError:
        return post.get("work_results", "")
    for block in sheet.blocks:
        block.comment = comments.get(block.competency.pk, block.comment)
        for level_rows in block.levels:
            for row in level_rows.rows:
                row.value = values.get(row.indicator.pk, row.value)
    return post.get("work_results", "")


def _read_only(assessment, role):
    return (
        assessment.track_state(role) == Track.SUBMITTED
        or assessment.is_finalized
        or not assessment.cycle.is_open
    )


def _save_rating_post(request, assessment, role):
    """Save (and maybe submit) one track. None when done; else (status, missing indicators)."""
    try:
        values, comments = forms.parse_ratings(request.POST)
        version = forms.parse_version(request.POST)
        extra = {}
        if role == Role.SUPERVISOR:
            extra["work_results"] = services.parse_work_results(request.POST.get("work_results"))
        assessment = services.save_ratings(
            assessment=assessment,
            role=role,
            by=request.user,
            values=values,
            comments=comments,
            expected_version=version,
            **extra,
        )
    except services.StaleAssessment as error:
        messages.error(request, str(error))
        return 409, []
    except ValidationError as error:
        flash_errors(request, error)
        return 400, []
    if request.POST.get("action") != "submit":
        messages.success(request, _("Your draft was saved."))
        return None
    try:
        services.submit_track(assessment=assessment, role=role, by=request.user)
    except services.IncompleteRatings as error:
        messages.warning(request, error.message)
        return 200, error.missing
    except ValidationError as error:
        flash_errors(request, error)
        return 400, []
    messages.success(request, _("Submitted. The ratings can no longer be changed."))
    return None
