"""HR's two CSV imports in a real browser, on a desktop and on a phone: the staff file and the
ratings keyed in from paper forms. Each is checked first (a preview, nothing written), then
confirmed; a file with a bad line is refused with the line named, and nothing is imported."""

import re

import pytest
from playwright.sync_api import expect

from assessments.models import Department, Employee, Rating
from framework.models import Indicator
from tests.cast import make_cast, open_round
from tests.e2e.conftest import log_in
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

STAFF_HEADER = (
    "employee_code,title,first_name,last_name,position_title,position_class,department,"
    "supervisor_code,email,username"
)
RATINGS_HEADER = "employee_code,role,competency,level,indicator,value"
NO_SIDEWAYS_SCROLL = "() => document.scrollingElement.scrollWidth <= window.innerWidth + 1"


@pytest.fixture
def people(seed_framework):
    return make_cast()


def fits_the_width(page, width):
    """At phone width, the page itself never scrolls sideways (a wide table scrolls in its
    own box)."""
    if width < 600:
        assert page.evaluate(NO_SIDEWAYS_SCROLL), f"{page.url} scrolls sideways at {width} px"


def open_hr_page(page, name):
    menu = page.get_by_role("button", name="เปิดเมนู")
    if menu.is_visible():  # a phone: the menu is folded
        menu.click()
    nav = page.get_by_role("navigation", name="เมนูหลัก")
    nav.get_by_role("button", name="งานการเจ้าหน้าที่").click()
    nav.get_by_role("link", name=name, exact=True).click()


def shown(text):
    """The whole of an element's text, exactly."""
    return re.compile(f"^{re.escape(text)}$")


def write_csv(tmp_path, name, lines):
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def open_staff_import(page):
    open_hr_page(page, "บุคลากร")
    page.get_by_role("link", name="นำเข้าจากไฟล์ CSV").click()
    page.wait_for_url("**/hr/people/import/")
    expect(page.get_by_role("heading", name="นำเข้ารายชื่อบุคลากร")).to_be_visible()


@pytest.mark.parametrize("width", [1280, 390])
def test_staff_csv_checked_then_imported(page, people, tmp_path, width):
    page.set_viewport_size({"width": width, "height": 900})
    log_in(page, "hr", PASSWORD)
    open_staff_import(page)
    fits_the_width(page, width)

    # the template to fill in carries the columns the import expects
    with page.expect_download() as download:
        page.get_by_role("link", name="ดาวน์โหลดไฟล์ต้นแบบ (CSV)").click()
    template = download.value.path().read_text(encoding="utf-8-sig").splitlines()
    assert template[0] == STAFF_HEADER

    malee = people.malee
    staff = write_csv(
        tmp_path,
        "staff.csv",
        [
            STAFF_HEADER,
            "K0401,นาง,สุดา,มั่นคง,นักวิชาการสาธารณสุข,ACA-2,กองสาธารณสุข,K0201,suda@example.org,",
            f"K0203,{malee.title},มาลี,ทดสอบ,เจ้าพนักงานธุรการชำนาญงาน,GEN-2,กองคลัง,K0201,,",
        ],
    )
    page.get_by_label("ไฟล์รายชื่อบุคลากร (CSV, UTF-8)").set_input_files(staff)
    page.get_by_role("button", name="ตรวจสอบไฟล์").click()

    # the preview: what each line would do, and nothing written yet
    expect(page.get_by_role("heading", name="ตรวจสอบก่อนนำเข้า")).to_be_visible()
    fits_the_width(page, width)
    rows = page.locator("table.import-preview tbody tr")
    assert rows.count() == 2
    new = rows.filter(has_text="K0401")
    assert new.get_by_role("rowheader").inner_text() == "นางสุดา มั่นคง"
    assert "เพิ่มใหม่" in new.inner_text()
    changed = rows.filter(has_text="K0203")
    assert "ปรับปรุง" in changed.inner_text()
    assert "position_title" in changed.inner_text()
    expect(
        page.get_by_text(shown("จะเพิ่มบุคลากรใหม่ ๑ คน ปรับปรุง ๑ คน ไม่เปลี่ยนแปลง ๐ คน"))
    ).to_be_visible()
    expect(page.get_by_text("สังกัดใหม่: กองสาธารณสุข")).to_be_visible()
    assert not Employee.objects.filter(employee_code="K0401").exists()
    assert not Department.objects.filter(name_th="กองสาธารณสุข").exists()
    assert Employee.objects.get(pk=malee.pk).position_title == malee.position_title

    # confirmed: written, and the list shows them
    page.get_by_role("button", name="นำเข้ารายชื่อเหล่านี้").click()
    page.wait_for_url("**/hr/people/")
    done = shown("นำเข้าเรียบร้อยแล้ว เพิ่มบุคลากรใหม่ ๑ คน ปรับปรุง ๑ คน ไม่เปลี่ยนแปลง ๐ คน")
    expect(page.get_by_text(done)).to_be_visible()
    fits_the_width(page, width)
    suda = Employee.objects.select_related("department", "supervisor", "position_class", "user")
    suda = suda.get(employee_code="K0401")
    assert (suda.title, suda.first_name, suda.last_name) == ("นาง", "สุดา", "มั่นคง")
    assert suda.department.name_th == "กองสาธารณสุข"
    assert suda.supervisor == people.head
    assert suda.position_class.code == "ACA-2"
    assert suda.user.username == "k0401"
    assert suda.active
    updated = Employee.objects.select_related("position_class").get(pk=malee.pk)
    assert updated.position_title == "เจ้าพนักงานธุรการชำนาญงาน"
    assert updated.position_class.code == "GEN-2"
    listed = page.locator("table.people-list tbody tr").filter(has_text="K0401")
    assert listed.get_by_role("rowheader").inner_text() == "นางสุดา มั่นคง"
    assert "กองสาธารณสุข" in listed.inner_text()


