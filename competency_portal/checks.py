"""The portal's own system checks (`manage.py check`), registered by the assessments app."""

from django.conf import settings
from django.core import checks

PLAIN_HTTP = (
    "DJANGO_HTTPS=0: the portal is served over plain HTTP. Passwords and personal data cross "
    "the network unencrypted; use this only on a closed intranet."
)


def plain_http_warning():
    """The warning text when production runs without HTTPS, else None."""
    if settings.DEBUG or getattr(settings, "HTTPS", True):
        return None
    return PLAIN_HTTP


@checks.register(checks.Tags.security)
def https_check(app_configs, **kwargs):
    message = plain_http_warning()
    if message is None:
        return []
    hint = "Set DJANGO_HTTPS=1 (the default) and serve the portal over HTTPS."
    return [checks.Warning(message, hint=hint, id="portal.W001")]
