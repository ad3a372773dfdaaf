"""`restore FILE [--no-input]`: every table replaced by those of a file written by `backup`."""

from pathlib import Path

from django.core.management.base import CommandError
from django.db import connection
from django.utils.translation import gettext as _

from competency_portal.lib import backups
from competency_portal.lib.commands import PortalCommand


class Command(PortalCommand):
    help = _(
        "Replace every record of the database with a file written by manage.py backup, all or "
        "nothing. Refused for a backup of another kind of database or from a newer version of "
        "the portal."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help=_("backup file"))
        parser.add_argument(
            "--no-input",
            "--noinput",
            "--yes",
            action="store_false",
            dest="interactive",
            help=_("Do not ask for confirmation."),
        )

    def handle(self, *args, file, interactive, **options):
        try:
            backups.check_restorable(file)  # a refusal comes before the question
            if interactive and not self.confirmed(file):
                raise CommandError(_("Restore cancelled; nothing was changed."))
            restored = backups.restore(source=file)
        except backups.BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            self.style.SUCCESS(
                _("Restored %(file)s: %(tables)d tables.")
                % {"file": file, "tables": len(restored.backup.tables)}
            )
        )
        if restored.removed:
            self.stdout.write(
                _("Tables the backup did not have were removed: %(names)s.")
                % {"names": ", ".join(restored.removed)}
            )
        if restored.pending:
            self.stdout.write(
                self.style.WARNING(
                    _(
                        "The backup predates %(count)d migrations of the code: run "
                        "manage.py migrate now."
                    )
                    % {"count": len(restored.pending)}
                )
            )

    def confirmed(self, file):
        question = _(
            "This replaces every record of the database %(name)s with the contents of "
            "%(file)s. Type 'yes' to continue, or anything else to cancel: "
        ) % {"name": connection.settings_dict["NAME"], "file": file}
        try:
            return input(question).strip().lower() == "yes"
        except EOFError:
            return False
