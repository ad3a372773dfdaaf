"""manage.py import_framework: a JSON file read in as a new draft version."""

from pathlib import Path

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from competency_portal.lib.commands import PortalCommand
from framework import exchange


class Command(PortalCommand):
    help = _(
        "Import a competency framework from a JSON file (as written by export_framework) as a "
        "new draft version. The whole file is checked first: with any error, nothing is written."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="FILE.json")

    def handle(self, *args, file, **options):
        try:
            source = file.read_bytes()
        except OSError as error:
            raise CommandError(
                _("Cannot read %(file)s: %(error)s") % {"file": file, "error": error.strerror}
            ) from None
        try:
            framework = exchange.import_json(source, by=None)
        except exchange.ImportProblems as problems:
            for message in problems.messages:
                self.stderr.write(message)
            raise CommandError(
                _("Nothing was imported (errors: %(count)d).") % {"count": len(problems.messages)}
            ) from None
        self.stdout.write(
            self.style.SUCCESS(_("Imported as draft version %(v)s.") % {"v": framework.version})
        )
