"""`open_cycle --code 2569-1 --fiscal-year 2569 --round 1 [--framework-version N]`: create (if
new) and open a round; how it scores may be set on the way (issue 15):
`[--competency-method bar|rating|rating_equal|hybrid] [--competency-weights ACH=40,COM=20,…]
[--competency-part 30] [--bands 90,80,70,60] [--work-results indicators|percentage]`
(docs/appraisal-rules.md)."""

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
        parser.add_argument(
            "--competency-method",
            choices=Cycle.Method.values,
            help=_("How the competency score is worked out (default: bar, the round's own)"),
        )
        parser.add_argument(
            "--work-results",
            choices=Cycle.WorkResultsMethod.values,
            help=_(
                "Where work results come from: the agreed indicators (import_agreements) or a "
                "percentage the supervisor enters (default: the round's own, percentage)"
            ),
        )
        parser.add_argument(
            "--competency-weights",
            type=clean_text,
            help=_("For the rating method: CODE=percent for each competency, e.g. ACH=40,COM=20"),
        )
        parser.add_argument(
            "--competency-part",
            type=clean_text,
            help=_("Weight of competencies in the total, percent (default 30)"),
        )
        parser.add_argument(
            "--bands",
            type=clean_text,
            help=_("Lowest totals of excellent, very good, good and fair, e.g. 90,80,70,60"),
        )

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
                self._set_scoring(cycle, framework, options)
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

    def _set_scoring(self, cycle, framework, options):
        """Store the scoring options given (those left out keep the round's own)."""
        names = ("competency_method", "competency_weights", "competency_part", "bands")
        names += ("work_results",)
        if cycle.status != Cycle.Status.DRAFT or all(options.get(n) is None for n in names):
            return
        services.set_scoring(
            cycle=cycle,
            method=options["competency_method"] or cycle.method,
            competency_weight=options["competency_part"] or cycle.competency_weight,
            weights=_pairs(options["competency_weights"]) or cycle.competency_weights,
            thresholds=_numbers(options["bands"]) or cycle.band_thresholds,
            framework=framework,
            work_results_method=options["work_results"],
        )


def _pairs(text):
    """ "ACH=40,COM=20" as {"ACH": "40", "COM": "20"}."""
    if not text:
        return {}
    pairs = {}
    for item in text.split(","):
        code, equals, weight = item.partition("=")
        if not equals or not code.strip():
            raise ValidationError(
                _("Write the weights as CODE=percent, separated by commas, such as ACH=40,COM=20.")
            )
        pairs[code.strip()] = weight.strip()
    return pairs


def _numbers(text):
    return [item.strip() for item in text.split(",")] if text else []
