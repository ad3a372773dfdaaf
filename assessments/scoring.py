"""The scoring rules, pure Python: plain values in, plain values out (no ORM, no request).

The same functions serve the pages, the printed forms and the exports. Rules (ARCHITECTURE.md,
DOMAIN.md):

1. An indicator is demonstrated when its rating's scale point says so (True), not (False), or
   it is not rated yet (None).
2. A level passes when the share of its indicators demonstrated is at least `required_share`;
   a level with an unrated indicator, or with no indicators, does not pass.
3. Levels are cumulative: the achieved level is the highest L such that levels 1..L all pass,
   0 when level 1 fails.
4. Gap = achieved − expected; points: at or above expected 3, one below 2, two below 1, three
   or more below 0. Competency score = total points ÷ (3 × competencies) × 100.
5. Weighted parts: competency score × weight % and work results × (100 − weight) %, each
   rounded to two places (half up); the weighted total is the sum of the two rounded parts, so
   the parts printed on a form add up to its total; then a band (BANDS).
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from functools import cache

LEVELS = (1, 2, 3, 4, 5)
MAX_POINTS = 3
TWO_PLACES = Decimal("0.01")

# (lowest total, code, Thai label), highest first.
BANDS = (
    (Decimal("90"), "excellent", "ดีเด่น"),
    (Decimal("80"), "very_good", "ดีมาก"),
    (Decimal("70"), "good", "ดี"),
    (Decimal("60"), "fair", "พอใช้"),
    (Decimal("0"), "improve", "ต้องปรับปรุง"),
)


@cache
def _share(required_share):
    """The required share as an exact fraction in (0, 1]; 0.8 means exactly 4/5 (kept: a round
    of 1,000 people asks for it about 176,000 times)."""
    share = Fraction(str(required_share))
    if not 0 < share <= 1:
        raise ValueError(f"required_share must be in (0, 1], not {required_share!r}")
    return share


def level_passes(marks, required_share=1.0):
    """True when enough of one level's indicators are demonstrated and none is unrated."""
    marks = list(marks)
    if not marks or None in marks:
        return False
    demonstrated = len(marks) - marks.count(False)
    share = _share(required_share)
    # demonstrated / len(marks) >= share, in integers (exact, and without a Fraction per level)
    return demonstrated * share.denominator >= share.numerator * len(marks)


def passing_levels(levels, required_share=1.0):
    """The set of level numbers that pass on their own, ignoring the levels below them."""
    _share(required_share)
    return {n for n in LEVELS if level_passes(levels.get(n, ()), required_share)}


def achieved_level(levels, required_share=1.0):
    """Highest level L such that levels 1..L all pass; 0 when level 1 fails.

    `levels` maps a level number (1–5) to a sequence of True / False / None per indicator.
    """
    return _highest_unbroken(passing_levels(levels, required_share))


def _highest_unbroken(passing):
    achieved = 0
    for number in LEVELS:
        if number not in passing:
            break
        achieved = number
    return achieved


def levels_above_a_gap(levels, required_share=1.0):
    """Levels that pass above the achieved level: a higher level shown over a failed lower one.

    The rater is warned about these; they do not count towards the achieved level.
    """
    passing = passing_levels(levels, required_share)
    achieved = _highest_unbroken(passing)
    return sorted(n for n in passing if n > achieved)


def is_complete(levels):
    """True when every indicator of every level has a rating."""
    return all(mark is not None for marks in levels.values() for mark in marks)


def gap(achieved, expected):
    return achieved - expected


def gap_points(achieved, expected):
    """Points for one competency from the gap to the expected level (the bar scale)."""
    difference = gap(achieved, expected)
    if difference >= 0:
        return MAX_POINTS
    return max(0, MAX_POINTS + difference)


def competency_score(points):
    """Total points ÷ (3 × number of competencies) × 100, as a percentage with two places."""
    points = list(points)
    if not points:
        return Decimal("0.00")
    if any(not 0 <= p <= MAX_POINTS for p in points):
        raise ValueError(f"points must be 0–{MAX_POINTS}: {points!r}")
    score = Decimal(sum(points)) * 100 / (MAX_POINTS * len(points))
    return score.quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


