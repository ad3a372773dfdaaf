"""`backup -o FILE [--force]`: the whole database in one file (competency_portal/lib/backups.py)."""

from pathlib import Path

from django.core.management.base import CommandError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from competency_portal.lib import backups
from competency_portal.lib.commands import PortalCommand


class Command(PortalCommand):
    help = _(
        "Back up the whole database to one file: PostgreSQL with pg_dump (custom format), "
        "SQLite with its online backup API. Safe while the portal runs; restore it with "
        "manage.py restore."
    )

    def add_arguments(self, parser):
        parser.add_argument("-o", "--output", required=True, type=Path, help=_("backup file"))
        parser.add_argument(
            "--force", action="store_true", help=_("Replace the file if it exists.")
        )

    def handle(self, *args, output, force, **options):
        try:
            written = backups.backup(output=output, force=force)
        except backups.BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "Backup of the %(kind)s database written to %(file)s: %(size)s, "
                    "%(tables)d tables."
                )
                % {
                    "kind": written.kind,
                    "file": written.path,
                    "size": filesizeformat(written.size),
                    "tables": len(written.tables),
                }
            )
        )
