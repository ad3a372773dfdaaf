"""WSGI entry point of the portal (gunicorn competency_portal.wsgi)."""

import logging
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "competency_portal.settings")
application = get_wsgi_application()

from competency_portal.checks import plain_http_warning  # noqa: E402  (needs the settings)
from competency_portal.lib import heap  # noqa: E402

heap.freeze_after_first_request()

if warning := plain_http_warning():
    logging.getLogger("competency_portal").warning(warning)
