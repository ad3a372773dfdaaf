"""Bounds of one printed form (issue 10), read once from the environment; settings.py imports
them. assessments/reports/render.py reads them through getattr with the same defaults.

PORTAL_PDF_MAX_PAGES        pages one form may have after layout (default 40)
PORTAL_PDF_MAX_BYTES        bytes one form's PDF may have (default 5 MB)
PORTAL_PDF_TIMEOUT_SECONDS  seconds one form's layout may take (default 20, under gunicorn's
                            worker timeout in deploy/gunicorn.conf.py; 0 lays forms out in the
                            web or task process itself, with no time bound)

The longest form the text guard allows (every comment at 4,000 characters) has 13 pages, the
largest file (the blank paper form) about 0.3 MB, and none takes 2 seconds to lay out.
"""

from competency_portal.lib.env import env_number


def env_whole(name, default):
    """Read a whole number, 1 or more; anything else is an error."""
    return env_number(name, default, minimum=1)


def env_seconds(name, default):
    """Read a number of seconds, 0 or more (fractions allowed); anything else is an error."""
    return env_number(name, default, unit="seconds", fractions=True)


PORTAL_PDF_MAX_PAGES = env_whole("PORTAL_PDF_MAX_PAGES", 40)
PORTAL_PDF_MAX_BYTES = env_whole("PORTAL_PDF_MAX_BYTES", 5 * 1024 * 1024)
PORTAL_PDF_TIMEOUT_SECONDS = env_seconds("PORTAL_PDF_TIMEOUT_SECONDS", 20.0)
