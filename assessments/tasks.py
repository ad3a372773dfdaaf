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
