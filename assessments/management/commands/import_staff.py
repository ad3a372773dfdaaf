"""`import_staff FILE [--dry-run]`: create or update people from the staff CSV, all rows or none."""

from pathlib import Path

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from assessments.imports import staff
from competency_portal.lib.commands import PortalCommand


class Command(PortalCommand):
    help = _(
        "Create or update people from a staff CSV file (UTF-8): all rows or none. "
        "Each error is reported with its line and column."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--dry-run", action="store_true", help=_("Check the file and change nothing.")
        )

    def handle(self, *args, file, dry_run, **options):
        try:
            source = file.read_bytes()
        except OSError as error:
            raise CommandError(
                _("Cannot read %(file)s: %(error)s") % {"file": file, "error": error.strerror}
            ) from None
        try:
            report = staff.import_staff(rows_or_file=source, dry_run=dry_run)
        except staff.ImportErrors as errors:
            for message in errors.messages:
                self.stderr.write(message)
            raise CommandError(
                _("Nothing was imported (errors: %(count)d).") % {"count": len(errors.messages)}
            ) from None
        self.write_summary(report)

    def write_summary(self, report):
        if report.dry_run:
            self.stdout.write(_("Dry run: nothing was changed."))
        summary = _(
            "People created: %(created)d, updated: %(updated)d, unchanged: %(unchanged)d."
        ) % {"created": report.created, "updated": report.updated, "unchanged": report.unchanged}
        self.stdout.write(self.style.SUCCESS(summary))
        if report.new_departments:
            self.stdout.write(
                _("New divisions: %(names)s") % {"names": ", ".join(report.new_departments)}
            )
