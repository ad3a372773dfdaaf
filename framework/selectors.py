"""Reads of the framework, with their queries decided here."""

from django.conf import settings
from django.db.models import Prefetch

from framework.models import Competency, ExpectedLevel, Framework, Indicator, Level, PositionClass


def published_framework(organisation=None):
    """The organisation's published version, or None before one is loaded."""
    return Framework.objects.published(organisation or settings.PORTAL_ORGANISATION)


def competency_tree(framework):
    """Competencies of a version with their levels and indicators: four queries in all."""
    indicators = Prefetch("indicators", queryset=Indicator.objects.order_by("number"))
    levels = Prefetch(
        "levels", queryset=Level.objects.order_by("number").prefetch_related(indicators)
    )
    return list(
        Competency.objects.filter(framework=framework)
        .order_by("order", "code")
        .prefetch_related(levels)
    )


def expected_level_grid(framework, competencies):
    """Rows of (position class, [expected level per competency, None where unset])."""
    cells = {
        (row.position_class_id, row.competency_id): row.level
        for row in ExpectedLevel.objects.filter(competency__framework=framework)
    }
    return [
        (position_class, [cells.get((position_class.pk, c.pk)) for c in competencies])
        for position_class in PositionClass.objects.all()
    ]
