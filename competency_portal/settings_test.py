"""Settings for the test suite: production-like (DEBUG off), fast hashing, plain static storage.

The database comes from DATABASE_URL when set (CI's PostgreSQL run), else SQLite under var/.
"""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "test-suite-only")
os.environ.setdefault("DJANGO_HTTPS", "0")
os.environ.setdefault(
    "DATABASE_URL",
    "sqlite:///" + str(os.path.join(os.path.dirname(__file__), "..", "var", "test.sqlite3")),
)

from competency_portal.settings import *  # noqa: E402,F403
from competency_portal.settings import STORAGES  # noqa: E402

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Serve static files through the finders, as in development: no collectstatic before tests.
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True

# Tasks run at once, in the test's own process.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

# django-axes locks logins after failures; it needs the request in authenticate(), which the
# test client's login() does not pass. Its own tests switch it on (tests/integration/
# test_lockout.py).
AXES_ENABLED = False

# Uploaded import files kept between preview and confirmation stay out of the development media.
MEDIA_ROOT = BASE_DIR / "var" / "test-media"  # noqa: F405
