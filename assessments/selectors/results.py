"""The ONE round-results loader: it reads and scores a round, a person, or any set of
assessments, and every surface reads it (the results page, the printed forms, the results
export, the analytics and the dashboard). Only this module and assessments/scoring.py compute
levels, gaps, points, scores, totals and bands.

Queries are fixed whatever the number of people: the assessments in one, the competencies,
indicators and demonstrated scale points of the framework version(s) in three, and the ratings
of the started tracks whose levels are not stored (below) in one, left out when there are
none, as for every round scored since migration 0018 (`load_results`: four, or five). The
rules applied (ARCHITECTURE.md, DOMAIN.md): the supervisor's ratings give the result, a track
gives a level only when every indicator of that competency is rated, the self-ratings are shown
beside it, never mixed in.
"""

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field, replace
from decimal import Decimal
from fractions import Fraction

from assessments import scoring
from assessments.models import Assessment, Cycle, Rating, Role, Track
from framework.models import Competency, Indicator, ScalePoint
from framework.selectors import competencies_of, expected_level_grid

# The rules' constants, for the surfaces that present results (never to score with).
LEVELS = scoring.LEVELS
TWO_PLACES = scoring.TWO_PLACES
BAND_LABELS = {code: label for _lowest, code, label in scoring.BANDS}
CompetencyResult = scoring.CompetencyResult


@dataclass(frozen=True)
class BandRange:
    code: str
    label: str
    lowest: Decimal
    highest: Decimal | None  # None: up to 100


def band_ranges(cycle=None):
    """The bands with their thresholds, highest first: ดีเด่น 90–100, ดีมาก 80–89.99, …
    (those of `cycle`, round_bands, when given)."""
    ranges, above = [], None
    for lowest, code, label in scoring.BANDS if cycle is None else round_bands(cycle):
        ranges.append(BandRange(code, label, lowest, None if above is None else above - TWO_PLACES))
        above = lowest
    return ranges


@dataclass(frozen=True)
class WorkTable:
    """An agreement's indicators as a form prints them: each with its achieved level × weight
    (None while it has no level), the sums, and the work results they give."""

    rows: list  # [(WorkIndicator, level × weight or None)]
    weight: Decimal  # Σ weight
    achieved: Decimal | None  # Σ level × weight, once every indicator has its level
    work_results: Decimal | None


def work_table(indicators):
    """WorkTable of an agreement's indicators, in their order."""
    indicators = list(indicators)
    rows = [
        (i, None if i.achieved_level is None else i.achieved_level * i.weight) for i in indicators
    ]
    products = [product for _indicator, product in rows]
    complete = bool(rows) and None not in products
    return WorkTable(
        rows=rows,
        weight=sum((i.weight for i in indicators), Decimal("0")),
        achieved=sum(products, Decimal("0")) if complete else None,
        work_results=work_results_of(indicators),
    )


def work_results_of(indicators):
    """The work-results percentage an agreement's indicators give (scoring.
    indicators_work_results): None while one has no achieved level."""
    return scoring.indicators_work_results(
        (indicator.achieved_level, indicator.weight) for indicator in indicators
    )


ROUND_ORDER = ("department_name", "employee__first_name", "employee__last_name", "employee__pk")


@dataclass
class Shape:
    """One framework version as the scoring rules need it."""

    framework: object
    competencies: list = field(default_factory=list)
    layout: dict = field(default_factory=dict)  # code → {level number: [indicator ids]}
    demonstrated: set = field(default_factory=set)
    key: str = ""  # shape_key, worked out once


@dataclass
class PersonResults:
    """One assessment with its result per competency code (in the framework's order) and the
    totals, which are None until every competency has the supervisor's level (the total and
    band also need the work results)."""

    assessment: Assessment
    results: dict  # code → scoring.CompetencyResult
    score: Decimal | None = None
    weighted: Decimal | None = None
    weighted_work: Decimal | None = None  # the work results' weighted part
    total: Decimal | None = None
    band: tuple | None = None  # (code, Thai label)
    parts: dict = field(default_factory=dict)  # code → its part of the score (competency_parts)
    rows: list = field(default_factory=list)  # [(block, result)] once put `beside` a sheet

    @property
    def department(self):
        return self.assessment.department_name

    @property
    def complete(self):
        return self.score is not None

    def result(self, code):
        return self.results.get(code)

    def supervisor_level(self, code):
        result = self.results.get(code)
        return result.supervisor_level if result else None

    def beside(self, blocks):
        """These results with each competency's block of a rating sheet, for the pages and
        the printed forms: `rows` becomes [(block, result)] in the sheet's order."""
        rows = [(block, self.results[block.competency.code]) for block in blocks]
        return replace(self, rows=rows)


