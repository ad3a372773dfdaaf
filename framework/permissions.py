"""Who may see or change the framework. Every framework view asks here."""

HR_GROUP = "hr"


def is_hr(user):
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return any(group.name == HR_GROUP for group in user.groups.all())


def can_view_framework(user):
    """Everyone who works here reads the framework they are assessed against."""
    return user.is_authenticated and user.is_active


def can_edit_framework(user):
    return is_hr(user)


def hr_required(view):
    """A view for HR only: anonymous visitors go to the login page, anyone else gets 403."""
    from functools import wraps

    from django.contrib.auth.decorators import login_required
    from django.core.exceptions import PermissionDenied

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not is_hr(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper
