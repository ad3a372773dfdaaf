"""The base of the portal's management commands."""

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import translation

from competency_portal.lib.thai import plain_digits


class PortalCommand(BaseCommand):
    """A command that speaks the portal's language (Thai, LANGUAGE_CODE), whatever language the
    process was last using, and whose output keeps Arabic digits: HR scripts read the counts it
    prints, and the messages it shares with the web pages ("บรรทัด ๓: …") print as "บรรทัด 3: …"."""

    def execute(self, *args, **options):
        with translation.override(settings.LANGUAGE_CODE), plain_digits():
            return super().execute(*args, **options)
