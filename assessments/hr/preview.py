"""A framework version exactly as raters will see it on the rating page (nothing saved)."""

from django.conf import settings
from django.shortcuts import get_object_or_404, render

from assessments.selectors import rating as selectors
from framework.models import Framework


def framework_preview(request, version):
    """A framework version exactly as raters will see it on the rating page (nothing saved)."""
    framework = get_object_or_404(
        Framework, organisation=settings.PORTAL_ORGANISATION, version=version
    )
    return render(
        request,
        "assessments/preview.html",
        {"framework": framework, "sheet": selectors.blank_sheet(framework), "role": "self"},
    )
