"""Background tasks (django-tasks, database backend; worker: `manage.py db_worker`)."""

from django_tasks import task


@task()
def print_job_task(job_id):
    from assessments.services.printing import run_print_job

    run_print_job(job_id)
