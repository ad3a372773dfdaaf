"""The competency scoring methods a round may use (issue 15): worked examples computed by hand,
then each method against an independent oracle (plain float arithmetic, rounded the schoolbook
way) over random people, and the invariants every method keeps."""

from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assessments.scoring import (
    BAR,
    HYBRID,
    METHODS,
    RATING,
    RATING_EQUAL,
    band,
    hybrid_score,
    rating_equal_score,
    rating_score,
    score_by_method,
)

# four competencies: achieved 4, 3, 2, 5; expected 3, 3, 3, 4
LEVELS = [4, 3, 2, 5]
EXPECTED = [3, 3, 3, 4]


def test_bar_by_hand():
    # points 3 + 3 + 2 + 3 = 11 of 12 → 91.666… → 91.67
    assert score_by_method(BAR, LEVELS, EXPECTED) == Decimal("91.67")


def test_rating_by_hand():
    # 4×40 + 3×20 + 2×20 + 5×20 = 360; ÷ 5 = 72
    assert rating_score(LEVELS, [40, 20, 20, 20]) == Decimal("72.00")
    assert score_by_method(RATING, LEVELS, EXPECTED, [40, 20, 20, 20]) == Decimal("72.00")


def test_rating_with_equal_weights_by_hand():
    # (4 + 3 + 2 + 5) ÷ 20 × 100 = 70; three competencies 5, 5, 4: 14 ÷ 15 → 93.33
    assert rating_equal_score(LEVELS) == Decimal("70.00")
    assert rating_equal_score([5, 5, 4]) == Decimal("93.33")


def test_the_form_of_15_percent_a_competency_by_hand():
    # "ระดับที่แสดงออกจริง (ก) × % น้ำหนัก (ข) = คะแนน (ค)": 15 % each of four, scaled to 100
    assert rating_score([5, 4, 3, 5], [25, 25, 25, 25]) == Decimal("85.00")


def test_hybrid_by_hand():
    # 14 ÷ 13 is over 1: capped at 100; 2 + 2 + 2 + 3 = 9 ÷ 13 → 69.23
    assert hybrid_score(LEVELS, EXPECTED) == Decimal("100.00")
    assert hybrid_score([2, 2, 2, 3], EXPECTED) == Decimal("69.23")
    assert score_by_method(HYBRID, [2, 2, 2, 3], EXPECTED) == Decimal("69.23")
    assert hybrid_score([0, 0], [0, 0]) == Decimal("100.00")  # nothing expected: all met


def test_weights_that_do_not_total_100_are_refused():
    with pytest.raises(ValueError):
        rating_score(LEVELS, [40, 20, 20, 10])
    with pytest.raises(ValueError):
        rating_score(LEVELS, [50, 50])


def test_a_round_may_set_its_own_bands():
    bands = ((Decimal("85"), "excellent", "ดีเด่น"), (Decimal("0"), "improve", "ต้องปรับปรุง"))
    assert band(Decimal("86"), bands) == ("excellent", "ดีเด่น")
    assert band(Decimal("84.99"), bands) == ("improve", "ต้องปรับปรุง")
    assert band(Decimal("86")) == ("very_good", "ดีมาก")  # the default bands


def half_up(value):
    return Decimal(repr(round(value, 9))).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def oracle(method, levels, expected, weights):
    """The methods as the issue states them, in floats."""
    n = len(levels)
    if method == BAR:
        points = [3 if a >= e else max(0, 3 + a - e) for a, e in zip(levels, expected, strict=True)]
        return half_up(sum(points) / (3 * n) * 100)
    if method == RATING:  # the sum of the parts as printed, each rounded
        return sum(half_up(a * w / 5) for a, w in zip(levels, weights, strict=True))
    if method == RATING_EQUAL:
        return half_up(sum(levels) / (5 * n) * 100)
    return half_up(100.0 if sum(expected) == 0 else min(sum(levels) / sum(expected), 1) * 100)


people = st.integers(min_value=1, max_value=8).flatmap(
    lambda n: st.tuples(
        st.lists(st.integers(0, 5), min_size=n, max_size=n),
        st.lists(st.integers(0, 5), min_size=n, max_size=n),
        st.lists(st.integers(1, 60), min_size=n, max_size=n),
    )
)


def to_100(raw):
    """Whole-number weights totalling 100, in proportion to `raw`."""
    weights = [r * 100 // sum(raw) for r in raw]
    weights[0] += 100 - sum(weights)
    return weights


@given(people, st.sampled_from(METHODS))
def test_every_method_agrees_with_the_oracle(person, method):
    levels, expected, raw = person
    weights = to_100(raw)
    assert score_by_method(method, levels, expected, weights) == oracle(
        method, levels, expected, weights
    )


@given(people, st.sampled_from(METHODS))
def test_every_score_is_a_percentage_that_never_falls_when_a_level_rises(person, method):
    levels, expected, raw = person
    weights = to_100(raw)
    score = score_by_method(method, levels, expected, weights)
    assert Decimal(0) <= score <= Decimal(100)
    for i, level in enumerate(levels):
        if level < 5:
            higher = [*levels[:i], level + 1, *levels[i + 1 :]]
            assert score_by_method(method, higher, expected, weights) >= score
