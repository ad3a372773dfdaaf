"""The framework's rules (framework/rules.py), each with worked examples and its refusals."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from framework.rules import (
    code_fits,
    code_is_well_formed,
    has_five_levels,
    is_competency_code,
    is_expected_level,
    is_whole,
    normal_code,
    parse_share,
    repeated,
    round_share,
    scale_problems,
    scale_splits,
    share_in_range,
    share_is_exact,
    without_indicator,
)

SCALE_SAME_VALUE = "Two points of the scale have the same value."
SCALE_THAI_LABEL = "Every point of the scale needs a Thai label."
SCALE_SPLIT = (
    "The rating scale needs at least one point that counts as demonstrated and one that does not."
)
SHARE_REFUSED = "The pass share must be a number from 0.001 to 1."


@pytest.fixture
def english():
    with translation.override("en"):
        yield


# -- competency codes


def test_a_code_is_a_capital_latin_letter_then_capitals_digits_dashes_or_underscores():
    for code in ["ACH", "A", "SDEV", "LOCAL", "A1", "TEAM-2", "CORE_3", "X-_9"]:
        assert code_is_well_formed(code), code


def test_a_code_may_not_start_with_a_digit_a_dash_or_an_underscore():
    for code in ["1ACH", "9", "-ACH", "_ACH"]:
        assert not code_is_well_formed(code), code


def test_a_code_refuses_small_letters_thai_spaces_and_other_signs():
    for code in ["ach", "Ach", "aCH", "สมรรถนะ", "AC H", " ACH", "AC.H", "AC/H", "ÄCH", "ACH\n"]:
        assert not code_is_well_formed(code), code


def test_an_empty_or_missing_code_is_not_well_formed():
    assert not code_is_well_formed("")
    assert not code_is_well_formed(None)
    assert not code_is_well_formed(12)


def test_a_code_fits_in_twenty_characters_and_not_in_twenty_one():
    assert code_fits("A" * 20)
    assert not code_fits("A" * 21)


def test_a_competency_code_is_well_formed_and_fits():
    assert is_competency_code("ACH")
    assert is_competency_code("A" * 20)
    assert not is_competency_code("A" * 21)
    assert not is_competency_code("1ACH")
    assert not is_competency_code("")


def test_the_editor_reads_a_code_without_spaces_and_in_capitals():
    assert normal_code("  ach ") == "ACH"
    assert normal_code("team-2") == "TEAM-2"
    assert normal_code(None) == ""
    assert normal_code("") == ""


# -- the rating scale


def test_repeated_values_are_named_once_in_the_order_they_first_repeat():
    assert repeated([0, 1, 1, 2, 0, 1]) == [1, 0]
    assert repeated([3, 3, 3]) == [3]


def test_values_given_once_are_not_repeated():
    assert repeated([0, 1, 2]) == []
    assert repeated([]) == []


def test_unreadable_values_are_never_counted_as_repeated():
    assert repeated([None, None, 1]) == []


def test_a_scale_splits_when_one_point_counts_as_demonstrated_and_one_does_not():
    assert scale_splits([False, True])
    assert scale_splits([False, False, True])
    assert scale_splits([True, False, True])


def test_a_scale_where_every_point_counts_or_none_does_not_split():
    assert not scale_splits([True, True])
    assert not scale_splits([False, False])
    assert not scale_splits([True])
    assert not scale_splits([])


def test_a_usable_scale_has_no_problem():
    points = [(0, "ไม่แสดง", False), (1, "แสดง", True)]
    assert scale_problems(points) == []


def test_a_scale_with_two_points_of_the_same_value_is_refused(english):
    points = [(0, "ไม่แสดง", False), (1, "แสดง", True), (1, "แสดงชัด", True)]
    assert scale_problems(points) == [SCALE_SAME_VALUE]


def test_every_point_of_a_scale_needs_a_thai_label(english):
    points = [(0, "ไม่แสดง", False), (1, "   ", True)]
    assert scale_problems(points) == [SCALE_THAI_LABEL]
    points = [(0, None, False), (1, "แสดง", True)]
    assert scale_problems(points) == [SCALE_THAI_LABEL]


def test_a_scale_needs_a_point_that_counts_and_one_that_does_not(english):
    assert scale_problems([(0, "ไม่แสดง", False), (1, "แสดงบ้าง", False)]) == [SCALE_SPLIT]
    assert scale_problems([(1, "แสดง", True), (2, "แสดงชัด", True)]) == [SCALE_SPLIT]
    assert scale_problems([]) == [SCALE_SPLIT]


def test_a_scale_with_every_fault_gets_every_sentence_in_order(english):
    points = [(1, "แสดง", True), (1, "", True)]
    assert scale_problems(points) == [SCALE_SAME_VALUE, SCALE_THAI_LABEL, SCALE_SPLIT]


def test_the_scale_sentences_are_said_in_thai():
    with translation.override("th"):
        problems = scale_problems([(0, "ไม่แสดง", False), (0, "ไม่แสดง", False)])
    assert problems == [
        "มาตรวัดมีสองค่าที่ซ้ำกัน",
        "มาตรวัดต้องมีอย่างน้อยหนึ่งค่าที่นับว่าแสดงพฤติกรรม และหนึ่งค่าที่ไม่นับ",
    ]


# -- levels and their indicators


def test_five_levels_numbered_1_to_5_in_any_order_are_accepted():
    assert has_five_levels([1, 2, 3, 4, 5])
    assert has_five_levels([5, 3, 1, 2, 4])
    assert has_five_levels({1: "", 2: "", 3: "", 4: "", 5: ""})  # the keys of a dict


def test_a_missing_level_is_refused():
    assert not has_five_levels([1, 2, 3, 4])
    assert not has_five_levels([])


def test_a_level_given_twice_is_refused():
    assert not has_five_levels([1, 2, 3, 4, 5, 5])
    assert not has_five_levels([1, 2, 2, 4, 5])


def test_levels_numbered_outside_1_to_5_are_refused():
    assert not has_five_levels([0, 1, 2, 3, 4])
    assert not has_five_levels([1, 2, 3, 4, 6])


def test_the_levels_without_an_indicator_are_named_in_the_order_given():
    levels = [(1, ["ข้อ 1"]), (2, []), (3, ["ข้อ 1", "ข้อ 2"]), (4, []), (5, ["ข้อ 1"])]
    assert without_indicator(levels) == [2, 4]


def test_every_level_with_an_indicator_leaves_nothing_to_name():
    assert without_indicator([(n, ["ข้อ 1"]) for n in range(1, 6)]) == []
    assert without_indicator([]) == []


def test_a_level_is_named_by_whatever_key_the_caller_gives():
    levels = [("Competency ACH, level 3", []), ("Competency ACH, level 4", [{"number": 1}])]
    assert without_indicator(levels) == ["Competency ACH, level 3"]


def test_indicators_may_come_as_any_iterable():
    assert without_indicator([(1, iter([])), (2, iter(["ข้อ 1"])), (3, ())]) == [1, 3]


# -- the pass share


def test_a_share_above_0_and_up_to_1_is_in_range():
    for share in ["1", "1.000", "0.001", "0.5", "0.75"]:
        assert share_in_range(Decimal(share)), share


def test_a_share_of_0_below_0_above_1_or_not_a_number_is_out_of_range():
    for share in ["0", "-0", "-0.5", "1.001", "80", "NaN", "Infinity", "-Infinity"]:
        assert not share_in_range(Decimal(share)), share


def test_a_share_with_three_decimals_or_fewer_is_exact():
    for share in ["1", "0.8", "0.75", "0.750", "0.001"]:
        assert share_is_exact(Decimal(share)), share


def test_a_share_with_more_than_three_decimals_is_not_exact():
    assert not share_is_exact(Decimal("0.7501"))
    assert not share_is_exact(Decimal("0.0005"))


def test_a_share_is_stored_with_three_decimals():
    assert str(round_share(Decimal("0.8"))) == "0.800"
    assert str(round_share(Decimal("1"))) == "1.000"
    assert str(round_share(Decimal("0.75"))) == "0.750"


def test_hr_may_type_the_share_with_a_point_a_comma_or_as_a_percentage():
    assert str(parse_share("0.8")) == "0.800"
    assert str(parse_share("0,8")) == "0.800"
    assert str(parse_share("80")) == "0.800"
    assert str(parse_share(" 75 ")) == "0.750"
    assert str(parse_share("100")) == "1.000"
    assert str(parse_share("1")) == "1.000"
    assert str(parse_share(1)) == "1.000"
    assert str(parse_share("0.001")) == "0.001"


@pytest.mark.parametrize("raw", ["0", "-5", "101", "abc", "", "nan", "inf", "0.0004", None])
def test_a_share_that_is_not_from_0_001_to_1_is_refused(raw, english):
    with pytest.raises(ValidationError) as refused:
        parse_share(raw)
    assert refused.value.messages == [SHARE_REFUSED]


def test_the_share_refusal_is_said_in_thai():
    with translation.override("th"), pytest.raises(ValidationError) as refused:
        parse_share("0")
    assert refused.value.messages == ["สัดส่วนที่ต้องผ่านต้องเป็นตัวเลขตั้งแต่ 0.001 ถึง 1"]


# -- expected levels and whole numbers


def test_an_expected_level_is_a_whole_number_from_0_to_5():
    for level in [0, 1, 2, 3, 4, 5]:
        assert is_expected_level(level), level


def test_an_expected_level_outside_0_to_5_or_not_whole_is_refused():
    for level in [-1, 6, 10, 2.0, 2.5, "3", None, True, False]:
        assert not is_expected_level(level), level


def test_a_whole_number_is_an_int_but_not_true_or_false():
    for value in [0, 3, -2, 32767]:
        assert is_whole(value), value
    for value in [True, False, 3.0, "3", None, Decimal("3")]:
        assert not is_whole(value), value
