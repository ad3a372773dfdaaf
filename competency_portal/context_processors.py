from django.conf import settings


def portal(request):
    """Values every page's layout needs."""
    return {"portal_organisation": settings.PORTAL_ORGANISATION}
