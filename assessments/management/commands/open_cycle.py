"""`open_cycle --code 2569-1 --fiscal-year 2569 --round 1 [--framework-version N]`: create (if
new) and open a round."""

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError
from django.db import transaction
from django.utils.translation import gettext as _

from assessments import services
from assessments.models import Cycle
from competency_portal.lib.commands import PortalCommand
from competency_portal.lib.textguard import clean_text
from competency_portal.lib.thai import be_date


class Command(PortalCommand):
    help = _(
        "Create an appraisal round (if new) and open it: pin the framework and create one "
        "assessment per active employee."
    )

    def add_arguments(self, parser):
        parser.add_argument("--code", required=True, type=clean_text, help="2569-1")
        parser.add_argument("--fiscal-year", type=int, required=True, help="2569 (Buddhist Era)")
        parser.add_argument("--round", type=int, required=True, choices=[1, 2])
        parser.add_argument("--framework-version", type=int, default=None)

    def handle(self, *args, code, fiscal_year, round, framework_version, **options):
        try:
            with transaction.atomic():
                framework = services.framework_to_pin(framework_version)
                cycle = Cycle.objects.filter(code=code).first() or services.create_cycle(
                    code=code, fiscal_year=fiscal_year, round_number=round
                )
                if (cycle.fiscal_year, cycle.round) != (fiscal_year, round):
                    raise ValidationError(
                        _("Round %(code)s has another year or round.") % {"code": code}
                    )
                services.open_cycle(cycle=cycle, framework=framework)
        except ValidationError as error:
            raise CommandError("\n".join(error.messages)) from None
        count = cycle.assessments.count()
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "Round %(code)s is open (%(start)s – %(end)s), framework version %(v)s: "
                    "%(count)d assessments."
                )
                % {
                    "code": code,
                    "start": be_date(cycle.start_date),
                    "end": be_date(cycle.end_date),
                    "v": framework.version,
                    "count": count,
                }
            )
        )