def shapes_of(frameworks):
    """{framework id: Shape} for these versions: three queries, whatever their size."""
    shapes = {f.pk: Shape(f) for f in frameworks if f is not None}
    competencies = {}
    for competency in Competency.objects.filter(framework_id__in=list(shapes)).order_by(
        "order", "code"
    ):
        shapes[competency.framework_id].competencies.append(competency)
        shapes[competency.framework_id].layout[competency.code] = {}
        competencies[competency.pk] = competency
    indicators = (
        Indicator.objects.filter(level__competency__framework_id__in=list(shapes))
        .order_by("level__number", "number")
        .values_list("pk", "level__number", "level__competency_id")
    )
    for pk, number, competency_id in indicators:
        competency = competencies[competency_id]
        layout = shapes[competency.framework_id].layout[competency.code]
        layout.setdefault(number, []).append(pk)
    demonstrated = ScalePoint.objects.filter(
        framework_id__in=list(shapes), demonstrated=True
    ).values_list("framework_id", "value")
    for framework_id, value in demonstrated:
        shapes[framework_id].demonstrated.add(value)
    return shapes


def _marks(layout, values, demonstrated):
    """{level: [True/False/None per indicator]} of one track, as the scoring rules want."""
    rated = values.get
    return {
        number: [None if (value := rated(pk)) is None else value in demonstrated for pk in ids]
        for number, ids in layout.items()
    }


# ---------------------------------------------------------------- a track's stored levels
#
# Assessment.self_levels / supervisor_levels keep what a track's ratings give each competency,
# {"framework": id, "shape": shape_key, "levels": {code: [level or None, [passing]]}}, by the one
# writer of ratings (services/rating.py, with track_record) in the same transaction. A track
# without it (None, or worked out for another framework version or shape_key) is read from
# its ratings.

TRACK_FIELDS = {Role.SELF: "self_levels", Role.SUPERVISOR: "supervisor_levels"}


def shape_key(shape):
    """What a track's levels depend on besides its ratings, as a short digest: the required
    share, the values that count as demonstrated and the indicators of each level. Levels
    stored under another key (a published version corrected in the admin) are not used."""
    if not shape.key:
        layout = sorted((code, sorted(levels.items())) for code, levels in shape.layout.items())
        text = repr((str(shape.framework.required_share), sorted(shape.demonstrated), layout))
        shape.key = hashlib.sha256(text.encode()).hexdigest()[:16]
    return shape.key


def track_record(shape, values):
    """The stored levels of one track from its ratings {indicator id: value}."""
    share = shape.framework.required_share
    levels = {}
    for competency in shape.competencies:
        marks = _marks(shape.layout[competency.code], values, shape.demonstrated)
        level, passing = scoring.track_levels(marks, share)
        levels[competency.code] = [level, sorted(passing)]
    return {"framework": shape.framework.pk, "shape": shape_key(shape), "levels": levels}


def track_record_of(assessment, role):
    """The stored levels of one track, read from its ratings now (four queries): for the
    writer of ratings, in its transaction."""
    framework = assessment.cycle.framework
    shape = shapes_of([framework])[framework.pk]
    ratings = Rating.objects.filter(assessment=assessment, role=role)
    return track_record(shape, dict(ratings.values_list("indicator_id", "value")))


def stored_tracks(assessment, shape, role):
    """{code: (level, passing levels)} of one track as stored, or None when it must be read
    from the ratings."""
    record = getattr(assessment, TRACK_FIELDS[role])
    if not record or record.get("framework") != shape.framework.pk:
        return None
    if record.get("shape") != shape_key(shape):
        return None
    levels = record["levels"]
    if any(competency.code not in levels for competency in shape.competencies):
        return None
    return {code: (level, set(passing)) for code, (level, passing) in levels.items()}


def stored_of(assessment, shape):
    """{role: stored_tracks(...)} of both tracks of one assessment, read once."""
    return {role: stored_tracks(assessment, shape, role) for role in TRACK_FIELDS}


