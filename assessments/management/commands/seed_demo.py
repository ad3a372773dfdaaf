"""`seed_demo [--if-empty]`: the demo organisation (development only)."""

from django.conf import settings
from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from assessments.services import demo
from competency_portal.lib.commands import PortalCommand


class Command(PortalCommand):
    help = _(
        "Create the demo organisation (15 people, 4 divisions) with round 2569-1 open. "
        "Development only: refuses to run unless DJANGO_DEBUG=1."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help=_("Do nothing (and succeed) when people already exist."),
        )

    def handle(self, *args, if_empty=False, **options):
        if not settings.DEBUG:
            raise CommandError(_("seed_demo only runs in development: set DJANGO_DEBUG=1."))
        try:
            cycle = demo.seed_demo()
        except demo.DemoRefused:
            if if_empty:
                self.stdout.write(_("People already exist; the demo data was not added."))
                return
            raise CommandError(
                _("People already exist; the demo data is only added to an empty database.")
            ) from None
        self.stdout.write(
            self.style.SUCCESS(
                _("Demo organisation created; round %(code)s is open with %(count)d assessments.")
                % {"code": cycle.code, "count": cycle.assessments.count()}
            )
        )
