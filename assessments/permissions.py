"""Who may see or change which assessment. Every assessments view asks here.

Staff reach only their own assessments, a supervisor those they rate (their direct
subordinates when the round opened), the next-level supervisor those they review, HR all.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from assessments.models import Assessment, Employee
from framework.permissions import is_hr

__all__ = [
    "is_hr",
    "employee_of",
    "can_view",
    "can_rate_self",
    "can_rate_as_supervisor",
    "can_review",
    "can_manage",
    "assessment_for",
]


def employee_of(user):
    """The Employee linked to a login, or None (an HR-only account, an anonymous visitor)."""
    if not user.is_authenticated:
        return None
    try:
        return user.employee
    except Employee.DoesNotExist:
        return None


def _is(user, employee_id):
    person = employee_of(user)
    return person is not None and employee_id is not None and person.pk == employee_id


def can_rate_self(user, assessment):
    return _is(user, assessment.employee_id)


def can_rate_as_supervisor(user, assessment):
    return _is(user, assessment.supervisor_id)


def can_review(user, assessment):
    return _is(user, assessment.reviewer_id)


def can_manage(user):
    """HR: rounds, people, finalising and reopening."""
    return is_hr(user)


def can_view(user, assessment):
    return (
        can_manage(user)
        or can_rate_self(user, assessment)
        or can_rate_as_supervisor(user, assessment)
        or can_review(user, assessment)
    )


def assessment_for(user, pk, check=can_view, queryset=None):
    """The assessment if `check` allows this user; 404 when they may not even see it, 403 when
    they may see it but not do this."""
    queryset = queryset if queryset is not None else Assessment.objects.all()
    assessment = get_object_or_404(
        queryset.select_related("cycle__framework", "employee__user", "supervisor", "reviewer"),
        pk=pk,
    )
    if not can_view(user, assessment):
        raise Http404
    if not check(user, assessment):
        raise PermissionDenied
    return assessment
