"""The scoring rules: worked examples, then the invariants over every combination."""

from decimal import Decimal
from fractions import Fraction
from itertools import product

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assessments.scoring import (
    achieved_level,
    band,
    competency_result,
    competency_score,
    gap_points,
    level_passes,
    levels_above_a_gap,
    weighted_competency_score,
    weighted_total,
    weighted_work_results,
)

ALL = [True, True, True]
NONE = [False, False, False]


def test_all_levels_shown_is_level_5():
    assert achieved_level(dict.fromkeys(range(1, 6), ALL)) == 5


def test_level_1_failing_is_level_0():
    assert achieved_level({1: [True, False], 2: ALL, 3: ALL}) == 0


def test_levels_are_cumulative():
    # Level 3 passes on its own, but level 2 does not: the achieved level is 1.
    levels = {1: ALL, 2: [True, False, True], 3: ALL, 4: NONE, 5: NONE}
    assert achieved_level(levels) == 1
    assert levels_above_a_gap(levels) == [3]


def test_an_unrated_indicator_fails_its_level():
    assert achieved_level({1: ALL, 2: [True, None]}) == 1
    assert not level_passes([True, None], required_share=0.5)


def test_a_level_without_indicators_does_not_pass():
    assert not level_passes([])
    assert achieved_level({}) == 0


def test_the_required_share():
    three_of_four = [True, True, True, False]
    assert not level_passes(three_of_four)
    assert level_passes(three_of_four, required_share=0.75)
    assert level_passes(three_of_four, required_share=Decimal("0.75"))
    assert not level_passes(three_of_four, required_share=0.8)
    # 0.8 means exactly four fifths, not the float just above it
    assert level_passes([True] * 4 + [False], required_share=0.8)


@pytest.mark.parametrize("share", [0, -0.5, 1.01, 2])
def test_a_share_outside_0_to_1_is_refused(share):
    with pytest.raises(ValueError):
        achieved_level({1: ALL}, required_share=share)


@pytest.mark.parametrize(
    "achieved,expected,points",
    [(3, 3, 3), (5, 3, 3), (2, 3, 2), (1, 3, 1), (0, 3, 0), (0, 5, 0), (0, 0, 3), (1, 4, 0)],
)
def test_gap_points_follow_the_bar_scale(achieved, expected, points):
    assert gap_points(achieved, expected) == points


def test_competency_score_worked_examples():
    assert competency_score([3, 3, 3, 3]) == Decimal("100.00")
    assert competency_score([3, 2, 2, 1]) == Decimal("66.67")
    assert competency_score([0, 0, 0, 0]) == Decimal("0.00")
    assert competency_score([2, 2, 2, 1]) == Decimal("58.33")
    assert str(competency_score([3, 3, 2, 2])) == "83.33"


def test_competency_score_refuses_impossible_points():
    with pytest.raises(ValueError):
        competency_score([4, 3])


def test_weighted_total_and_band():
    total = weighted_total(Decimal("66.67"), Decimal("85"), 30)
    assert total == Decimal("79.50")  # 20.001 + 59.5
    assert band(total) == ("good", "ดี")
    assert band(Decimal("90")) == ("excellent", "ดีเด่น")
    assert band(Decimal("89.99")) == ("very_good", "ดีมาก")
    assert band(Decimal("60")) == ("fair", "พอใช้")
    assert band(Decimal("59.99")) == ("improve", "ต้องปรับปรุง")
    assert weighted_total(Decimal("50"), None) is None
    assert band(None) is None


def test_the_total_is_the_sum_of_the_rounded_parts():
    # 58.33 × 30 % = 17.499 → 17.50 and 70.05 × 70 % = 49.035 → 49.04 (half up): the form
    # prints 17.50 and 49.04, so the total is 66.54, not the 66.53 of the unrounded sum
    assert weighted_competency_score(Decimal("58.33"), 30) == Decimal("17.50")
    assert weighted_work_results(Decimal("70.05"), 30) == Decimal("49.04")
    assert weighted_total(Decimal("58.33"), Decimal("70.05"), 30) == Decimal("66.54")
    assert weighted_work_results(None) is None


def _half_up(value):
    """An independent rounding: Fraction to two places, halves away from zero (values ≥ 0)."""
    hundredths = value * 100
    whole = hundredths.numerator // hundredths.denominator
    if hundredths - whole >= Fraction(1, 2):
        whole += 1
    return Fraction(whole, 100)


