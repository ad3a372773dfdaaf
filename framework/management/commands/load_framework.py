"""manage.py load_framework: the seed framework and reference data, without overwriting."""

from django.utils.translation import gettext as _

from competency_portal.lib.commands import PortalCommand
from framework.loading import load_fixtures


class Command(PortalCommand):
    help = _(
        "Load the seed competency framework (version 1), the position classes and their "
        "expected levels. Rows that already exist are left as they are."
    )

    def handle(self, *args, **options):
        report = load_fixtures()
        if not report.changed:
            self.stdout.write(_("The framework is already loaded; nothing changed."))
            return
        for label, count in report.created.items():
            self.stdout.write(_("Created %(count)d %(label)s") % {"count": count, "label": label})
        self.stdout.write(self.style.SUCCESS(_("Framework loaded.")))
