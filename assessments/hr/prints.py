"""HR's batch printing of a round: ask for a batch, follow it, download the PDF."""

from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from assessments.models import Cycle, PrintJob
from assessments.services import printing
from assessments.views.common import flash_errors


@require_POST
def print_job_create(request, pk):
    cycle = get_object_or_404(Cycle, pk=pk)
    try:
        job = printing.request_batch_print(
            cycle=cycle, by=request.user, department=request.POST.get("department", "")
        )
    except ValidationError as error:
        flash_errors(request, error)
        return redirect(cycle)
    return redirect(job)


def print_job_detail(request, pk):
    job = get_object_or_404(PrintJob.objects.select_related("cycle", "requested_by"), pk=pk)
    return render(request, "assessments/print_job.html", {"job": job})


def print_job_file(request, pk):
    job = get_object_or_404(PrintJob, pk=pk)
    if not job.file:
        raise Http404
    return FileResponse(job.file.open("rb"), as_attachment=True, filename=job.file_name())
