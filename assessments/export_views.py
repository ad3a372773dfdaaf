"""Downloads for HR: a round's results as CSV or as an Excel workbook."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404

from assessments import permissions, results_export
from assessments.models import Cycle


@login_required
def results(request, cycle_pk, fmt):
    if not permissions.can_manage(request.user):
        raise PermissionDenied
    if fmt not in results_export.FORMATS:
        raise Http404
    cycle = get_object_or_404(Cycle.objects.select_related("framework"), pk=cycle_pk)
    content, content_type, name = results_export.export(cycle, fmt)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response
