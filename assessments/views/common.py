"""What every page of the app shares: the assessment a user may open, refusals as messages."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from assessments.models import Assessment
from assessments.permissions import can_view


def error_messages(error):
    """The texts of a ValidationError (or any error), as a list."""
    return error.messages if hasattr(error, "messages") else [str(error)]


def flash_errors(request, error):
    for text in error_messages(error):
        messages.error(request, text)


def assessment_for(user, pk, check=can_view, queryset=None):
    """The assessment if `check` allows this user; 404 when they may not even see it, 403 when
    they may see it but not do this."""
    queryset = queryset if queryset is not None else Assessment.objects.all()
    assessment = get_object_or_404(
        queryset.select_related(
            "cycle__framework", "employee__user", "supervisor", "reviewer", "position_class"
        ),
        pk=pk,
    )
    if not can_view(user, assessment):
        raise Http404
    if not check(user, assessment):
        raise PermissionDenied
    return assessment
