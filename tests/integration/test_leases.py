"""Leases for background work (issue 11, points 1 and 2): a task whose worker stopped beating
is started again by another worker, or after the last try marked failed with a Thai reason
and a "try again" button; the batch page follows its batch through a small JSON URL and says
when no worker has been seen for a minute."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from assessments.models import PrintJob, TaskLease, WorkerBeat
from assessments.services import leases

PRINT_TASK = "assessments.tasks.print_job_task"
NO_WORKER = "ยังไม่พบเครื่องที่ทำงานเบื้องหลัง"
STOPPED_EVERY_TIME = "หยุดทำงานระหว่างพิมพ์ ๓ ครั้งติดกัน"


@pytest.fixture
def lease_settings(settings):
    settings.PORTAL_TASK_LEASE_SECONDS = 60
    settings.PORTAL_TASK_MAX_ATTEMPTS = 3
    return settings


@pytest.fixture
def job(round_open):
    return PrintJob.objects.create(
        cycle=round_open.cycle, requested_by=round_open.hr, status="running", total=6, done=4
    )


def ago(seconds):
    return timezone.now() - datetime.timedelta(seconds=seconds)


def running_task(job, started_seconds_ago, *, heartbeat_seconds_ago=None, attempts=1):
    """A task as a worker left it: claimed (RUNNING), with its lease as last written."""
    result = DBTaskResult.objects.create(
        task_path=PRINT_TASK,
        args_kwargs={"args": [job.pk], "kwargs": {}},
        backend_name="default",
        queue_name="default",
        run_after=ago(started_seconds_ago + 1),
        status="RUNNING",
        started_at=ago(started_seconds_ago),
        worker_ids=["dead-worker"],
    )
    if heartbeat_seconds_ago is not None:
        TaskLease.objects.create(
            task_id=str(result.pk),
            task_path=PRINT_TASK,
            worker="dead-worker",
            attempts=attempts,
            heartbeat_at=ago(heartbeat_seconds_ago),
        )
    return result


def fresh(row):
    return type(row).objects.get(pk=row.pk)


def test_a_task_whose_worker_beats_is_left_alone(lease_settings, job):
    task = running_task(job, 600, heartbeat_seconds_ago=5)
    assert leases.reclaim_stale() == 0
    assert fresh(task).status == "RUNNING"
    assert fresh(job).status == "running"


def test_a_task_whose_worker_went_silent_is_queued_again_from_the_top(lease_settings, job):
    task = running_task(job, 600, heartbeat_seconds_ago=61)

    assert leases.reclaim_stale() == 1

    assert fresh(task).status == "READY"  # any worker takes it now
    job = fresh(job)
    assert (job.status, job.done, job.attempt) == ("queued", 0, 2)


def test_a_task_started_without_a_lease_long_ago_is_taken_over_too(lease_settings, job):
    task = running_task(job, 61)
    assert leases.reclaim_stale() == 1
    assert fresh(task).status == "READY"


def test_a_task_just_started_is_not_taken_over_before_its_first_beat(lease_settings, job):
    task = running_task(job, 3)
    assert leases.reclaim_stale() == 0
    assert fresh(task).status == "RUNNING"


def test_after_the_last_try_the_batch_fails_with_the_reason_and_can_be_tried_again(
    lease_settings, job, client, django_capture_on_commit_callbacks
):
    task = running_task(job, 600, heartbeat_seconds_ago=300, attempts=3)

    assert leases.reclaim_stale() == 1

    assert fresh(task).status == "FAILED"
    assert not TaskLease.objects.exists()
    job = fresh(job)
    assert job.status == "failed" and STOPPED_EVERY_TIME in job.error
    client.force_login(job.requested_by)
    page = client.get(job.get_absolute_url()).content.decode()
    assert STOPPED_EVERY_TIME in page
    assert reverse("assessments:print_job_retry", args=[job.pk]) in page

    with django_capture_on_commit_callbacks(execute=False) as queued:
        response = client.post(reverse("assessments:print_job_retry", args=[job.pk]))

    assert response.status_code == 302
    job = fresh(job)
    assert (job.status, job.done, job.error, job.attempt) == ("queued", 0, "", 1)
    assert len(queued) == 1  # the task is enqueued once the retry commits


def test_only_a_failed_batch_can_be_tried_again(lease_settings, job, client):
    client.force_login(job.requested_by)
    client.post(reverse("assessments:print_job_retry", args=[job.pk]))
    assert fresh(job).status == "running"


def test_the_status_url_gives_the_progress_in_thai(lease_settings, job, client):
    WorkerBeat.objects.create(worker="w1", seen_at=ago(5))
    client.force_login(job.requested_by)

    state = client.get(reverse("assessments:print_job_status", args=[job.pk])).json()

    assert state["status"] == "running" and not state["finished"]
    assert (state["done"], state["total"], state["percent"]) == (4, 6, 67)
    assert "๔ จาก ๖" in state["progress_text"]
    assert state["worker_seen"] is True and state["notice"] == ""


def test_the_status_url_says_when_no_worker_was_seen_for_a_minute(lease_settings, job, client):
    WorkerBeat.objects.create(worker="w1", seen_at=ago(61))
    client.force_login(job.requested_by)

    state = client.get(reverse("assessments:print_job_status", args=[job.pk])).json()

    assert state["worker_seen"] is False
    assert NO_WORKER in state["notice"]
    page = client.get(job.get_absolute_url()).content.decode()
    assert NO_WORKER in page


def test_the_status_url_takes_over_a_silent_task_at_once(lease_settings, job, client):
    running_task(job, 600, heartbeat_seconds_ago=120)
    client.force_login(job.requested_by)
    state = client.get(reverse("assessments:print_job_status", args=[job.pk])).json()
    assert (state["status"], state["done"]) == ("queued", 0)


def test_the_status_url_is_for_hr_only(job, client, round_open):
    client.force_login(round_open.head.user)
    assert client.get(reverse("assessments:print_job_status", args=[job.pk])).status_code == 403