@pytest.mark.parametrize("width", [1280, 390])
def test_a_staff_csv_with_a_bad_line_is_refused_and_nothing_is_imported(
    page, people, tmp_path, width
):
    page.set_viewport_size({"width": width, "height": 900})
    before = set(Employee.objects.values_list("employee_code", flat=True))
    log_in(page, "hr", PASSWORD)
    open_staff_import(page)
    staff = write_csv(
        tmp_path,
        "staff.csv",
        [
            STAFF_HEADER,
            "K0401,นาง,สุดา,มั่นคง,นักวิชาการสาธารณสุข,ACA-2,กองสาธารณสุข,K0201,,",
            "K0402,นาย,ปกรณ์,ขยัน,นายช่างโยธา,XYZ-9,กองช่าง,K0301,,",
        ],
    )
    page.get_by_label("ไฟล์รายชื่อบุคลากร (CSV, UTF-8)").set_input_files(staff)
    page.get_by_role("button", name="ตรวจสอบไฟล์").click()

    alert = page.get_by_role("alert").filter(has_text="ยังไม่มีการนำเข้าข้อมูลใด ๆ")
    expect(alert).to_be_visible()
    errors = alert.locator("li").all_inner_texts()
    assert len(errors) == 1
    assert shown('แถวที่ ๓ คอลัมน์ position_class: ไม่พบประเภทตำแหน่ง "XYZ-9"').match(errors[0])
    assert page.get_by_role("button", name="นำเข้ารายชื่อเหล่านี้").count() == 0
    fits_the_width(page, width)
    # nothing imported, not even the good line
    assert set(Employee.objects.values_list("employee_code", flat=True)) == before
    assert not Department.objects.filter(name_th="กองสาธารณสุข").exists()


@pytest.mark.parametrize("width", [1280, 390])
def test_paper_ratings_checked_then_imported(page, people, tmp_path, width):
    page.set_viewport_size({"width": width, "height": 900})
    open_round(people)
    somchai, malee = people.somchai_assessment, people.malee_assessment
    ach1 = Indicator.objects.filter(level__competency__code="ACH", level__number=1)
    assert ach1.count() >= 2
    log_in(page, "hr", PASSWORD)
    open_hr_page(page, "ติดตามความคืบหน้า")
    page.get_by_role("link", name="นำเข้าผลจากแบบกระดาษ").click()
    page.wait_for_url("**/hr/ratings/")
    expect(page.get_by_role("heading", name="นำเข้าผลการประเมินจากแบบฟอร์มกระดาษ")).to_be_visible()
    fits_the_width(page, width)

    ratings = write_csv(
        tmp_path,
        "ratings.csv",
        [
            RATINGS_HEADER,
            "K0202,self,ACH,1,1,1",
            "K0202,self,ACH,1,2,0",
            "K0203,self,COM,1,1,1",
        ],
    )
    page.get_by_label("ไฟล์ผลการประเมิน (CSV, UTF-8)").set_input_files(ratings)
    page.get_by_role("button", name="ตรวจสอบไฟล์").click()

    # the preview, nothing written yet
    expect(page.get_by_role("heading", name="ตรวจสอบก่อนนำเข้า")).to_be_visible()
    expect(page.get_by_text("ผลการประเมินจะบันทึกเป็นร่าง ยังไม่มีการส่ง")).to_be_visible()
    fits_the_width(page, width)
    rows = page.locator("table.import-preview tbody tr")
    assert rows.count() == 2
    assert rows.filter(has_text="K0202").get_by_role("rowheader").inner_text() == "นายสมชาย ทดสอบ"
    assert "การประเมินตนเอง" in rows.filter(has_text="K0203").inner_text()
    summary = shown("รอบการประเมิน ๒๕๖๙-๑ บุคลากร ๒ คน ผลการประเมิน ๓ ข้อ (ใหม่ ๓, เปลี่ยน ๐, ไม่เปลี่ยน ๐)")
    expect(page.get_by_text(summary)).to_be_visible()
    assert not Rating.objects.exists()

    # confirmed: the ratings are saved as the self-assessments' drafts
    page.get_by_role("button", name="นำเข้าผลการประเมินเหล่านี้").click()
    page.wait_for_url(f"**/cycles/{people.cycle.pk}/")
    done = shown(
        "นำเข้าผลการประเมินในรอบการประเมิน ๒๕๖๙-๑ แล้ว บุคลากร ๒ คน (ใหม่ ๓, เปลี่ยน ๐, ไม่เปลี่ยน ๐)"
    )
    expect(page.get_by_text(done)).to_be_visible()
    fits_the_width(page, width)
    saved = {
        (r.assessment_id, r.role, r.indicator.level.competency.code, r.indicator.number): r.value
        for r in Rating.objects.select_related("indicator__level__competency")
    }
    assert saved == {
        (somchai.pk, "self", "ACH", 1): 1,
        (somchai.pk, "self", "ACH", 2): 0,
        (malee.pk, "self", "COM", 1): 1,
    }
    somchai.refresh_from_db()
    assert somchai.self_state == "in_progress"  # a draft: nothing submitted
    assert {r.rated_by.username for r in Rating.objects.select_related("rated_by")} == {"hr"}
