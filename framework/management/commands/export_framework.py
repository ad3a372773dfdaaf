"""manage.py export_framework: a framework version written to a JSON or CSV file."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from competency_portal.lib.commands import PortalCommand
from framework import exchange, signals
from framework.models import Framework

WRITERS = {"json": exchange.export_json, "csv": exchange.export_csv}


class Command(PortalCommand):
    help = _(
        "Write a version of the competency framework to a file: JSON, complete, for "
        "import_framework; or CSV, one row per behaviour indicator, for a spreadsheet."
    )

    def create_parser(self, prog_name, subcommand, **kwargs):
        # --version names a framework version here, not the version of Django
        kwargs.setdefault("conflict_handler", "resolve")
        return super().create_parser(prog_name, subcommand, **kwargs)

    def add_arguments(self, parser):
        parser.add_argument(
            "--version", type=int, help=_("Version number (default: the published version)")
        )
        parser.add_argument(
            "--format",
            choices=sorted(WRITERS),
            default="json",
            help=_("json (complete; the default) or csv (one row per behaviour indicator)"),
        )
        parser.add_argument("-o", "--output", required=True, type=Path, help="FILE.json")

    def handle(self, *args, version, format, output, **options):
        framework = find_version(version)
        text = WRITERS[format](framework)
        try:
            output.write_bytes(text.encode("utf-8"))
        except OSError as error:
            raise CommandError(
                _("Cannot write %(file)s: %(error)s") % {"file": output, "error": error.strerror}
            ) from None
        signals.exported.send(
            sender=Framework, framework=framework, by=None, format=format, request=None
        )
        self.stdout.write(
            _("Version %(v)s written to %(file)s.") % {"v": framework.version, "file": output}
        )


def find_version(version):
    organisation = settings.PORTAL_ORGANISATION
    if version is None:
        framework = Framework.objects.published(organisation)
        if framework is None:
            raise CommandError(_("No framework version is published yet."))
        return framework
    framework = Framework.objects.filter(organisation=organisation, version=version).first()
    if framework is None:
        raise CommandError(_("Framework version %(v)s does not exist.") % {"v": version})
    return framework
