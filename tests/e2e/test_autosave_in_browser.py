"""Autosave in a real browser (issue 12, points 1 and 2): rate, wait, leave, come back: kept;
the counters follow the clicks; leaving with something unsaved asks first."""

import re

import pytest
from playwright.sync_api import expect

from framework.models import Indicator
from tests.cast import make_cast, open_round
from tests.e2e.conftest import log_in
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SAVED = re.compile("บันทึกแล้ว เวลา")


@pytest.fixture
def people(seed_framework):
    cast = make_cast()
    open_round(cast)
    return cast


def indicators():
    return list(Indicator.objects.order_by("level__competency__order", "level__number", "number"))


def open_self_assessment(page, people):
    log_in(page, "somchai", PASSWORD)
    page.goto(f"/assessments/{people.somchai_assessment.pk}/self/")


@pytest.mark.parametrize("width", [1280, 390])
def test_rate_wait_leave_and_come_back(page, people, width):
    page.set_viewport_size({"width": width, "height": 900})
    open_self_assessment(page, people)
    first, second, third = indicators()[:3]
    for indicator, value in ((first, 1), (second, 1), (third, 0)):
        page.locator(f"label[for='r{indicator.pk}-{value}']").click()
    page.get_by_label("หลักฐานและความเห็น").first.fill("รายงานผลงานประจำไตรมาส")
    assert page.locator(".rated-count").inner_text() == "๓"
    status = page.locator(".save-state")
    assert status.inner_text() in ("ยังไม่บันทึก", "กำลังบันทึก…")

    expect(status).to_have_text(SAVED, timeout=10_000)
    page.get_by_role("link", name="หน้าแรก").first.click()  # no question: all is saved
    page.wait_for_url("**/")
    page.goto(f"/assessments/{people.somchai_assessment.pk}/self/")

    assert page.locator(f"#r{first.pk}-1").is_checked()
    assert page.locator(f"#r{third.pk}-0").is_checked()
    assert page.get_by_label("หลักฐานและความเห็น").first.input_value() == "รายงานผลงานประจำไตรมาส"
    assert page.locator(".rated-count").inner_text() == "๓"


def test_leaving_with_an_unsaved_change_asks_first(page, people):
    open_self_assessment(page, people)
    asked = []

    def answer(dialog):
        asked.append(dialog.type)
        dialog.dismiss()

    page.on("dialog", answer)
    first = indicators()[0]
    page.locator(f"label[for='r{first.pk}-1']").click()
    page.get_by_role("link", name="หน้าแรก").first.click()  # before the background save
    page.wait_for_timeout(300)

    assert asked == ["beforeunload"]
    assert "/self/" in page.url


def test_next_unrated_follows_the_clicks(page, people):
    open_self_assessment(page, people)
    first, second = indicators()[:2]
    link = page.get_by_role("link", name="ข้อถัดไปที่ยังไม่ประเมิน")
    assert link.get_attribute("href") == f"#i{first.pk}"
    page.locator(f"label[for='r{first.pk}-1']").click()
    assert link.get_attribute("href") == f"#i{second.pk}"
