"""Who may see or change the framework, and who is HR. Every framework view asks here.

`hr_required` is the HR gate: competency_portal/urls.py wraps every HR page's pattern in it.
"""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied

HR_GROUP = "hr"


def is_hr(user):
    """A superuser or a member of the `hr` group; computed once per user object (one request)."""
    if not user.is_authenticated or not user.is_active:
        return False
    cached = getattr(user, "_portal_is_hr", None)
    if cached is None:
        cached = user.is_superuser or user.groups.filter(name=HR_GROUP).exists()
        user._portal_is_hr = cached
    return cached


def can_view_framework(user):
    """Everyone who works here reads the framework they are assessed against."""
    return user.is_authenticated and user.is_active


def can_edit_framework(user):
    return is_hr(user)


def hr_required(view):
    """A view for HR only: anonymous visitors go to the login page, anyone else gets 403."""

    @login_required
    @wraps(view)
    def hr_required(request, *args, **kwargs):
        if not is_hr(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return hr_required
