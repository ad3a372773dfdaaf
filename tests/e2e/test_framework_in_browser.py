import pytest

from framework.models import Indicator
from tests.e2e.conftest import log_in
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_log_in_and_read_the_framework(page, seed_framework, somchai):
    log_in(page, "somchai", PASSWORD)
    assert page.locator("html").get_attribute("lang") == "th"
    page.get_by_role("link", name="อ่านกรอบสมรรถนะ").click()
    heading = page.get_by_role("heading", name="ทักษะการสื่อสาร")
    assert heading.is_visible()
    last = Indicator.objects.get(level__competency__code="LOCAL", level__number=5, number=3)
    assert page.get_by_text(last.text).is_visible()
    section = page.locator("#ACH")
    assert section.locator(".level").count() == 5
    assert "ระดับ ๕" in section.locator(".level").nth(4).inner_text()


def test_the_framework_page_fits_a_phone(phone, seed_framework, somchai):
    log_in(phone, "somchai", PASSWORD)
    phone.goto("/framework/")
    assert phone.locator("#SDEV-title").is_visible()
    overflow = phone.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    font = phone.evaluate("getComputedStyle(document.body).fontFamily")
    assert font.startswith('"Sarabun"') or font.startswith("Sarabun")
    loaded = phone.evaluate("document.fonts.check('16px Sarabun')")
    assert loaded


def test_the_menu_opens_by_keyboard_on_a_phone(phone, seed_framework, somchai):
    log_in(phone, "somchai", PASSWORD)
    toggle = phone.get_by_role("button", name="เปิดเมนู")
    toggle.focus()
    phone.keyboard.press("Enter")
    link = phone.get_by_role("link", name="กรอบสมรรถนะ", exact=True)
    link.wait_for(state="visible")
    link.click()
    phone.wait_for_url("**/framework/")
