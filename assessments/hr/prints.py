"""HR's batch printing of a round: ask for a batch, follow it, download the PDF."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import time as time_filter
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from assessments.models import Cycle, PrintJob
from assessments.services import leases, printing
from assessments.views.common import flash_errors
from competency_portal.lib.thai import be_date, thai_digits


@require_POST
def print_job_create(request, pk):
    cycle = get_object_or_404(Cycle, pk=pk)
    try:
        job = printing.request_batch_print(
            cycle=cycle,
            by=request.user,
            department=request.POST.get("department", ""),
            only=request.POST.get("only", ""),
        )
    except ValidationError as error:
        flash_errors(request, error)
        return redirect(cycle)
    return redirect(job)


def print_job_detail(request, pk):
    job = get_object_or_404(PrintJob.objects.select_related("cycle", "requested_by"), pk=pk)
    context = {"job": job, "state": job_state(job)}
    return render(request, "assessments/print_job.html", context)


@require_GET
def print_job_status(request, pk):
    """The batch's progress as JSON, polled by static/js/print_job.js (no page reloads)."""
    job = get_object_or_404(PrintJob, pk=pk)
    seen = leases.last_worker_seen()
    if not job.finished and not leases.worker_alive(seen):
        # No worker to take over a task whose worker died: the page does, so that it shows
        # the truth (workers do it themselves at every beat).
        leases.reclaim_stale()
        job.refresh_from_db()
    return JsonResponse(job_state(job, seen))


def job_state(job, seen=...):
    """What the page shows of a batch, its texts ready in the reader's language."""
    seen = leases.last_worker_seen() if seen is ... else seen
    worker_seen = leases.worker_alive(seen)
    return {
        "status": job.status,
        "status_label": str(job.get_status_display()),
        "done": job.done,
        "total": job.total,
        "percent": job.percent,
        "finished": job.finished,
        "progress_text": _("%(done)s of %(total)s forms printed")
        % {"done": thai_digits(job.done), "total": thai_digits(job.total)},
        "worker_seen": worker_seen,
        "notice": _notice(job, seen),
    }


def _notice(job, seen):
    if job.finished:
        return ""
    if not leases.worker_alive(seen):
        if seen is not None:
            seen = timezone.localtime(seen)
        if seen is None:
            return _(
                "No background worker has been seen: the batch waits until one runs "
                "(manage.py db_worker). Tell the system administrator."
            )
        return _(
            "No background worker has been seen since %(date)s at %(time)s: the batch waits "
            "until one runs again (manage.py db_worker). Tell the system administrator."
        ) % {"date": be_date(seen), "time": thai_digits(time_filter(seen, "H:i"))}
    if job.attempt > 1:
        return _(
            "The worker printing this batch stopped; another started it again from the top "
            "(try %(n)s)."
        ) % {"n": thai_digits(job.attempt)}
    return ""


@require_POST
def print_job_retry(request, pk):
    job = get_object_or_404(PrintJob, pk=pk)
    try:
        job = printing.retry_batch_print(job=job, by=request.user)
    except ValidationError as error:
        flash_errors(request, error)
    else:
        messages.success(request, _("The batch was queued again."))
    return redirect(job)


def print_job_file(request, pk):
    job = get_object_or_404(PrintJob.objects.select_related("cycle"), pk=pk)
    if not job.file:
        raise Http404
    try:
        stored = job.file.open("rb")
    except FileNotFoundError:
        # A database restored on a new server, a storage emptied: the batch can be printed again.
        messages.error(
            request, _("The file of this batch is no longer kept. Print the batch again here.")
        )
        return redirect(job.cycle)
    return FileResponse(stored, as_attachment=True, filename=job.file_name())
