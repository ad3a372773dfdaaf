"""`sample_pdf`: a demo person's form and a blank paper form, for a reviewer to open."""

from pathlib import Path

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from assessments.models import Assessment, Role
from assessments.reports import context, render
from competency_portal.lib.commands import PortalCommand


class Command(PortalCommand):
    help = _("Write a sample appraisal form and a blank paper form (PDF) for a reviewer to open.")

    def add_arguments(self, parser):
        parser.add_argument("--output-dir", default="var")

    def handle(self, *args, output_dir, **options):
        # The person furthest through the round shows the most of the form.
        assessment = (
            Assessment.objects.order_by("-finalized_at", "-version").select_related("cycle").first()
        )
        if assessment is None:
            raise CommandError(_("No assessment to print: open a round first (make run does)."))
        assessment = context.assessment_for_print(assessment.pk)
        folder = Path(output_dir)
        folder.mkdir(parents=True, exist_ok=True)
        outputs = {
            folder / context.file_name(assessment): context.person_form_html(assessment),
            folder / context.file_name(assessment, "blank-self"): context.blank_form_html(
                assessment, Role.SELF
            ),
        }
        for path, html in outputs.items():
            path.write_bytes(render.html_to_pdf(html))
            self.stdout.write(str(path))
