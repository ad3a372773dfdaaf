"""Batch printing for HR: a PrintJob is asked for here and carried out by a background task."""

import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from assessments.models import AuditEntry, PrintJob
from assessments.reports.batch import assessments_to_print, print_forms
from assessments.services import audit
from competency_portal.lib.thai import thai_digits

logger = logging.getLogger(__name__)


@transaction.atomic
def request_batch_print(*, cycle, by, department="", only=""):
    """Queue the printing of a round (or one division; `only` a PrintJob.Only value); the task
    starts once this commits."""
    from assessments.tasks import print_job_task

    department = (department or "").strip()
    if only not in PrintJob.Only.values:
        raise ValidationError(_("Choose which forms to print from the list."))
    total = len(assessments_to_print(cycle, department or None, only=only))
    if not total:
        raise ValidationError(
            _("Nobody to print in round %(code)s with these options.") % {"code": cycle.code}
        )
    job = PrintJob.objects.create(
        cycle=cycle, department=department, only=only, requested_by=by, total=total
    )
    audit.record(
        action=AuditEntry.Action.BATCH_PRINT,
        by=by,
        target=cycle.code,
        summary=audit.thai(
            gettext_noop("Batch print of round %(code)s: %(total)s forms"),
            code=cycle.code,
            total=total,
        ),
        detail={
            "cycle": cycle.code,
            "department": department,
            "only": only,
            "forms": total,
            "job": job.pk,
        },
    )
    transaction.on_commit(lambda: print_job_task.enqueue(job.pk))
    return job


@transaction.atomic
def retry_batch_print(*, job, by):
    """Queue a failed batch again, from the start ("try again" on its page)."""
    from assessments.tasks import print_job_task

    job = PrintJob.objects.select_for_update().get(pk=job.pk)
    if job.status != PrintJob.Status.FAILED:
        raise ValidationError(_("Only a batch that failed can be tried again."))
    PrintJob.objects.filter(pk=job.pk).update(
        status=PrintJob.Status.QUEUED,
        done=0,
        failed=[],
        error="",
        attempt=1,
        finished_at=None,
        requested_at=timezone.now(),
    )
    logger.info("Batch print %s tried again by %s", job.pk, by)
    transaction.on_commit(lambda: print_job_task.enqueue(job.pk))
    job.refresh_from_db()
    return job


def job_requeued(job_id, *, attempt):
    """Its worker died: the batch waits for another worker and starts again from the top."""
    PrintJob.objects.filter(pk=job_id).update(
        status=PrintJob.Status.QUEUED, done=0, attempt=attempt
    )


def job_abandoned(job_id, *, attempts):
    """Its worker died on every try: the batch fails with the reason, in Thai."""
    with translation.override(settings.LANGUAGE_CODE):
        reason = _(
            "The background worker stopped while printing, %(count)s times in a row. "
            "Check that the task worker runs and has enough memory, then try again."
        ) % {"count": thai_digits(attempts)}
    PrintJob.objects.filter(pk=job_id).exclude(status=PrintJob.Status.DONE).update(
        status=PrintJob.Status.FAILED, error=reason, finished_at=timezone.now()
    )


def run_print_job(job_id):
    """Print every form of the job, recording progress; a form that fails is named, the
    others are kept. Called by the task worker."""
    job = PrintJob.objects.select_related("cycle").get(pk=job_id)
    if job.status == PrintJob.Status.DONE:
        return job  # a worker thought dead finished it after all
    PrintJob.objects.filter(pk=job.pk).update(status=PrintJob.Status.RUNNING, done=0)
    assessments = assessments_to_print(job.cycle, job.department or None, only=job.only)

    def progress(done, total, _name):
        PrintJob.objects.filter(pk=job.pk).update(done=done, total=total)

    try:
        result = print_forms(assessments, settings.PRINT_WORKERS or None, progress)
    except Exception as error:
        # The job page shows the one line below; the traceback is in the log.
        logger.exception("Batch print %s of round %s failed", job.pk, job.cycle.code)
        PrintJob.objects.filter(pk=job.pk).update(
            status=PrintJob.Status.FAILED,
            error=f"{type(error).__name__}: {error}",
            finished_at=timezone.now(),
        )
        raise
    job.refresh_from_db()
    job.failed = [list(item) for item in result.failed]
    job.done = len(assessments)
    job.status = PrintJob.Status.DONE if result.pdf else PrintJob.Status.FAILED
    job.finished_at = timezone.now()
    if result.pdf:
        job.file.save(job.file_name(), ContentFile(result.pdf), save=False)
    job.save()
    logger.info(
        "Batch print %s of round %s: %d forms printed, %d failed",
        job.pk,
        job.cycle.code,
        len(result.printed),
        len(result.failed),
    )
    return job
