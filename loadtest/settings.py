"""The production settings (competency_portal/settings.py, debug off) with one change: the
collected static files go to a temporary folder (LOADTEST_STATIC_ROOT), so that a load test
leaves nothing in the checkout."""

import os

from competency_portal.settings import *  # noqa: F403

STATIC_ROOT = os.environ["LOADTEST_STATIC_ROOT"]
