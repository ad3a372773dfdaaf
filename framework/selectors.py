"""Reads of the framework, with their queries decided here."""

from django.conf import settings
from django.db.models import Prefetch

from framework.models import Competency, ExpectedLevel, Framework, Indicator, Level, PositionClass


def published_framework(organisation=None):
    """The organisation's published version, or None before one is loaded."""
    return Framework.objects.published(organisation or settings.PORTAL_ORGANISATION)


def framework_in_use(organisation=None, published=None):
    """The version people rate with now: the one the open round pinned (a round keeps its
    version when a newer one is published), else `published` (looked up when not given).
    The open round is found through the reverse name `cycles`: framework does not import
    assessments."""
    organisation = organisation or settings.PORTAL_ORGANISATION
    in_round = Framework.objects.filter(organisation=organisation, cycles__status="open").first()
    return in_round or published or published_framework(organisation)


def shown_version(number, organisation=None):
    """A version anybody may read (published or retired; drafts are HR's), or None."""
    return (
        Framework.objects.filter(organisation=organisation or settings.PORTAL_ORGANISATION)
        .exclude(status=Framework.Status.DRAFT)
        .filter(version=number)
        .first()
    )


def competencies_of(framework):
    """The competencies of a version in their order ([] without a version)."""
    if framework is None:
        return []
    return list(framework.competencies.order_by("order", "code"))


def competency_codes(framework):
    """The codes of competencies_of(framework), in their order."""
    return [competency.code for competency in competencies_of(framework)]


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
