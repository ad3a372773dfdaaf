"""`/healthz`: whether this web process can serve, for load balancers and monitoring.

Open to anyone (no login, no session, no personal data), never cached, over plain HTTP too
(SECURE_REDIRECT_EXEMPT), and cheap: three queries at most. It answers 200 with

    {"status": "ok", "database": "ok", "migrations": "ok", "worker": "ok",
     "worker_seen": "2026-12-01T01:02:03+00:00", "time": "2026-12-01T01:04:00+00:00"}

or 503 with "status": "down" and the part that is down: "database": "down" (it did not answer
within PORTAL_DB_CONNECT_TIMEOUT; the rest is then "unknown"), "migrations": "pending" (a
migration on disk is not applied to this database), or, only with PORTAL_HEALTH_REQUIRE_WORKER=1,
a worker that is not "ok".

The worker, from the beats task workers write (assessments/services/leases.py): "ok" when one
beat within PORTAL_TASK_LEASE_SECONDS, "stale" when the newest beat is older (the workers died
or hang), "unknown" when none ever beat or all stopped cleanly (a fresh installation: healthy
unless a worker is required). "worker_seen" is the newest beat.
"""

import logging
from functools import cache

from django.conf import settings
from django.db import Error as DatabaseError
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from assessments.services import leases

logger = logging.getLogger(__name__)


def database_answers():
    """Whether the database answers a query (one query). A server that is down, refuses or
    never answers fails within PORTAL_DB_CONNECT_TIMEOUT (settings.database)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as error:
        logger.warning("health: the database does not answer (%s)", type(error).__name__)
        return False
    return True


@cache
def migrations_on_disk():
    """{(app, name): the migrations it replaces} of every migration of the installed apps, read
    from the files once per process: they change only with a new release, which restarts it."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    return {
        key: tuple(loader.replacements[key].replaces) if key in loader.replacements else ()
        for key in loader.graph.nodes
    }


def unapplied_migrations():
    """The migrations on disk this database has not applied, sorted (one query). A squashed
    migration counts as applied when every migration it replaces is."""
    try:
        applied = set(MigrationRecorder(connection).migration_qs.values_list("app", "name"))
    except DatabaseError:  # no django_migrations table: nothing was ever migrated
        applied = set()
    return sorted(
        key
        for key, replaces in migrations_on_disk().items()
        if key not in applied and not (replaces and applied.issuperset(replaces))
    )


def worker_state(now):
    """("ok" | "stale" | "unknown", the newest beat of a task worker or None), in one query.
    A worker silent for PORTAL_TASK_LEASE_SECONDS is gone, as the leases count it."""
    seen = leases.last_worker_seen()
    if seen is None:
        return "unknown", None
    return ("ok" if leases.worker_alive(seen, now) else "stale"), seen


def report():
    """The state of the parts this process needs, as /healthz shows it (three queries at
    most)."""
    now = timezone.now()
    state = {
        "status": "ok",
        "database": "ok",
        "migrations": "unknown",
        "worker": "unknown",
        "worker_seen": None,
        "time": now.isoformat(),
    }
    if not database_answers():
        state.update(status="down", database="down")
        return state

    pending = unapplied_migrations()
    state["migrations"] = "pending" if pending else "ok"
    if pending:
        logger.warning("health: %d migration(s) not applied, e.g. %s.%s", len(pending), *pending[0])
        state["status"] = "down"

    try:
        worker, seen = worker_state(now)
    except DatabaseError:  # no table of beats: its migration is pending, as said above
        worker, seen = "unknown", None
    state.update(worker=worker, worker_seen=seen.isoformat() if seen else None)
    if worker != "ok" and settings.PORTAL_HEALTH_REQUIRE_WORKER:
        state["status"] = "down"
    return state


@never_cache
@require_safe
def healthz(request):
    """200 when every part is up, 503 naming the part that is down (module docstring)."""
    state = report()
    return JsonResponse(state, status=200 if state["status"] == "ok" else 503)
