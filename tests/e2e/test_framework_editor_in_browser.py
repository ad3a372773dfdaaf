"""HR changes the framework in a real browser: new version, edit an indicator, preview, diff,
publish, and a new round shows the new wording to the person rating themself."""

import pytest

from assessments.models import Assessment
from framework.models import Indicator
from tests.cast import make_cast
from tests.e2e.conftest import log_in
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NO_SIDEWAYS_SCROLL = "() => document.scrollingElement.scrollWidth <= window.innerWidth + 1"
NEW_TEXT = "จับประเด็นและสรุปสาระสำคัญจากการฟังหรือการอ่านได้อย่างถูกต้องและรวดเร็ว"


def open_menu(page):
    """On a phone the main menu is folded behind its button: unfold it first."""
    menu = page.get_by_role("button", name="เปิดเมนู")
    if menu.is_visible():
        menu.click()


def fits_the_width(page, width):
    """At phone width, the page itself never scrolls sideways (a wide table scrolls in its
    own box)."""
    if width < 600:
        assert page.evaluate(NO_SIDEWAYS_SCROLL), f"{page.url} scrolls sideways at {width} px"


def open_hr_page(page, name, exact=False):
    open_menu(page)
    page.get_by_role("button", name="งานการเจ้าหน้าที่").click()
    page.get_by_role("link", name=name, exact=exact).click()


@pytest.mark.parametrize("width", [1280, 390])
def test_new_version_edit_preview_diff_publish_and_a_new_round(page, seed_framework, width):
    page.set_viewport_size({"width": width, "height": 900})
    make_cast()
    old = Indicator.objects.get(level__competency__code="COM", level__number=2, number=1)

    log_in(page, "hr", PASSWORD)
    open_hr_page(page, "แก้ไขกรอบสมรรถนะ")
    page.get_by_role("button", name="สร้างฉบับใหม่").click()
    assert page.get_by_text("สร้างฉบับที่ ๒ เป็นฉบับร่างแล้ว").is_visible()

    # edit one indicator of COM level 2
    page.get_by_role("listitem").filter(has_text="ทักษะการสื่อสาร").get_by_role(
        "link", name="แก้ไข"
    ).click()
    box = page.locator("#id_level2-ind-0-text")
    fits_the_width(page, width)
    assert box.input_value() == old.text
    box.fill(NEW_TEXT)
    page.get_by_role("button", name="บันทึกสมรรถนะ").click()
    assert page.get_by_text("ทักษะการสื่อสาร").first.is_visible()
    assert page.get_by_role("alert").filter(has_text="ทักษะการสื่อสาร").is_visible()

    # preview as raters see it
    page.get_by_role("link", name="ดูตัวอย่างตามที่ผู้ประเมินเห็น").click()
    assert page.get_by_text(NEW_TEXT).is_visible()
    fits_the_width(page, width)
    page.go_back()

    # the diff marks the change
    page.get_by_role("link", name="เปรียบเทียบกับฉบับที่ประกาศใช้").click()
    assert page.locator("tr.diff-changed").count() == 1
    assert page.locator("tr.diff-changed ins").count() >= 1
    fits_the_width(page, width)
    page.go_back()

    # publish
    page.get_by_role("button", name="ประกาศใช้ฉบับนี้").click()
    dialog = page.get_by_role("dialog")  # asked first: it cannot be undone
    assert "แก้ไขไม่ได้อีก" in dialog.inner_text()
    dialog.get_by_role("button", name="ยืนยัน ดำเนินการต่อ").click()
    assert page.get_by_text("ประกาศใช้ฉบับที่ ๒ แล้ว").is_visible()

    # a new round takes version 2
    open_hr_page(page, "รอบการประเมิน", exact=True)
    page.get_by_label("ปีงบประมาณ (พ.ศ.)").fill("2569")
    page.get_by_role("button", name="สร้างรอบการประเมิน").click()
    page.get_by_role("button", name="เปิดรอบการประเมิน").click()
    assert (
        page.get_by_text("เปิดรอบการประเมิน ๒๕๖๙-๑ แล้ว").count() + page.get_by_text("2569-1").count()
        > 0
    )
    open_menu(page)
    page.get_by_role("button", name="ออกจากระบบ").click()

    log_in(page, "somchai", PASSWORD)
    page.get_by_role("link", name="ประเมินตนเอง").click()
    assert page.get_by_text(NEW_TEXT).is_visible()
    fits_the_width(page, width)
    assert page.get_by_text(old.text, exact=True).count() == 0
    assessment = Assessment.objects.get(employee__user__username="somchai")
    assert assessment.cycle.framework.version == 2