def needs_ratings(assessment, stored):
    """Whether a track of this assessment must be read from its ratings: it has some (it was
    started: only a save starts it) and its levels are not stored (a round from before 0018).
    `stored`: stored_of(assessment, shape)."""
    return any(
        assessment.track_state(role) != Track.NOT_STARTED and stored[role] is None
        for role in TRACK_FIELDS
    )


def _tracks(shape, values, role, stored):
    if stored is not None:
        return stored
    share = shape.framework.required_share
    return {
        competency.code: scoring.track_levels(
            _marks(shape.layout[competency.code], values.get(role, {}), shape.demonstrated), share
        )
        for competency in shape.competencies
    }


def score(assessment, shape, values, stored=None):
    """PersonResults of one assessment from its tracks' stored levels (`stored`, as
    stored_of gives them, read here when not given) or, where a track has none, from its
    ratings `values` {role: {indicator id: value}}."""
    stored = stored_of(assessment, shape) if stored is None else stored
    own = _tracks(shape, values, Role.SELF, stored[Role.SELF])
    theirs = _tracks(shape, values, Role.SUPERVISOR, stored[Role.SUPERVISOR])
    results = {}
    for competency in shape.competencies:
        code = competency.code
        expected = assessment.expected_levels.get(code, 0)
        results[code] = scoring.result_of_tracks(code, expected, own[code], theirs[code])
    person = PersonResults(assessment, results)
    cycle = assessment.cycle
    person.parts = competency_parts(cycle, results.values())
    if results and all(row.points is not None for row in results.values()):
        weight = cycle.competency_weight
        person.score = scoring.score_by_method(
            cycle.method,
            [row.supervisor_level for row in results.values()],
            [row.expected for row in results.values()],
            [Decimal(cycle.competency_weights.get(code, 0)) for code in results],
        )
        person.weighted = scoring.weighted_competency_score(person.score, weight)
        person.weighted_work = scoring.weighted_work_results(assessment.work_results, weight)
        rounded_parts = cycle.total_rounding == "parts"
        person.total = scoring.weighted_total(
            person.score, assessment.work_results, weight, rounded_parts
        )
        person.band = scoring.band(person.total, round_bands(cycle))
    return person


# ---------------------------------------------------------------- a round's scoring rules

DEFAULT_THRESHOLDS = [lowest for lowest, _code, _label in scoring.BANDS[:-1]]


def round_bands(cycle):
    """The bands of a round, (lowest total, code, Thai label) highest first: its own
    thresholds (Cycle.band_thresholds) or the defaults."""
    if not cycle.band_thresholds:
        return scoring.BANDS
    lowest = [Decimal(value) for value in cycle.band_thresholds] + [Decimal("0")]
    return tuple(
        (low, code, label)
        for low, (_default, code, label) in zip(lowest, scoring.BANDS, strict=True)
    )


def competency_parts(cycle, rows):
    """{code: what each competency adds to the score, as the round's form prints it}: points
    (bar), the level × weight ÷ 5 (rating, equal or not), or the level counted in the sum of
    achieved levels (hybrid); None for a competency without the supervisor's level yet."""
    rows = list(rows)
    method = cycle.method
    if method == scoring.BAR:
        return {row.code: row.points for row in rows}
    if method == scoring.HYBRID:  # the level counted in Σ achieved
        return {row.code: row.supervisor_level for row in rows}
    weights = (
        {row.code: Decimal(cycle.competency_weights.get(row.code, 0)) for row in rows}
        if method == scoring.RATING
        else dict.fromkeys((row.code for row in rows), Fraction(100, len(rows) or 1))
    )
    return {
        row.code: None
        if row.supervisor_level is None
        else scoring.rating_part(row.supervisor_level, weights[row.code])
        for row in rows
    }


def _ratings(**where):
    """{assessment id: {role: {indicator id: value}}} of the assessments matching `where`."""
    values = defaultdict(lambda: {Role.SELF: {}, Role.SUPERVISOR: {}})
    ratings = Rating.objects.filter(**{f"assessment__{key}": v for key, v in where.items()})
    for assessment_id, indicator_id, role, value in ratings.values_list(
        "assessment_id", "indicator_id", "role", "value"
    ):
        values[assessment_id][role][indicator_id] = value
    return values


def _assessments(where):
    """The assessments matching `where`, with their person and position class. Those of one
    round (where names the Cycle) share that Cycle instance: read with each assessment, a
    round of 1,000 people made 2,000 copies of the same two rows."""
    related = ("employee", "position_class")
    cycle = where.get("cycle")
    if isinstance(cycle, Cycle):
        rest = {key: value for key, value in where.items() if key != "cycle"}
        return cycle.assessments.filter(**rest).select_related(*related)
    return Assessment.objects.filter(**where).select_related("cycle__framework", *related)


