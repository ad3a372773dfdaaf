"""The whole round in a real browser: self-assessment, supervisor rating, acknowledgement,
the next-level opinion, HR finalisation, and results the scoring rules give."""

import pytest

from assessments.models import Assessment
from framework.models import Indicator
from tests.cast import make_cast, open_round
from tests.e2e.conftest import log_in
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def choose(page, reached):
    """Click a rating for every indicator: shown up to `reached[code]`, not above."""
    for indicator in Indicator.objects.select_related("level__competency"):
        shown = indicator.level.number <= reached[indicator.level.competency.code]
        page.locator(f"label[for='r{indicator.pk}-{1 if shown else 0}']").click()


def submit_and_confirm(page):
    """Submit asks first, in a dialog that says what will happen; the safe answer has focus."""
    page.get_by_role("button", name="ส่งผลการประเมิน (แก้ไขไม่ได้อีก)").click()
    dialog = page.get_by_role("dialog")
    assert "แก้ไขไม่ได้อีก" in dialog.inner_text()
    dialog.get_by_role("button", name="ยืนยัน ดำเนินการต่อ").click()


def log_out(page):
    menu = page.get_by_role("button", name="เปิดเมนู")
    if menu.is_visible():  # a phone: the menu is folded
        menu.click()
    page.get_by_role("button", name="ออกจากระบบ").click()
    page.wait_for_url("**/accounts/login/**")


@pytest.fixture
def people(seed_framework):
    cast = make_cast()
    open_round(cast)
    return cast


@pytest.mark.parametrize("width", [1280, 390])
def test_a_whole_round(page, people, width):
    page.set_viewport_size({"width": width, "height": 900})
    a = people.somchai_assessment

    # Somchai saves a draft, then submits
    log_in(page, "somchai", PASSWORD)
    page.get_by_role("link", name="ประเมินตนเอง").click()
    first = Indicator.objects.order_by("level__competency__order", "level__number", "number")[0]
    page.locator(f"label[for='r{first.pk}-1']").click()
    page.get_by_role("button", name="บันทึกร่าง").click()
    assert page.get_by_text("บันทึกร่างเรียบร้อยแล้ว").is_visible()
    submit_and_confirm(page)
    assert page.get_by_text("ยังไม่ได้ประเมินพฤติกรรมบ่งชี้ ๖๕ ข้อ").is_visible()
    choose(page, {"ACH": 5, "COM": 3, "SDEV": 2, "LOCAL": 2})
    page.get_by_label("หลักฐานและความเห็น").first.fill("ส่งงานครบตามกำหนดทุกชิ้น")
    submit_and_confirm(page)
    assert page.get_by_text("ส่งผลการประเมินแล้ว และแก้ไขไม่ได้อีก").is_visible()
    assert page.locator("input[type=radio]:not([disabled])").count() == 0
    log_out(page)

    # The head sees the self-ratings, rates, enters work results, submits
    log_in(page, "head", PASSWORD)
    page.get_by_role("link", name="เปิดทีมของฉัน").click()
    page.get_by_role("row", name="สมชาย").get_by_role("link", name="ประเมิน", exact=True).click()
    assert page.locator(".self-rating").first.inner_text().endswith("แสดงพฤติกรรม")
    assert page.get_by_text("ส่งงานครบตามกำหนดทุกชิ้น").is_visible()
    choose(page, {"ACH": 3, "COM": 1, "SDEV": 0, "LOCAL": 1})
    page.get_by_label("คะแนนผลสัมฤทธิ์ของงาน (ร้อยละ 0–100)").fill("80")
    submit_and_confirm(page)
    assert page.get_by_text("ส่งผลการประเมินแล้ว").is_visible()
    log_out(page)

    # Somchai reads the results and acknowledges them
    log_in(page, "somchai", PASSWORD)
    page.get_by_role("link", name="ผลการประเมินของฉัน").click()
    page.get_by_role("button", name="รับทราบผลการประเมิน").click()
    assert page.get_by_text("ท่านได้รับทราบผลการประเมินแล้ว").is_visible()
    log_out(page)

    # The next-level supervisor agrees
    log_in(page, "palad", PASSWORD)
    page.goto(f"/assessments/{a.pk}/")
    page.get_by_label("เห็นด้วยกับผลการประเมิน").check()
    page.get_by_role("button", name="บันทึกความเห็น").click()
    assert page.get_by_text("บันทึกความเห็นของท่านแล้ว").is_visible()
    log_out(page)

    # HR finalises; the results are those of the scoring rules
    log_in(page, "hr", PASSWORD)
    page.goto(f"/assessments/{a.pk}/")
    page.get_by_role("button", name="ยืนยันผล").click()
    assert page.get_by_text("ยืนยันผลการประเมินแล้ว").is_visible()
    assert Assessment.objects.get(pk=a.pk).is_finalized
    # ACA-1 expects 1 everywhere: ACH 3 → +2, 3 pts; COM 1 → 0, 3; SDEV 0 → −1, 2; LOCAL 1 → 0, 3
    cells = {
        code: page.locator(f"tr[data-code='{code}'] td").all_inner_texts()
        for code in ["ACH", "COM", "SDEV", "LOCAL"]
    }
    assert cells["ACH"] == ["๑", "๕", "๓", "+๒", "๓"]
    assert cells["COM"] == ["๑", "๓", "๑", "๐", "๓"]
    assert cells["SDEV"] == ["๑", "๒", "๐", "−๑", "๒"]
    assert cells["LOCAL"] == ["๑", "๒", "๑", "๐", "๓"]
    assert page.locator(".competency-score").inner_text() == "๙๑.๖๗ %"  # 11 of 12 points
    assert page.locator(".appraisal-total").inner_text() == "๘๓.๕๐"  # 27.50 + 56
    assert page.locator(".appraisal-band").inner_text() == "ดีมาก"


def test_the_rating_page_works_by_keyboard_on_a_phone(phone, people):
    log_in(phone, "somchai", PASSWORD)
    phone.goto(f"/assessments/{people.somchai_assessment.pk}/self/")
    first = Indicator.objects.order_by("level__competency__order", "level__number", "number")[0]
    radio = phone.locator(f"#r{first.pk}-0")
    radio.focus()
    phone.keyboard.press("ArrowRight")  # moves to and checks "แสดงพฤติกรรม"
    assert phone.locator(f"#r{first.pk}-1").is_checked()
    overflow = phone.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    phone.get_by_role("button", name="บันทึกร่าง").click()
    assert phone.get_by_text("บันทึกร่างเรียบร้อยแล้ว").is_visible()
    assert Assessment.objects.get(pk=people.somchai_assessment.pk).ratings.count() == 1
