"""Two-factor sign-in in a real Chromium on a phone: an HR officer scans (here: reads the key),
confirms with the app's code, and the next login asks for the code before the home page."""

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import PASSWORD, UserFactory
from tests.integration.test_two_factor import code_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def password_step(page):
    page.goto("/accounts/login/")
    page.get_by_label("ชื่อผู้ใช้").fill("hr_officer")
    page.get_by_label("รหัสผ่าน").fill(PASSWORD)
    page.get_by_role("button", name="เข้าสู่ระบบ").click()
    page.wait_for_load_state()


def test_an_hr_officer_turns_it_on_and_logs_in_with_the_code(phone, live_server, seed_framework):
    hr = UserFactory(username="hr_officer", hr=True)
    refused = []
    phone.on("console", lambda m: refused.append(m.text) if "Content Security" in m.text else None)

    password_step(phone)
    phone.goto("/accounts/two-factor/")
    assert phone.get_by_role("img", name="คิวอาร์โค้ดสำหรับแอปยืนยันตัวตน").is_visible()
    assert phone.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    device = TOTPDevice.objects.get(user=hr)
    assert phone.locator("code").inner_text().replace(" ", "") in device.config_url
    phone.get_by_label("รหัสจากแอป").fill(code_for(device))
    phone.get_by_role("button", name="เปิดใช้การยืนยันตัวตนสองขั้นตอน").click()
    phone.get_by_role("button", name="ปิดการยืนยันตัวตนสองขั้นตอน").wait_for()

    phone.get_by_role("button", name="เปิดเมนู").click()
    phone.get_by_role("button", name="ออกจากระบบ").first.click()
    phone.wait_for_url("**/accounts/login/")
    password_step(phone)
    assert "/accounts/two-factor/code/" in phone.url
    phone.get_by_label("รหัสจากแอป").fill(code_for(device, later=1))
    phone.get_by_role("button", name="ดำเนินการต่อ").click()
    phone.wait_for_url(f"{live_server.url}/")  # the home page
    assert refused == []
