"""`import_agreements FILE --cycle CODE`: performance agreements (work-results indicators)
from a CSV file, all rows or none (issue 15)."""

from django.utils.translation import gettext as _

from assessments.imports import agreements as agreements_import
from assessments.management.commands.import_ratings import (
    add_file_arguments,
    hr_account,
    refused,
    round_and_file,
)
from competency_portal.lib.commands import PortalCommand


class Command(PortalCommand):
    help = _(
        "Import performance agreements (CSV, UTF-8: employee_code, indicator, unit, weight, "
        "target_1 … target_5, achieved_level) into a round: all rows or none. A person's lines "
        "replace their indicators in the round; each error is reported with its line and "
        "column."
    )

    def add_arguments(self, parser):
        add_file_arguments(
            parser,
            _(
                "Username of the HR officer who keys the agreements in (default: the first HR "
                "account)."
            ),
        )

    def handle(self, *args, file, cycle, dry_run, by, **options):
        round_, source = round_and_file(cycle, file)
        user = hr_account(by, required=not dry_run)
        try:
            report = agreements_import.import_agreements(
                rows_or_file=source, cycle=round_, by=user, dry_run=dry_run
            )
        except agreements_import.ImportErrors as errors:
            raise refused(self, errors) from None
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
