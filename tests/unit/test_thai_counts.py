"""Numbers in the Thai interface are in Thai digits (issue 12, point 7): counts in messages
and headings, times in the histories."""

from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from assessments.services.base import IncompleteRatings
from competency_portal.lib.thai import thai_numbers


@pytest.fixture(autouse=True)
def thai(settings):
    settings.PORTAL_THAI_DIGITS = True
    with translation.override("th"):
        yield


def test_the_refused_submit_counts_in_thai_digits():
    assert "ยังไม่ได้ประเมิน ๖๕ ข้อ" in IncompleteRatings(list(range(65))).message


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        (
            "{% blocktranslate count counter=n with shown=n|thai_digits %}You rate {{ shown }} "
            "person in this round.{% plural %}You rate {{ shown }} people in this round."
            "{% endblocktranslate %}",
            "ท่านเป็นผู้ประเมิน ๑๒ คนในรอบนี้",
        ),
        (
            "{% blocktranslate count counter=n with shown=n|thai_digits %}{{ shown }} indicator "
            "is not rated yet:{% plural %}{{ shown }} indicators are not rated yet:"
            "{% endblocktranslate %}",
            "ยังไม่ได้ประเมินพฤติกรรมบ่งชี้ ๑๒ ข้อ:",
        ),
    ],
)
def test_counts_in_headings_are_in_thai_digits(source, expected):
    rendered = Template("{% load i18n thai %}" + source).render(Context({"n": 12}))
    assert rendered == expected


def test_a_messages_numbers_are_put_in_thai_digits_and_nothing_else():
    params = {"count": 31, "share": Decimal("0.5"), "code": "K0202", "flag": True}
    assert thai_numbers(params) == {"count": "๓๑", "share": "๐.๕", "code": "K0202", "flag": True}
    with translation.override("en"):
        assert thai_numbers({"count": 31}) == {"count": "31"}
