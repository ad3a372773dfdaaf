"""Leases for background work: nothing stays "running" after its worker died.

A worker (`manage.py db_worker`, assessments/management/commands/db_worker.py) writes its own
beat (WorkerBeat) and the lease of the task it runs (TaskLease) every
PORTAL_TASK_HEARTBEAT_SECONDS. Every worker also looks, as often, for running tasks whose lease
is older than PORTAL_TASK_LEASE_SECONDS: their worker is gone (killed, its host lost). Such a
task is queued again from the start, and the thing it works on is told (`requeued`); after
PORTAL_TASK_MAX_ATTEMPTS tries it is marked failed and told why (`abandoned`), in Thai.

Tasks name what to do in these two cases with `on_lost(task_path, requeued=…, abandoned=…)`.
"""

import datetime
import logging
import os
import socket

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from assessments.models import TaskLease, WorkerBeat

logger = logging.getLogger(__name__)

RUNNING, READY = TaskResultStatus.RUNNING, TaskResultStatus.READY
_HOOKS = {}


class WorkerLost(Exception):
    """Recorded as a task's failure when its worker died on every try."""


def lease_seconds():
    return getattr(settings, "PORTAL_TASK_LEASE_SECONDS", 120)


def heartbeat_seconds():
    return getattr(settings, "PORTAL_TASK_HEARTBEAT_SECONDS", 10)


def max_attempts():
    return getattr(settings, "PORTAL_TASK_MAX_ATTEMPTS", 3)


def on_lost(task_path, *, requeued, abandoned):
    """`requeued(*args, attempt=n)` and `abandoned(*args, attempts=n)` for a task's args."""
    _HOOKS[task_path] = (requeued, abandoned)


def worker_name(worker_id):
    return f"{socket.gethostname()}:{os.getpid()}:{worker_id}"[:200]


# ---------------------------------------------------------------- written by a worker


def start(task_id, task_path, worker):
    """A worker starts a task: its lease counts one more try."""
    lease, _created = TaskLease.objects.get_or_create(
        task_id=str(task_id), defaults={"task_path": task_path[:200], "worker": worker}
    )
    TaskLease.objects.filter(pk=lease.pk).update(
        worker=worker, attempts=lease.attempts + 1, heartbeat_at=timezone.now()
    )


def finish(task_id):
    TaskLease.objects.filter(task_id=str(task_id)).delete()


def beat(worker, task_id=None, task_path=""):
    """The worker is alive (and so is its task's lease, written now if writing it at the
    start failed: a running task without a lease would be taken over)."""
    now = timezone.now()
    updated = WorkerBeat.objects.filter(worker=worker).update(seen_at=now)
    if not updated:
        WorkerBeat.objects.create(worker=worker, started_at=now, seen_at=now)
    if task_id is not None:
        kept = TaskLease.objects.filter(task_id=str(task_id), worker=worker).update(
            heartbeat_at=now
        )
        if not kept:
            start(task_id, task_path, worker)


def leave(worker):
    """A worker that stops cleanly says so: it is not "seen" any longer."""
    WorkerBeat.objects.filter(worker=worker).delete()


def last_worker_seen():
    """When a worker was last seen alive, or None when none ever was."""
    return WorkerBeat.objects.order_by("-seen_at").values_list("seen_at", flat=True).first()


def worker_alive(seen, now=None):
    """Whether a worker last seen at `seen` still runs: it beat within the lease, the one
    measure the batch page, /healthz and the taking over of tasks share."""
    now = now or timezone.now()
    return seen is not None and seen >= now - datetime.timedelta(seconds=lease_seconds())


# ---------------------------------------------------------------- taking over


def reclaim_stale(now=None):
    """Queue again (or fail) every running task whose worker stopped beating. Returns the
    number of tasks reclaimed."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(seconds=lease_seconds())
    reclaimed = 0
    for task_id in _stale_task_ids(cutoff):
        with transaction.atomic():
            result = (
                DBTaskResult.objects.select_for_update(skip_locked=True)
                .filter(pk=task_id, status=RUNNING)
                .first()
            )
            if result is not None and _is_stale(result, cutoff):
                _reclaim(result)
                reclaimed += 1
    return reclaimed


def _stale_task_ids(cutoff):
    running = DBTaskResult.objects.filter(status=RUNNING, started_at__lt=cutoff)
    return list(running.values_list("pk", flat=True))


def _is_stale(result, cutoff):
    lease = TaskLease.objects.filter(task_id=str(result.pk)).first()
    # No lease at all: a task started by a worker without leases (or before this code)
    return lease is None or lease.heartbeat_at < cutoff


def _reclaim(result):
    lease = TaskLease.objects.filter(task_id=str(result.pk)).first()
    attempts = lease.attempts if lease else 1
    args = result.args_kwargs.get("args", [])
    requeued, abandoned = _HOOKS.get(result.task_path, (None, None))
    if attempts >= max_attempts():
        logger.error(
            "Task %s (%s) lost its worker %d times; marked failed",
            result.pk,
            result.task_path,
            attempts,
        )
        result.set_failed(WorkerLost(f"the worker stopped during each of {attempts} tries"))
        TaskLease.objects.filter(task_id=str(result.pk)).delete()
        if abandoned:
            abandoned(*args, attempts=attempts)
        return
    logger.warning(
        "Task %s (%s) lost its worker (try %d of %d); queued again",
        result.pk,
        result.task_path,
        attempts,
        max_attempts(),
    )
    DBTaskResult.objects.filter(pk=result.pk).update(status=READY, started_at=None)
    if requeued:
        requeued(*args, attempt=attempts + 1)
