"""`seed_synthetic --people N [--seed S]`: a deterministic organisation of N people with an open
round in every stage, built in bulk, for benchmarks (assessments/services/synthetic.py)."""

import time

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from assessments.services import synthetic
from competency_portal.lib.commands import PortalCommand


class Command(PortalCommand):
    help = _(
        "Build a deterministic organisation of N people (a chief, division heads, heads who "
        "rate up to 40 people) with an open round in every stage, on an empty database."
    )

    def add_arguments(self, parser):
        parser.add_argument("--people", type=int, required=True, help="N")
        parser.add_argument("--seed", type=int, default=1, help=_("Random seed (default 1)"))

    def handle(self, *args, people, seed, **options):
        started = time.perf_counter()
        try:
            cycle = synthetic.build(people=people, seed=seed)
        except ValidationError as error:
            raise CommandError("\n".join(error.messages)) from None
        seconds = time.perf_counter() - started
        self.stdout.write(
            _("%(people)s people, round %(code)s with %(count)s assessments, in %(seconds)s s.")
            % {
                "people": people,
                "code": cycle.code,
                "count": cycle.assessments.count(),
                "seconds": f"{seconds:.1f}",
            }
        )
