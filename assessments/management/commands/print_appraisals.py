"""`print_appraisals --cycle CODE [--department NAME] [--employee CODE] -o FILE.pdf`."""

import sys
from pathlib import Path

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from assessments.models import Cycle
from assessments.reports.batch import assessments_to_print, print_forms
from competency_portal.lib.commands import PortalCommand
from competency_portal.lib.textguard import clean_text


class Command(PortalCommand):
    help = _("Print the appraisal forms of a round (or of one division or person) into one PDF.")

    def add_arguments(self, parser):
        parser.add_argument("--cycle", required=True, type=clean_text, help="2569-1")
        parser.add_argument(
            "--department", type=clean_text, help=_("Division name, as in the round")
        )
        parser.add_argument("--employee", type=clean_text, help=_("Employee code"))
        parser.add_argument("-o", "--output", required=True, help="FILE.pdf")
        parser.add_argument(
            "--only",
            choices=["submitted", "finalized"],
            default="",
            help=_(
                "Only the forms whose supervisor's rating is submitted, or only the finalised "
                "ones (by default every form; those not finalised are marked as drafts)"
            ),
        )
        parser.add_argument(
            "--workers", type=int, default=None, help=_("Processes (default: every core)")
        )

    def handle(self, *args, cycle, department, employee, output, workers, only, **options):
        found = Cycle.objects.filter(code=cycle).first()
        if found is None:
            raise CommandError(_("There is no round %(code)s.") % {"code": cycle})
        assessments = assessments_to_print(found, department, employee, only=only)
        if not assessments:
            raise CommandError(
                _("Nobody to print in round %(code)s with these options.") % {"code": cycle}
            )
        show = self.stdout.isatty() if hasattr(self.stdout, "isatty") else sys.stdout.isatty()
        result = print_forms(assessments, workers, self._progress if show else None)
        if result.pdf:
            Path(output).write_bytes(result.pdf)
        if show:
            self.stdout.write("")
        for name in result.printed:
            self.stdout.write(name)
        self.stdout.write(
            _("%(count)d forms printed to %(file)s")
            % {"count": len(result.printed), "file": output}
        )
        if result.failed:
            for name, reason in result.failed:
                self.stderr.write(
                    _("Not printed: %(name)s (%(reason)s)") % {"name": name, "reason": reason}
                )
            raise CommandError(
                _("%(count)d forms could not be printed.") % {"count": len(result.failed)}
            )

    def _progress(self, done, total, name):
        width = 30
        filled = width * done // total
        bar = "█" * filled + "░" * (width - filled)
        self.stdout.write(f"\r{bar} {done}/{total} {name[:40]:<40}", ending="")
        self.stdout.flush()
