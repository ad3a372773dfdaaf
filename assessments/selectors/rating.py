"""Rating sheets (the rating page, the results page and the printed forms show them), a
supervisor's team, a person's own assessment and the open round. Results are scored by
results.py, never here."""

from dataclasses import dataclass, field

from django.db.models import Q

from assessments.models import Assessment, CompetencyComment, Cycle, Rating, Role
from framework.models import ScalePoint
from framework.selectors import competency_tree


def open_cycle():
    return Cycle.objects.filter(status=Cycle.Status.OPEN).select_related("framework").first()


@dataclass
class IndicatorRow:
    indicator: object
    value: int | None = None
    self_value: int | None = None


@dataclass
class LevelRows:
    level: object
    rows: list


@dataclass
class CompetencyBlock:
    competency: object
    levels: list
    expected: int
    comment: str = ""
    self_comment: str = ""
    warnings: list = field(default_factory=list)
    levels_text: str = ""  # what the ratings give so far (the rating page)

    @property
    def total(self):
        return sum(len(level_rows.rows) for level_rows in self.levels)

    @property
    def rated(self):
        return sum(1 for lr in self.levels for row in lr.rows if row.value is not None)


@dataclass
class RatingSheet:
    """Everything the rating page, the results page and the printed form need."""

    assessment: Assessment
    scale: list
    blocks: list

    @property
    def demonstrated_values(self):
        return {point.value for point in self.scale if point.demonstrated}

    def block(self, code):
        return next(block for block in self.blocks if block.competency.code == code)

    @property
    def total(self):
        return sum(block.total for block in self.blocks)

    @property
    def rated(self):
        return sum(block.rated for block in self.blocks)

    @property
    def first_unrated(self):
        """The first indicator not rated yet, or None."""
        for block in self.blocks:
            for level_rows in block.levels:
                for row in level_rows.rows:
                    if row.value is None:
                        return row.indicator
        return None


def _ratings(assessment):
    values = {Role.SELF: {}, Role.SUPERVISOR: {}}
    for indicator_id, role, value in Rating.objects.filter(assessment=assessment).values_list(
        "indicator_id", "role", "value"
    ):
        values[role][indicator_id] = value
    return values


def _comments(assessment):
    texts = {Role.SELF: {}, Role.SUPERVISOR: {}}
    for competency_id, role, text in CompetencyComment.objects.filter(
        assessment=assessment
    ).values_list("competency_id", "role", "text"):
        texts[role][competency_id] = text
    return texts


def rating_sheet(assessment, role=Role.SELF):
    """The round's framework with this track's ratings and comments (and the self-ratings
    beside them). Seven queries, whatever the number of indicators."""
    framework = assessment.cycle.framework
    ratings = _ratings(assessment)
    comments = _comments(assessment)
    blocks = [
        CompetencyBlock(
            competency,
            _level_rows(competency, ratings[role], ratings[Role.SELF]),
            assessment.expected_levels.get(competency.code, 0),
            comments[role].get(competency.pk, ""),
            comments[Role.SELF].get(competency.pk, ""),
        )
        for competency in competency_tree(framework)
    ]
    return RatingSheet(assessment, _scale(framework), blocks)


def blank_sheet(framework):
    """A version's rating sheet with nothing rated: the preview of a draft, a paper form."""
    blocks = [
        CompetencyBlock(competency, _level_rows(competency, {}, {}), None)
        for competency in competency_tree(framework)
    ]
    return RatingSheet(None, _scale(framework), blocks)


def _scale(framework):
    return list(ScalePoint.objects.filter(framework=framework).order_by("value"))


def _level_rows(competency, values, self_values):
    return [
        LevelRows(
            level,
            [
                IndicatorRow(indicator, values.get(indicator.pk), self_values.get(indicator.pk))
                for indicator in level.indicators.all()
            ],
        )
        for level in competency.levels.all()
    ]


# The tracks' stored levels (for the results loader): lists of people never read them.
STORED_LEVELS = ("self_levels", "supervisor_levels")


def team(supervisor, cycle):
    """The assessments this person rates or reviews in a round: one query."""
    if supervisor is None or cycle is None:
        return []
    return list(
        Assessment.objects.filter(cycle=cycle)
        .filter(Q(supervisor=supervisor) | Q(reviewer=supervisor))
        .select_related("employee", "position_class", "supervisor")
        .defer(*STORED_LEVELS)
        .order_by("employee__first_name", "employee__last_name")
    )


def own_assessment(employee, cycle):
    if employee is None or cycle is None:
        return None
    return Assessment.objects.filter(cycle=cycle, employee=employee).first()


def cycle_assessments(cycle):
    return list(
        Assessment.objects.filter(cycle=cycle)
        .select_related("employee", "supervisor", "position_class")
        .defer(*STORED_LEVELS)
        .order_by("department_name", "employee__first_name")
    )
