"""`import_agreements FILE --cycle CODE`: performance agreements (work-results indicators)
from a CSV file, all rows or none (issue 15)."""

from pathlib import Path

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from assessments.imports import agreements as agreements_import
from assessments.management.commands.import_ratings import hr_account
from assessments.models import Cycle
from competency_portal.lib.commands import PortalCommand
from competency_portal.lib.textguard import clean_text


class Command(PortalCommand):
    help = _(
        "Import performance agreements (CSV, UTF-8: employee_code, indicator, unit, weight, "
        "target_1 … target_5, achieved_level) into a round: all rows or none. A person's lines "
        "replace their indicators in the round; each error is reported with its line and "
        "column."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--cycle", required=True, type=clean_text, help="2569-1")
        parser.add_argument(
            "--dry-run", action="store_true", help=_("Check the file and change nothing.")
        )
        parser.add_argument(
            "--by",
            default=None,
            type=clean_text,
            help=_(
                "Username of the HR officer who keys the agreements in (default: the first HR "
                "account)."
            ),
        )

    def handle(self, *args, file, cycle, dry_run, by, **options):
        round_ = Cycle.objects.filter(code=cycle).first()
        if round_ is None:
            raise CommandError(_("Round %(code)s does not exist.") % {"code": cycle})
        try:
            source = file.read_bytes()
        except OSError as error:
            raise CommandError(
                _("Cannot read %(file)s: %(error)s") % {"file": file, "error": error.strerror}
            ) from None
        user = hr_account(by, required=not dry_run)
        try:
            report = agreements_import.import_agreements(
                rows_or_file=source, cycle=round_, by=user, dry_run=dry_run
            )
        except agreements_import.ImportErrors as errors:
            for message in errors.messages:
                self.stderr.write(message)
            raise CommandError(
                _("Nothing was imported (errors: %(count)d).") % {"count": len(errors.messages)}
            ) from None
        self.write_summary(report, user)

    def write_summary(self, report, user):
        if report.dry_run:
            self.stdout.write(_("Dry run: nothing was changed."))
        for row in report.rows:
            work = "-" if row.work_results is None else format(row.work_results, "f")
            self.stdout.write(
                _(
                    "%(code)s %(name)s: indicators: %(indicators)d (assessed: %(assessed)d), "
                    "work results: %(work)s"
                )
                % {
                    "code": row.employee_code,
                    "name": row.full_name,
                    "indicators": row.indicators,
                    "assessed": row.assessed,
                    "work": work,
                }
            )
        summary = _(
            "Round %(code)s. People: %(people)d; indicators: %(indicators)d; keyed in by %(user)s."
        ) % {
            "code": report.cycle.code,
            "people": report.people,
            "indicators": report.indicators,
            "user": user.get_username() if user else "-",
        }
        self.stdout.write(self.style.SUCCESS(summary))