# Competency scoring methods (issue 15), chosen per round (Cycle.method): a round keeps the one
# it was scored with. docs/appraisal-rules.md says where each comes from.
BAR = "bar"  # points from the gap to the expected level (above: competency_score)
RATING = "rating"  # the achieved level (of 5) × the competency's weight, weights totalling 100
RATING_EQUAL = "rating_equal"  # the same with every competency weighing the same
HYBRID = "hybrid"  # Σ achieved ÷ Σ expected, at most 100 %
METHODS = (BAR, RATING, RATING_EQUAL, HYBRID)
MAX_LEVEL = LEVELS[-1]


def rating_score(levels, weights):
    """Σ achieved level × weight ÷ 5 over the competencies, a percentage: the sum of the parts
    (rating_part) as a form prints them, each rounded to two places, so that the form adds up.
    `levels` and `weights` (percent, totalling 100) go competency by competency."""
    levels, weights = list(levels), [Decimal(str(w)) for w in weights]
    if len(levels) != len(weights) or sum(weights) != 100:
        raise ValueError(f"weights must total 100, one per competency: {weights!r}")
    return _sum_of_parts(levels, weights)


def rating_equal_score(levels):
    """rating_score with every competency weighing the same: Σ achieved ÷ (5 × count) × 100,
    worked out exactly and rounded once (with three competencies a part is a third of a
    percent; rounded parts would give a person at level 5 everywhere 99.99)."""
    levels = list(levels)
    if not levels:
        return Decimal("0.00")
    if any(not 0 <= level <= MAX_LEVEL for level in levels):
        raise ValueError(f"levels must be 0–{MAX_LEVEL}: {levels!r}")
    return _two_places(Fraction(sum(levels) * 100, MAX_LEVEL * len(levels)))


def rating_part(level, weight):
    """One competency's part of a rating score: its level × its weight ÷ 5, two places."""
    weight = weight if isinstance(weight, Fraction) else Fraction(str(weight))
    return _two_places(Fraction(level) * weight / MAX_LEVEL)


def _sum_of_parts(levels, weights):
    if any(not 0 <= level <= MAX_LEVEL for level in levels):
        raise ValueError(f"levels must be 0–{MAX_LEVEL}: {levels!r}")
    parts = (rating_part(level, weight) for level, weight in zip(levels, weights, strict=True))
    return sum(parts, Decimal("0.00"))


def hybrid_score(levels, expected):
    """Σ achieved ÷ Σ expected × 100, at most 100, two places; 100 when nothing is expected."""
    levels, expected = list(levels), list(expected)
    if sum(expected) == 0:
        return Decimal("100.00")
    return _two_places(min(Fraction(sum(levels), sum(expected)), Fraction(1)) * 100)


def score_by_method(method, levels, expected, weights=None):
    """The competency score (%) of one person by a round's method, from the supervisor's
    achieved levels and the expected levels (and, for RATING, the weights), competency by
    competency."""
    levels, expected = list(levels), list(expected)
    if method == BAR:
        return competency_score(gap_points(a, e) for a, e in zip(levels, expected, strict=True))
    if method == RATING:
        return rating_score(levels, weights)
    if method == RATING_EQUAL:
        return rating_equal_score(levels)
    if method == HYBRID:
        return hybrid_score(levels, expected)
    raise ValueError(f"unknown method {method!r}")


INDICATORS = "indicators"  # work results from the agreed indicators (indicators_work_results)
PERCENTAGE = "percentage"  # work results: the percentage the supervisor enters
WORK_METHODS = (INDICATORS, PERCENTAGE)


