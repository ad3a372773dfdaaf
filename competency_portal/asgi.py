"""ASGI entry point of the portal."""

import logging
import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "competency_portal.settings")
application = get_asgi_application()

from competency_portal.checks import plain_http_warning  # noqa: E402  (needs the settings)

if warning := plain_http_warning():
    logging.getLogger("competency_portal").warning(warning)
