"""`export_results --cycle CODE [--format csv|xlsx] [-o FILE] [--submitted-only]`: a round's
results."""

from pathlib import Path

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from assessments.exports import results as results_export
from assessments.models import Cycle
from assessments.services.audit import record_results_export
from competency_portal.lib.commands import PortalCommand
from competency_portal.lib.textguard import clean_text


class Command(PortalCommand):
    help = _(
        "Export the results of a round: one row per person and competency, as CSV (to the "
        "screen or a file) or as an Excel workbook."
    )

    def add_arguments(self, parser):
        parser.add_argument("--cycle", required=True, type=clean_text, help="2569-1")
        parser.add_argument("--format", choices=results_export.FORMATS, default="csv")
        parser.add_argument(
            "-o", "--output", default=None, help=_("File to write (CSV: the screen if left out)")
        )
        parser.add_argument(
            "--submitted-only",
            action="store_true",
            help=_(
                "Levels, points and scores only of submitted ratings: empty cells for a "
                "supervisor's rating (or a self-assessment) not submitted yet"
            ),
        )

    def handle(self, *args, cycle, format, output, submitted_only, **options):
        found = Cycle.objects.filter(code=cycle).select_related("framework").first()
        if found is None:
            raise CommandError(_("There is no round %(code)s.") % {"code": cycle})
        if format == "xlsx" and not output:
            raise CommandError(_("An Excel workbook needs a file: add -o FILE.xlsx."))
        if output is None:
            self.stdout.write(results_export.export_csv(found, submitted_only), ending="")
            record_results_export(found, format)
            return
        content, _type, _name = results_export.export(found, format, submitted_only)
        Path(output).write_bytes(content)
        record_results_export(found, format, file=str(output))
        self.stdout.write(
            _("Results of round %(code)s written to %(file)s") % {"code": cycle, "file": output}
        )
