"""PostgreSQL connections that do not wait twice on a database that did not answer.

One request reads the database in several places (its session in two middlewares, the
signed-in person, the view), and Django turns each failure into a response and goes on: with a
server that never answers, each place would wait PORTAL_DB_CONNECT_TIMEOUT in turn.
competency_portal.settings.database() has psycopg2 open connections through `FailFastConnection`,
which remembers per server an attempt that failed after waiting: for the next connect_timeout
seconds every attempt of this process fails at once with that error, so a request gets the 503
page (competency_portal/errors.py) after one wait, and the web threads do not pile up behind a
dead server. After that time the next attempt tries the server again. An attempt that failed
without waiting (refused, a wrong password, too many connections) costs nothing to repeat and
is not remembered.
"""

import time

import psycopg2
import psycopg2.extensions

WAITED = 1.0  # seconds: a failed attempt that took this long is not repeated for a while

# (host, port, dbname, user) → (time.monotonic() of the failed attempt, its message)
_failures = {}


class FailFastConnection(psycopg2.extensions.connection):
    """psycopg2's connection; refused at once while an attempt to its server that failed after
    waiting was made less than connect_timeout seconds ago."""

    def __init__(self, dsn, *args, **kwargs):
        params = psycopg2.extensions.parse_dsn(dsn)
        server = tuple(params.get(key) for key in ("host", "port", "dbname", "user"))
        window = float(params.get("connect_timeout") or 0)
        failure = _failures.get(server)
        if failure is not None and time.monotonic() - failure[0] < window:
            raise psycopg2.OperationalError(f"{failure[1]} (less than {window:g} s ago)")
        started = time.monotonic()
        try:
            super().__init__(dsn, *args, **kwargs)
        except psycopg2.OperationalError as error:
            now = time.monotonic()
            if now - started >= WAITED:
                _failures[server] = (now, str(error).strip())
            raise
        _failures.pop(server, None)
