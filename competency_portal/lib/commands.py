"""The base of the portal's management commands."""

from django.core.management.base import BaseCommand

from competency_portal.lib.thai import plain_digits


class PortalCommand(BaseCommand):
    """A command whose output keeps Arabic digits: HR scripts read the counts it prints, and
    the messages it shares with the web pages ("บรรทัด ๓: …") print as "บรรทัด 3: …"."""

    def execute(self, *args, **options):
        with plain_digits():
            return super().execute(*args, **options)