def load_results(frameworks=None, order_by=None, loaded=None, **where):
    """([PersonResults], {framework id: Shape}) of the assessments matching `where`
    (Assessment field lookups); four or five queries (the module's docstring).

    `frameworks`: the versions whose competencies to load; by default those of the rounds of
    the assessments found. `order_by`: by default round, division, name. `loaded`: those
    assessments, already read (with their round and version): not read again.
    """
    order = order_by or ("cycle__fiscal_year", "cycle__round", *ROUND_ORDER)
    assessments = loaded if loaded is not None else list(_assessments(where).order_by(*order))
    if frameworks is None:
        frameworks = {a.cycle.framework for a in assessments}
    shapes = shapes_of(frameworks)
    scored = [a for a in assessments if a.cycle.framework_id in shapes]
    stored = {a.pk: stored_of(a, shapes[a.cycle.framework_id]) for a in scored}
    unstored = [a.pk for a in scored if needs_ratings(a, stored[a.pk])]
    if len(unstored) == len(assessments):
        values = _ratings(**where)  # none stored (a round from before 0018): read them all
    else:
        values = _ratings(pk__in=unstored) if unstored else {}
    people = [
        score(a, shapes[a.cycle.framework_id], values.get(a.pk, {}), stored[a.pk]) for a in scored
    ]
    return people, shapes


def round_results(cycle):
    """Every assessment of a round with its results, by division and name; five queries (none
    for a round not opened yet, which has no framework pinned and no assessments)."""
    if cycle.framework_id is None:
        return []
    people, _shapes = load_results(frameworks=[cycle.framework], order_by=ROUND_ORDER, cycle=cycle)
    return people


def assessment_results(assessment):
    """One assessment's results, as stored now (the assessment read again); five queries."""
    people, _shapes = load_results(pk=assessment.pk)
    return people[0]


def results_of_loaded(assessment):
    """The results of an assessment this request has just read (a page's, a printed form's),
    from its fields as read: four queries, the assessment not read a second time."""
    people, _shapes = load_results(loaded=[assessment], pk=assessment.pk)
    return people[0]


def sheet_levels(sheet):
    """{competency code: (level of the sheet's own ratings, level of the self-ratings)} from
    a rating sheet already loaded (selectors/rating.py): no query. A level is None until
    every indicator of its competency is rated on that track."""
    demonstrated = sheet.demonstrated_values
    share = sheet.assessment.cycle.framework.required_share

    def marks(block, attribute):
        return {
            level_rows.level.number: [
                None if getattr(row, attribute) is None else getattr(row, attribute) in demonstrated
                for row in level_rows.rows
            ]
            for level_rows in block.levels
        }

    levels = {}
    for block in sheet.blocks:
        code = block.competency.code
        result = scoring.competency_result(
            code, block.expected or 0, marks(block, "self_value"), marks(block, "value"), share
        )
        levels[code] = (result.supervisor_level, result.self_level)
    return levels


# ---------------------------------------------------------------- choosing a round's method


@dataclass(frozen=True)
class PreviewRow:
    """The competency scores one position class would get by a round's method."""

    position_class: object
    expected: list  # the expected level of each competency, in the framework's order
    at_expected: Decimal  # every competency at its expected level
    one_below: Decimal  # every competency one level below it (never below 0)
    all_five: Decimal  # level 5 everywhere


def preview_by_method(framework, method, weights):
    """[PreviewRow] per position class of `framework`'s grid (those given expected levels), by
    `method` with `weights` {code: percent} (for RATING): what HR sees before opening a round.
    Three queries."""
    competencies = competencies_of(framework)
    codes = [competency.code for competency in competencies]
    ordered = [Decimal(weights.get(code, 0)) for code in codes]
    rows = []
    for position_class, levels in expected_level_grid(framework, competencies):
        if all(level is None for level in levels):
            continue
        expected = [level or 0 for level in levels]

        def score(achieved, expected=expected):
            return scoring.score_by_method(method, achieved, expected, ordered)

        rows.append(
            PreviewRow(
                position_class,
                expected,
                score(expected),
                score([max(0, level - 1) for level in expected]),
                score([scoring.MAX_LEVEL] * len(codes)),
            )
        )
    return rows
