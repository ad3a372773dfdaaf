"""Values every page's layout needs: the organisation and whether the user is HR."""

from django.conf import settings

from framework.permissions import is_hr


def portal(request):
    """Values every page's layout needs."""
    user = getattr(request, "user", None)
    return {
        "portal_organisation": settings.PORTAL_ORGANISATION,
        "user_is_hr": bool(user and is_hr(user)),
    }
