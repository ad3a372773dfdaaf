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


@checks.register("printing", deploy=True)
def font_subset_check(app_configs, **kwargs):
    """`check --deploy` only: importing WeasyPrint takes a second, too long for every command."""
    from assessments.reports.render import SLOW_FONT_SUBSET, fonts_subset_by_harfbuzz

    if fonts_subset_by_harfbuzz():
        return []
    hint = "apt-get install libharfbuzz-subset0 (README, What the machine needs)."
    return [checks.Warning(SLOW_FONT_SUBSET, hint=hint, id="portal.W002")]
