"""`manage.py db_worker`: django-tasks-db's worker, with leases (services/leases.py).

Beside the worker's own loop, a thread writes the worker's beat and the running task's lease
every PORTAL_TASK_HEARTBEAT_SECONDS and takes over tasks whose worker died. Options are
django-tasks-db's, unchanged.
"""

import logging
import os
import threading

from django.db import close_old_connections, connection
from django.db.utils import DatabaseError
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV
from django_tasks_db.compat import task_finished, task_started
from django_tasks_db.management.commands import db_worker

from assessments.services import leases

logger = logging.getLogger(__name__)


class LeaseKeeper:
    """The beat of one worker process and the lease of the task it runs."""

    def __init__(self, worker):
        self.worker = worker
        self.task_id, self.task_path = None, ""
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._loop, name="lease-keeper", daemon=True)

    def start(self):
        task_started.connect(self._started, dispatch_uid="lease-started")
        task_finished.connect(self._finished, dispatch_uid="lease-finished")
        self._safely(leases.beat, self.worker)
        self.thread.start()

    def stop(self):
        self.stopping.set()
        self.thread.join(5)
        task_started.disconnect(dispatch_uid="lease-started")
        task_finished.disconnect(dispatch_uid="lease-finished")
        self._safely(leases.leave, self.worker)

    def _started(self, sender, task_result, **kwargs):
        self.task_id, self.task_path = task_result.id, task_result.task.module_path
        self._safely(leases.start, task_result.id, self.task_path, self.worker)

    def _finished(self, sender, task_result, **kwargs):
        self.task_id = None
        self._safely(leases.finish, task_result.id)

    def _loop(self):
        while not self.stopping.wait(leases.heartbeat_seconds()):
            self._safely(leases.beat, self.worker, self.task_id, self.task_path)
            self._safely(leases.reclaim_stale)
            connection.close()  # this thread's own connection: never left open between beats

    def _safely(self, action, *args):
        """A beat that fails (a locked SQLite file, a database restarting) is tried again at
        the next beat; it must never stop the worker."""
        try:
            action(*args)
        except DatabaseError:
            logger.warning("Lease bookkeeping failed; trying again later", exc_info=True)
            close_old_connections()


class Command(db_worker.Command):
    help = "Run the background task worker (batch printing, reminders), with leases."

    def handle(self, *args, **options):
        reloader_parent = (
            options.get("reload")
            and not options.get("batch")
            and os.environ.get(DJANGO_AUTORELOAD_ENV) != "true"
        )
        if reloader_parent:  # the child process it starts keeps the leases
            return super().handle(*args, **options)
        keeper = LeaseKeeper(leases.worker_name(options["worker_id"]))
        keeper.start()
        try:
            return super().handle(*args, **options)
        finally:
            keeper.stop()
