"""A question before what cannot be undone (issue 12, point 5): the dialog says what will
happen; "cancel" leaves everything as it was, "yes" goes ahead."""

import pytest

from assessments.models import Employee
from tests.cast import make_cast
from tests.e2e.conftest import log_in
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def people(seed_framework):
    return make_cast()


def test_deactivating_a_person_asks_first(page, people):
    log_in(page, "hr", PASSWORD)
    page.goto(f"/hr/people/{people.malee.pk}/edit/")
    page.get_by_role("button", name="ปิดการใช้งาน").click()
    dialog = page.get_by_role("dialog")
    assert people.malee.full_name in dialog.inner_text()
    assert "เข้าสู่ระบบไม่ได้" in dialog.inner_text()

    dialog.get_by_role("button", name="ยกเลิก").click()
    dialog.wait_for(state="detached")
    assert Employee.objects.get(pk=people.malee.pk).active

    page.get_by_role("button", name="ปิดการใช้งาน").click()
    page.get_by_role("dialog").get_by_role("button", name="ยืนยัน ดำเนินการต่อ").click()
    page.wait_for_load_state()
    page.get_by_role("button", name="เปิดการใช้งานอีกครั้ง").wait_for()
    assert not Employee.objects.get(pk=people.malee.pk).active