@given(
    score=st.integers(0, 10000).map(lambda n: Decimal(n) / 100),
    work=st.integers(0, 10000).map(lambda n: Decimal(n) / 100),
    weight=st.integers(0, 100),
)
def test_printed_parts_always_add_up_to_the_total(score, work, weight):
    competency_part = _half_up(Fraction(score) * weight / 100)
    work_part = _half_up(Fraction(work) * (100 - weight) / 100)
    assert Fraction(weighted_competency_score(score, weight)) == competency_part
    assert Fraction(weighted_work_results(work, weight)) == work_part
    assert Fraction(weighted_total(score, work, weight)) == competency_part + work_part


def test_competency_result_uses_the_supervisor_and_waits_for_a_full_rating():
    self_levels = dict.fromkeys(range(1, 6), ALL)
    supervisor = {1: ALL, 2: ALL, 3: NONE, 4: NONE, 5: NONE}
    row = competency_result("ACH", 3, self_levels, supervisor)
    assert (row.self_level, row.supervisor_level, row.gap, row.points) == (5, 2, -1, 2)
    partial = {1: ALL, 2: [True, None, True], 3: NONE, 4: NONE, 5: NONE}
    row = competency_result("ACH", 3, self_levels, partial)
    assert (row.supervisor_level, row.gap, row.points) == (None, None, None)


# ------------------------------------------------------------------ invariants

marks = st.sampled_from([True, False, None])
level_marks = st.lists(marks, min_size=1, max_size=5)
frameworks = st.fixed_dictionaries(dict.fromkeys(range(1, 6), level_marks))
shares = st.sampled_from([1, 0.75, 0.5, Fraction(2, 3), Decimal("0.8"), 0.2, Decimal("0.001")])


@given(frameworks, shares)
def test_achieved_level_is_between_0_and_5(levels, share):
    assert 0 <= achieved_level(levels, share) <= 5


@given(frameworks, shares)
def test_every_level_up_to_the_achieved_one_passes(levels, share):
    achieved = achieved_level(levels, share)
    assert all(level_passes(levels[n], share) for n in range(1, achieved + 1))
    if achieved < 5:
        assert not level_passes(levels[achieved + 1], share)


@given(frameworks, shares, st.integers(1, 5), st.data())
def test_more_demonstrations_never_lower_the_level(levels, share, number, data):
    index = data.draw(st.integers(0, len(levels[number]) - 1))
    better = {n: list(v) for n, v in levels.items()}
    better[number][index] = True
    assert achieved_level(better, share) >= achieved_level(levels, share)


@given(frameworks, st.sampled_from([0.2, 0.5, 0.75]))
def test_a_lower_required_share_never_lowers_the_level(levels, share):
    assert achieved_level(levels, share) >= achieved_level(levels, 1)


@given(frameworks, shares)
def test_levels_above_a_gap_are_above_the_achieved_level(levels, share):
    achieved = achieved_level(levels, share)
    assert all(n > achieved + 1 for n in levels_above_a_gap(levels, share))


@given(st.integers(0, 5), st.integers(0, 5))
def test_points_are_0_to_3_and_never_rise_as_the_gap_widens(achieved, expected):
    points = gap_points(achieved, expected)
    assert 0 <= points <= 3
    if achieved < 5:
        assert gap_points(achieved + 1, expected) >= points


@given(st.lists(st.integers(0, 3), min_size=1, max_size=8))
def test_competency_score_is_a_two_place_percentage(points):
    score = competency_score(points)
    assert Decimal("0") <= score <= Decimal("100")
    assert score == score.quantize(Decimal("0.01"))
    exact = Fraction(sum(points) * 100, 3 * len(points))
    assert abs(Fraction(score) - exact) <= Fraction(1, 200)


def test_every_combination_of_two_point_levels_and_shares_agrees_with_the_rule():
    """Exhaustive over three-indicator levels: the rule written out plainly, once more."""
    patterns = list(product([True, False, None], repeat=3))
    for share in (1, Fraction(2, 3), Fraction(1, 3)):
        for first, second in product(patterns, repeat=2):
            levels = {1: list(first), 2: list(second), 3: [False], 4: [False], 5: [False]}

            def passes(pattern, share=share):
                return None not in pattern and Fraction(sum(pattern), 3) >= share

            expected = 0
            if passes(first):
                expected = 2 if passes(second) else 1
            assert achieved_level(levels, share) == expected, (levels, share)


def test_rounds_scored_before_keep_the_exact_sum_rounded_once():
    # 17.499 + 49.035 = 66.534 → 66.53 under the earlier rule, 66.54 under rule 5
    old = weighted_total(Decimal("58.33"), Decimal("70.05"), 30, rounded_parts=False)
    assert old == Decimal("66.53")