def indicators_work_results(indicators):
    """The work-results percentage of an agreement's indicators [(achieved level 1–5 or None,
    weight)]: Σ (achieved level × weight) ÷ (5 × Σ weight) × 100, two places (half up); None
    while an indicator has no achieved level, or when there is no indicator."""
    indicators = [(level, Fraction(Decimal(weight))) for level, weight in indicators]
    if not indicators or any(level is None for level, _weight in indicators):
        return None
    if any(not 1 <= level <= MAX_LEVEL for level, _weight in indicators):
        raise ValueError(f"achieved levels must be 1–{MAX_LEVEL}: {indicators!r}")
    total = sum(weight for _level, weight in indicators)
    if total <= 0:
        raise ValueError("the weights of an agreement must total more than 0")
    achieved = sum(level * weight for level, weight in indicators)
    return _two_places(achieved / (MAX_LEVEL * total) * 100)


def _two_places(fraction):
    """An exact Fraction as a Decimal with two places, half up."""
    whole = Decimal(fraction.numerator) / Decimal(fraction.denominator)
    # Decimal division is exact to 28 digits: enough for a half to round the right way
    return whole.quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def weighted_competency_score(score, weight=Decimal("30")):
    """The competency part of the appraisal: score × weight %, two places."""
    return (Decimal(score) * Decimal(weight) / 100).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def weighted_work_results(work_results, weight=Decimal("30")):
    """The work-results part: work results × (100 − competency weight) %, two places; None
    without work results."""
    if work_results is None:
        return None
    part = Decimal(work_results) * (100 - Decimal(weight)) / 100
    return part.quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def weighted_total(score, work_results, weight=Decimal("30"), rounded_parts=True):
    """The sum of the two rounded weighted parts (rule 5); None without work results.
    `rounded_parts=False` is the rule of the rounds scored before it: the exact sum, rounded
    once (a round keeps the rule it was scored with: Cycle.total_rounding)."""
    if work_results is None:
        return None
    if rounded_parts:
        return weighted_competency_score(score, weight) + weighted_work_results(
            work_results, weight
        )
    weight = Decimal(weight)
    total = Decimal(score) * weight / 100 + Decimal(work_results) * (100 - weight) / 100
    return total.quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def band(total, bands=BANDS):
    """(code, Thai label) of the band a weighted total falls in; None without a total.
    `bands`: (lowest total, code, label), highest first (a round's own, or BANDS)."""
    if total is None:
        return None
    total = Decimal(total)
    for lowest, code, label in bands:
        if total >= lowest:
            return code, label
    return bands[-1][1], bands[-1][2]


@dataclass(frozen=True)
class CompetencyResult:
    code: str
    expected: int
    self_level: int | None
    supervisor_level: int | None
    gap: int | None
    points: int | None
    warning_levels: tuple = ()


def competency_result(code, expected, self_levels, supervisor_levels, required_share=1.0):
    """One competency's row of the results: levels, gap and points from the supervisor's view.

    A track's level is None until every indicator of that track is rated; the gap and points
    come from the supervisor's ratings only (the self-ratings are shown, never mixed in).
    """
    return result_of_tracks(
        code,
        expected,
        track_levels(self_levels, required_share),
        track_levels(supervisor_levels, required_share),
    )


def result_of_tracks(code, expected, self_track, supervisor_track):
    """competency_result from the two tracks as track_levels gives them, (level, passing
    levels): what a stored track keeps, so that a round is not read indicator by indicator."""
    self_level = self_track[0]
    supervisor_level, passing = supervisor_track
    if supervisor_level is None:
        return CompetencyResult(code, expected, self_level, None, None, None)
    return CompetencyResult(
        code,
        expected,
        self_level,
        supervisor_level,
        gap(supervisor_level, expected),
        gap_points(supervisor_level, expected),
        tuple(sorted(n for n in passing if n > supervisor_level)),  # levels_above_a_gap
    )


def track_levels(levels, required_share=1.0):
    """(achieved level, passing levels) of one track of one competency, or (None, set()) until
    every indicator is rated: is_complete, passing_levels and achieved_level in one pass."""
    if not levels:
        return None, set()
    passing = set()
    for number, marks in levels.items():
        marks = list(marks)
        if None in marks:  # not all rated (is_complete)
            return None, set()
        if number in LEVELS and level_passes(marks, required_share):
            passing.add(number)
    return _highest_unbroken(passing), passing
