"""gunicorn's settings for the portal's web processes, read by `make serve` and by
deploy/portal-web.service alike (`gunicorn --config deploy/gunicorn.conf.py`).

From the environment (the systemd unit's EnvironmentFile, or the shell for `make serve`):
WEB_CONCURRENCY      worker processes (default 2 × cores + 1)
FORWARDED_ALLOW_IPS  addresses of the reverse proxies whose X-Forwarded-Proto gunicorn believes
                     (default 127.0.0.1,::1: nginx on the same host)
The command line wins over this file: `make serve` passes --bind $(HOST):$(PORT).
"""

import os
from pathlib import Path

# The project's root, whatever directory gunicorn was started from.
chdir = str(Path(__file__).resolve().parent.parent)
wsgi_app = "competency_portal.wsgi:application"

# Loopback only: nginx on the same host is the one way in. A web host behind a load balancer
# without nginx binds its private address instead (README, "Deploy").
bind = ["127.0.0.1:8000"]

# Sync workers: each request has a process to itself; nginx buffers slow clients in front of
# them. Every worker keeps one PostgreSQL connection (PORTAL_DB_CONN_MAX_AGE), so the workers of
# all web hosts together must stay below the server's max_connections.
workers = int(os.environ.get("WEB_CONCURRENCY") or 2 * (os.cpu_count() or 1) + 1)
worker_class = "sync"

# A request taking longer than this is killed. It stays above the portal's own bounds, so
# that the person gets the portal's Thai page rather than the proxy's: a statement is
# cancelled after PORTAL_DB_STATEMENT_TIMEOUT (30 s) and a printed form is laid out within
# PORTAL_PDF_TIMEOUT_SECONDS (20 s). nginx waits a little longer (65 s).
timeout = 60
# On SIGTERM or a reload, requests under way get this long to finish.
graceful_timeout = 30
# A worker is replaced after this many requests (staggered), so that memory taken by the
# printing libraries never grows without end.
max_requests = 1000
max_requests_jitter = 100

# X-Forwarded-Proto is believed from these addresses only, and no other scheme header at all
# (gunicorn also knows X-Forwarded-Ssl and X-Forwarded-Protocol, which nginx passes on
# untouched from the client). Django reads the same header itself (SECURE_PROXY_SSL_HEADER):
# what makes it trustworthy is that nginx always overwrites it and gunicorn listens on
# loopback only.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
secure_scheme_headers = {"X-FORWARDED-PROTO": "https"}

# Requests to stdout, gunicorn's own messages to stderr (the journal under systemd), beside
# Django's log (DJANGO_LOG_LEVEL). %(L)s: seconds the request took.
accesslog = "-"
errorlog = "-"
access_log_format = '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %(L)ss'

# gunicorn 25.1+ opens a control socket under $HOME for `gunicornc`; the portal does not use it,
# and the service's home is read-only (ProtectSystem=strict).
control_socket_disable = True
