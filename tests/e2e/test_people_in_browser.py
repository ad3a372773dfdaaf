"""HR keeps the list of people in a real browser, on a desktop and on a phone: add a person
through the form, edit them, deactivate them (asked first), and the list shows each step."""

import re

import pytest
from playwright.sync_api import expect

from assessments.models import Department, Employee
from framework.models import PositionClass
from tests.cast import make_cast
from tests.e2e.conftest import log_in
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NO_SIDEWAYS_SCROLL = "() => document.scrollingElement.scrollWidth <= window.innerWidth + 1"


@pytest.fixture
def people(seed_framework):
    return make_cast()


def open_people_list(page):
    menu = page.get_by_role("button", name="เปิดเมนู")
    if menu.is_visible():  # a phone: the menu is folded
        menu.click()
    nav = page.get_by_role("navigation", name="เมนูหลัก")
    nav.get_by_role("button", name="งานการเจ้าหน้าที่").click()
    nav.get_by_role("link", name="บุคลากร", exact=True).click()
    page.wait_for_url("**/hr/people/")


def fits_the_width(page, width):
    """At phone width, the page itself never scrolls sideways (a wide table scrolls in its
    own box)."""
    if width < 600:
        assert page.evaluate(NO_SIDEWAYS_SCROLL), f"{page.url} scrolls sideways at {width} px"


def field(page, label):
    """The form field of this label (a required one's label ends with "*")."""
    return page.get_by_label(re.compile(rf"^\s*{re.escape(label)}\s*\*?\s*$"))


def row_of(page, code):
    return page.locator("table.people-list tbody tr").filter(has_text=code)


@pytest.mark.parametrize("width", [1280, 390])
def test_add_edit_and_deactivate_a_person(page, people, width):
    page.set_viewport_size({"width": width, "height": 900})
    log_in(page, "hr", PASSWORD)
    open_people_list(page)
    assert row_of(page, "K0202").get_by_role("rowheader").inner_text() == "นายสมชาย ทดสอบ"
    fits_the_width(page, width)

    # add a person
    page.get_by_role("link", name="เพิ่มบุคลากร").click()
    expect(page.get_by_role("heading", name="เพิ่มบุคลากร")).to_be_visible()
    fits_the_width(page, width)
    field(page, "รหัสบุคลากร").fill("K0204")
    field(page, "คำนำหน้าชื่อ").fill("นางสาว")
    field(page, "ชื่อ").fill("สมหญิง")
    field(page, "นามสกุล").fill("รักงาน")
    field(page, "ตำแหน่ง").fill("นักวิชาการเงินและบัญชี")
    aca2 = PositionClass.objects.get(code="ACA-2")
    field(page, "ประเภทตำแหน่ง").select_option(str(aca2.pk))
    finance = Department.objects.get(name_th="กองคลัง")
    field(page, "สังกัด").select_option(str(finance.pk))
    field(page, "ผู้บังคับบัญชา").select_option(str(people.head.pk))
    field(page, "อีเมล").fill("somying@example.org")
    page.get_by_role("button", name="บันทึก", exact=True).click()
    page.wait_for_url("**/hr/people/")
    expect(page.get_by_text("เพิ่ม นางสาวสมหญิง รักงาน เรียบร้อยแล้ว")).to_be_visible()
    added = Employee.objects.select_related("user").get(employee_code="K0204")
    assert (added.title, added.first_name, added.last_name) == ("นางสาว", "สมหญิง", "รักงาน")
    assert added.position_class == aca2
    assert added.department == finance
    assert added.supervisor == people.head
    assert added.active
    assert added.user.username == "k0204"  # no username typed: the code in small letters
    row = row_of(page, "K0204")
    assert row.get_by_role("rowheader").inner_text() == "นางสาวสมหญิง รักงาน"
    assert "ACA-2" in row.inner_text()
    assert "ใช้งานอยู่" in row.inner_text()

    # edit them: a new position title and a new division
    row.get_by_role("link", name="แก้ไข").click()
    expect(page.get_by_role("heading", name="แก้ไขข้อมูล นางสาวสมหญิง รักงาน")).to_be_visible()
    fits_the_width(page, width)
    assert field(page, "รหัสบุคลากร").input_value() == "K0204"
    field(page, "ตำแหน่ง").fill("นักวิชาการเงินและบัญชีชำนาญการ")
    field(page, "สังกัด").select_option("")
    field(page, "หรือเพิ่มสังกัดใหม่").fill("กองการศึกษา")
    page.get_by_role("button", name="บันทึก", exact=True).click()
    page.wait_for_url("**/hr/people/")
    expect(page.get_by_text("บันทึกข้อมูลของ นางสาวสมหญิง รักงาน เรียบร้อยแล้ว")).to_be_visible()
    edited = Employee.objects.select_related("department").get(employee_code="K0204")
    assert edited.position_title == "นักวิชาการเงินและบัญชีชำนาญการ"
    assert edited.department.name_th == "กองการศึกษา"
    row = row_of(page, "K0204")
    assert "นักวิชาการเงินและบัญชีชำนาญการ" in row.inner_text()
    assert "กองการศึกษา" in row.inner_text()

    # deactivate them: asked first, "cancel" changes nothing, "yes" goes ahead
    row.get_by_role("link", name="แก้ไข").click()
    page.get_by_role("button", name="ปิดการใช้งาน").click()
    dialog = page.get_by_role("dialog")
    assert "นางสาวสมหญิง รักงาน" in dialog.inner_text()
    assert "เข้าสู่ระบบไม่ได้" in dialog.inner_text()
    fits_the_width(page, width)
    dialog.get_by_role("button", name="ยกเลิก").click()
    dialog.wait_for(state="detached")
    assert Employee.objects.get(employee_code="K0204").active
    page.get_by_role("button", name="ปิดการใช้งาน").click()
    page.get_by_role("dialog").get_by_role("button", name="ยืนยัน ดำเนินการต่อ").click()
    page.get_by_role("button", name="เปิดการใช้งานอีกครั้ง").wait_for()
    expect(page.get_by_text("ปิดการใช้งาน นางสาวสมหญิง รักงาน แล้ว")).to_be_visible()
    gone = Employee.objects.select_related("user").get(employee_code="K0204")
    assert not gone.active
    assert not gone.user.is_active  # and the login with them

    # the list: not among the active people, shown as inactive among all
    page.locator(".breadcrumb").get_by_role("link", name="บุคลากร").click()
    page.wait_for_url("**/hr/people/")
    assert row_of(page, "K0204").count() == 0
    assert row_of(page, "K0202").count() == 1
    page.get_by_label("สถานะ").select_option("all")
    page.get_by_role("button", name="แสดง", exact=True).click()
    page.wait_for_url("**status=all**")
    row = row_of(page, "K0204")
    expect(row.locator(".badge").filter(has_text="ปิดการใช้งาน")).to_be_visible()
    fits_the_width(page, width)
