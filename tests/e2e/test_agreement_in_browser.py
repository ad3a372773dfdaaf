"""The performance agreement in a real browser, at 1280 and 390 px (issue 15): the rater
writes two indicators with their targets and the levels reached, the work results follow; the
person reads the agreement and confirms it with a comment."""

from decimal import Decimal

import pytest

from assessments.models import Assessment, Cycle, WorkIndicator
from tests.cast import make_cast, open_round
from tests.e2e.conftest import log_in
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

INDICATORS = [  # (words, unit, weight, targets, level): (3 × 70 + 5 × 30) ÷ 500 × 100 = 72.00
    ("ร้อยละของฎีกาที่ตรวจเสร็จภายในสามวัน", "ร้อยละ", "70", ["60", "70", "80", "90", "100"], "3"),
    ("จำนวนรายงานที่ส่งตรงเวลา", "ฉบับ", "30", ["8", "9", "10", "11", "12"], "5"),
]


@pytest.fixture
def agreed_round(seed_framework):
    cast = make_cast()
    open_round(cast)
    Cycle.objects.filter(pk=cast.cycle.pk).update(work_results_method="indicators")
    return cast


def fits_the_width(page, width):
    scroll = page.evaluate("() => document.scrollingElement.scrollWidth")
    assert scroll <= width + 1, f"the page scrolls sideways: {scroll} px at {width} px"


@pytest.mark.parametrize("width", [1280, 390])
def test_the_rater_writes_the_agreement_and_the_person_confirms_it(page, agreed_round, width):
    page.set_viewport_size({"width": width, "height": 900})
    cast = agreed_round
    url = f"/assessments/{cast.somchai_assessment.pk}/agreement/"
    log_in(page, cast.head.user.username, PASSWORD)
    page.goto(url)
    for n, (words, unit, weight, targets, level) in enumerate(INDICATORS):
        page.locator(f'[name="w-{n}-title"]').fill(words)
        page.locator(f'[name="w-{n}-unit"]').fill(unit)
        page.locator(f'[name="w-{n}-weight"]').fill(weight)
        for target_level, target in enumerate(targets, start=1):
            page.locator(f'[name="w-{n}-target_{target_level}"]').fill(target)
        page.locator(f'[name="w-{n}-achieved_level"]').select_option(level)
    fits_the_width(page, width)
    page.get_by_role("button", name="บันทึกข้อตกลง").click()
    page.get_by_text("บันทึกข้อตกลงแล้ว").wait_for()
    assert "๗๒.๐๐" in page.locator(".work-summary").inner_text()
    assert WorkIndicator.objects.filter(assessment=cast.somchai_assessment).count() == 2
    saved = Assessment.objects.get(pk=cast.somchai_assessment.pk)
    assert saved.work_results == Decimal("72.00")

    page.context.clear_cookies()
    log_in(page, cast.somchai.user.username, PASSWORD)
    page.goto(url)
    assert INDICATORS[1][0] in page.content()
    fits_the_width(page, width)
    page.get_by_label("ความเห็น (ถ้ามี)").fill("เห็นด้วยกับค่าเป้าหมาย")
    page.get_by_role("button", name="ข้าพเจ้าได้อ่านและยืนยันข้อตกลงนี้").click()
    page.get_by_text("คุณยืนยันข้อตกลงแล้ว").wait_for()
    confirmed = Assessment.objects.get(pk=cast.somchai_assessment.pk)
    assert confirmed.agreement_confirmed_at is not None
    assert confirmed.agreement_comment == "เห็นด้วยกับค่าเป้าหมาย"
