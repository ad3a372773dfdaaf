"""Work results from an agreement's indicators (issue 15): Σ (achieved level × weight) ÷
(5 × Σ weight) × 100, two places, half up. Hand-computed cases and an independent oracle
(exact fractions, rounded by hand)."""

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assessments.scoring import indicators_work_results


def oracle(indicators):
    """The formula with exact fractions; half up to two places by integer arithmetic."""
    achieved = sum(Fraction(level) * Fraction(weight) for level, weight in indicators)
    total = sum(Fraction(weight) for _level, weight in indicators)
    hundredths = achieved / (5 * total) * 10000
    rounded = (hundredths * 2 + 1) // 2  # half up (the value is never negative)
    return Decimal(int(rounded)) / 100


@pytest.mark.parametrize(
    ("indicators", "expected"),
    [
        ([(5, "100")], "100.00"),  # every indicator at level 5
        ([(1, "100")], "20.00"),
        ([(4, "60"), (3, "40")], "72.00"),  # (240 + 120) ÷ 500 = 0.72
        ([(3, "30"), (4, "30"), (5, "40")], "82.00"),  # (90 + 120 + 200) ÷ 500
        ([(2, "33.33"), (3, "33.33"), (4, "33.34")], "60.00"),  # 300.01 ÷ 500 = 0.60002
        ([(1, "10"), (2, "20"), (5, "70")], "80.00"),  # (10 + 40 + 350) ÷ 500
        ([(3, "50"), (4, "25"), (4, "25")], "70.00"),
        ([(2, "12.5"), (5, "87.5")], "92.50"),  # (25 + 437.5) ÷ 500 = 0.925
        ([(3, "1"), (4, "2")], "73.33"),  # weights need not total 100 here: 11 ÷ 15
        ([(1, "2"), (4, "1")], "40.00"),  # 6 ÷ 15
        ([(2, "1"), (3, "2")], "53.33"),  # 8 ÷ 15 = 0.5333…
        ([(5, "1"), (3, "2")], "73.33"),  # 11 ÷ 15
        ([(1, "1"), (2, "1"), (2, "1")], "33.33"),  # 5 ÷ 15
        ([(3, "8"), (4, "0.01")], "60.02"),  # 24.04 ÷ 40.05 = 0.600249…
        ([(3, "0.01"), (1, "79.99")], "20.01"),  # 80.02 ÷ 400 = 20.005: half up, not to even
    ],
)
def test_hand_computed_cases(indicators, expected):
    assert indicators_work_results(indicators) == Decimal(expected)


def test_an_indicator_without_its_level_leaves_the_work_results_blank():
    assert indicators_work_results([(4, "60"), (None, "40")]) is None
    assert indicators_work_results([]) is None


def test_levels_outside_one_to_five_are_refused():
    with pytest.raises(ValueError):
        indicators_work_results([(6, "100")])
    with pytest.raises(ValueError):
        indicators_work_results([(0, "100")])


weights = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("100"), places=2)
agreements = st.lists(st.tuples(st.integers(1, 5), weights), min_size=1, max_size=12)


@given(agreements)
def test_the_formula_against_an_exact_oracle(indicators):
    assert indicators_work_results(indicators) == oracle(indicators)


@given(agreements)
def test_the_result_lies_between_the_lowest_and_highest_level(indicators):
    result = indicators_work_results(indicators)
    levels = [level for level, _weight in indicators]
    assert Decimal(min(levels) * 20) <= result <= Decimal(max(levels) * 20)
