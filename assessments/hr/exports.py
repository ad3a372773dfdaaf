"""Downloads for HR: a round's results as CSV or as an Excel workbook."""

from django.http import Http404
from django.shortcuts import get_object_or_404

from assessments.exports import results as results_export
from assessments.models import Cycle
from assessments.services import audit
from competency_portal.lib.downloads import download


def results(request, cycle_pk, fmt):
    if fmt not in results_export.FORMATS:
        raise Http404
    cycle = get_object_or_404(Cycle.objects.select_related("framework"), pk=cycle_pk)
    content, content_type, name = results_export.export(cycle, fmt)
    audit.record_results_export(cycle, fmt, request=request)
    return download(content, name, content_type)
