import datetime

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.utils import translation

from competency_portal.lib.thai import be_date, be_year, thai_digits
from competency_portal.settings import env_bool


def test_thai_digits():
    assert thai_digits(2569) == "๒๕๖๙"
    assert thai_digits("ระดับ 5") == "ระดับ ๕"
    assert thai_digits(None) == ""


def test_thai_digits_can_be_switched_off(settings):
    settings.PORTAL_THAI_DIGITS = False
    assert thai_digits(12) == "12"


def test_buddhist_era_dates():
    assert be_year(datetime.date(2025, 10, 1)) == 2568
    assert be_year(2026) == 2569
    assert be_date(datetime.date(2026, 3, 31), with_digits=False) == "31 มีนาคม 2569"
    assert be_date(datetime.date(2025, 10, 1)) == "๑ ตุลาคม ๒๕๖๘"


def test_english_pages_show_gregorian_dates():
    with translation.override("en"):
        assert be_date(datetime.date(2026, 3, 31)) == "31 March 2026"
        assert thai_digits(12) == "12"
    with translation.override("th"):
        assert be_date(datetime.date(2026, 3, 31)) == "๓๑ มีนาคม ๒๕๖๙"


def test_aware_datetimes_use_bangkok_time():
    late_utc = datetime.datetime(2026, 9, 30, 20, 0, tzinfo=datetime.UTC)
    assert be_date(late_utc, with_digits=False) == "1 ตุลาคม 2569"


@pytest.mark.parametrize("raw,expected", [("1", True), ("0", False), ("true", True), ("", False)])
def test_env_bool_reads_yes_and_no(monkeypatch, raw, expected):
    monkeypatch.setenv("SOME_FLAG", raw)
    assert env_bool("SOME_FLAG") is expected


def test_env_bool_rejects_anything_else(monkeypatch):
    monkeypatch.setenv("SOME_FLAG", "maybe")
    with pytest.raises(ImproperlyConfigured):
        env_bool("SOME_FLAG")


def test_signed_numbers_carry_their_sign_in_thai_digits():
    from decimal import Decimal

    from competency_portal.lib.thai import signed

    assert [signed(2), signed(0), signed(-1)] == ["+๒", "๐", "−๑"]
    assert signed(Decimal("-1.25")) == "−๑.๒๕"
    assert signed(Decimal("0.00")) == "๐.๐๐"
    assert signed(None) == "–"


def test_display_width_leaves_out_marks_above_and_below():
    from competency_portal.lib.thai import display_width

    assert display_width("น้ำ") == 2  # น, sara am; the tone mark takes no column
    assert display_width("ABC") == 3
    assert display_width(None) == 0
