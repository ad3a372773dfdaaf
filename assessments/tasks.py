"""Background tasks (django-tasks, database backend; worker: `manage.py db_worker`), and
what to do with each when its worker dies (services/leases.py)."""

from django_tasks import task

from assessments.services import leases


@task()
def print_job_task(job_id):
    from assessments.services.printing import run_print_job

    run_print_job(job_id)


def _print_job_requeued(job_id, *, attempt):
    from assessments.services.printing import job_requeued

    job_requeued(job_id, attempt=attempt)


def _print_job_abandoned(job_id, *, attempts):
    from assessments.services.printing import job_abandoned

    job_abandoned(job_id, attempts=attempts)


leases.on_lost(
    print_job_task.module_path, requeued=_print_job_requeued, abandoned=_print_job_abandoned
)


@task()
def deliver_reminders_task(reminder_ids):
    """Send queued reminders (services/reminders.py); a try that fails schedules the next."""
    from assessments.services.reminders import deliver

    return deliver(reminder_ids)


def _reminders_requeued(reminder_ids, *, attempt):
    from assessments.services.reminders import requeue_lost

    requeue_lost(reminder_ids, attempt=attempt)


def _reminders_abandoned(reminder_ids, *, attempts):
    from assessments.services.reminders import abandon_lost

    abandon_lost(reminder_ids, attempts=attempts)


leases.on_lost(
    deliver_reminders_task.module_path,
    requeued=_reminders_requeued,
    abandoned=_reminders_abandoned,
)
