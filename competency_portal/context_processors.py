"""Values every page's layout needs: the organisation, whether the user is HR and whether
they rate or review anyone."""

from django.conf import settings
from django.utils.functional import SimpleLazyObject

from framework.permissions import is_hr


def portal(request):
    """Values every page's layout needs."""
    user = getattr(request, "user", None)
    return {
        "portal_organisation": settings.PORTAL_ORGANISATION,
        "user_is_hr": bool(user and is_hr(user)),
        # asked only by pages that show the menu, once per page
        "user_has_team": SimpleLazyObject(lambda: _has_team(user)),
    }


def _has_team(user):
    from assessments.permissions import has_team

    return bool(user and has_team(user))
