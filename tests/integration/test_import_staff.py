"""Importing staff from the CSV of DOMAIN.md: assessments.imports.staff.import_staff and the
`import_staff` management command."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError

from assessments.imports import staff
from assessments.models import Department, Employee
from framework.models import PositionClass
from tests.conftest import assert_message

HEADER = (
    "employee_code,title,first_name,last_name,position_title,position_class,department,"
    "supervisor_code,email,username"
)
# The chief administrator comes last: a supervisor may appear after the people they supervise.
GOOD_ROWS = [
    "K0201,นาง,รัตนา,ทองดี,ผู้อำนวยการกองคลัง,DIR-1,กองคลัง,K0001,ratana@example.org,ratana",
    "K0202,นาย,สมชาย,ใจดี,นักวิชาการเงินและบัญชีปฏิบัติการ,ACA-1,กองคลัง,K0201,,",
    "K0001,นาย,ประเสริฐ,มั่นคง,ปลัดองค์การบริหารส่วนตำบล,EXE-2,สำนักปลัด,,,",
]


def csv_bytes(rows, bom=False, newline="\n"):
    text = newline.join([HEADER, *rows]) + newline
    return (b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8")


def import_rows(rows, **options):
    return staff.import_staff(rows_or_file=csv_bytes(rows), **options)


def import_errors(rows):
    with pytest.raises(staff.ImportErrors) as caught:
        import_rows(rows)
    return caught.value.messages


@pytest.fixture
def treasury_head(seed_framework):
    """Already in the portal: the head of the treasury division, reporting to nobody."""
    department = Department.objects.create(code="D001", name_th="กองคลัง")
    return Employee.objects.create(
        employee_code="K0201",
        title="นาง",
        first_name="รัตนา",
        last_name="ทองดี",
        position_title="ผู้อำนวยการกองคลัง",
        position_class=PositionClass.objects.get(code="DIR-1"),
        department=department,
    )


def test_a_good_file_creates_people_divisions_and_logins(seed_framework):
    report = import_rows(GOOD_ROWS)

    assert (report.created, report.updated, report.unchanged) == (3, 0, 0)
    assert report.new_departments == ["กองคลัง", "สำนักปลัด"]
    somchai = Employee.objects.get(employee_code="K0202")
    assert somchai.full_name == "นายสมชาย ใจดี"
    assert somchai.position_class.code == "ACA-1"
    assert somchai.department.name_th == "กองคลัง"
    assert somchai.supervisor.employee_code == "K0201"
    # The chief administrator, later in the file, still became the head's supervisor
    assert Employee.objects.get(employee_code="K0201").supervisor.employee_code == "K0001"
    assert Employee.objects.get(employee_code="K0001").supervisor is None


def test_new_divisions_get_the_next_free_codes(seed_framework):
    Department.objects.create(code="D007", name_th="กองช่าง")

    import_rows(GOOD_ROWS)

    assert Department.objects.get(name_th="กองคลัง").code == "D008"
    assert Department.objects.get(name_th="สำนักปลัด").code == "D009"


def test_each_new_person_gets_a_login_without_a_password(seed_framework):
    import_rows(GOOD_ROWS)

    ratana = Employee.objects.get(employee_code="K0201").user
    assert ratana.username == "ratana"
    assert (ratana.first_name, ratana.last_name, ratana.email) == (
        "รัตนา",
        "ทองดี",
        "ratana@example.org",
    )
    assert not ratana.has_usable_password()
    # An empty username becomes the employee code in small letters
    assert Employee.objects.get(employee_code="K0202").user.username == "k0202"


@pytest.mark.parametrize(
    ("bom", "newline"), [(True, "\r\n"), (True, "\n"), (False, "\r\n"), (False, "\n")]
)
def test_the_file_may_have_a_bom_and_windows_or_unix_line_endings(seed_framework, bom, newline):
    report = staff.import_staff(rows_or_file=csv_bytes(GOOD_ROWS, bom=bom, newline=newline))

    assert report.created == 3
    # Nothing of the BOM or the line ending is left in the first and last cells
    assert Employee.objects.filter(employee_code="K0201").exists()
    assert Employee.objects.get(employee_code="K0201").user.username == "ratana"


def test_errors_on_several_lines_import_nothing_and_name_each_line(seed_framework):
    rows = [
        GOOD_ROWS[2],
        "K0202,นาย,สมชาย,ใจดี,นักวิชาการ,XYZ,กองคลัง,K0001,,",
        "K0203,นาง,,ใจเย็น,เจ้าพนักงานธุรการ,GEN-1,กองคลัง,K0001,,",
        "K0204,นาย,วีระ,กล้าหาญ,นายช่างโยธา,GEN-2,กองช่าง,K9999,not-an-email,",
    ]

    errors = import_errors(rows)

    assert len(errors) == 4
    assert_message(
        errors[0],
        'แถวที่ ๓ คอลัมน์ position_class: ไม่พบประเภทตำแหน่ง "XYZ"',
        'Line 3, column position_class: No position class "XYZ".',
    )
    assert_message(errors[1], "แถวที่ ๔ คอลัมน์ first_name", "Line 4, column first_name")
    assert_message(errors[2], "แถวที่ ๕ คอลัมน์ email", "Line 5, column email")
    assert_message(errors[3], "แถวที่ ๕ คอลัมน์ supervisor_code", "Line 5, column supervisor_code")
    assert "K9999" in errors[3]
    # All rows or none: not even the good first row was imported
    assert not Employee.objects.exists()
    assert not Department.objects.exists()
    assert not get_user_model().objects.exists()


def test_missing_header_columns_give_one_clear_error(seed_framework):
    content = "employee_code,first_name,last_name\nK0001,ประเสริฐ,มั่นคง\n".encode()

    with pytest.raises(staff.ImportErrors) as caught:
        staff.import_staff(rows_or_file=content)

    [error] = caught.value.messages
    assert_message(error, "แถวที่ ๑", "Line 1")
    assert "position_class" in error
    assert "supervisor_code" in error


def test_a_file_that_is_not_utf8_is_refused(seed_framework):
    content = (HEADER + "\n" + GOOD_ROWS[2] + "\n").encode("cp874")

    with pytest.raises(staff.ImportErrors) as caught:
        staff.import_staff(rows_or_file=content)

    assert_message(caught.value.messages[0], "UTF-8", "UTF-8")
    assert not Employee.objects.exists()


def test_a_duplicate_employee_code_in_the_file_is_refused(seed_framework):
    errors = import_errors([*GOOD_ROWS, GOOD_ROWS[1].replace(",,", ",,somchai2", 1)])

    assert len(errors) == 1
    assert_message(errors[0], "แถวที่ ๕ คอลัมน์ employee_code", "Line 5, column employee_code")
    assert_message(errors[0], "ซ้ำกับแถวที่ ๓", "already appears on line 3")
    assert not Employee.objects.exists()


def test_a_supervisor_loop_in_the_file_is_refused(seed_framework):
    rows = [
        "K0001,นาย,ประเสริฐ,มั่นคง,ปลัด,EXE-2,สำนักปลัด,K0202,,",
        "K0201,นาง,รัตนา,ทองดี,ผู้อำนวยการกองคลัง,DIR-1,กองคลัง,K0001,,",
        "K0202,นาย,สมชาย,ใจดี,นักวิชาการ,ACA-1,กองคลัง,K0201,,",
    ]

    errors = import_errors(rows)

    # Everyone in the loop is told, each on their own line
    assert len(errors) == 3
    for line, thai_line, error in zip([2, 3, 4], "๒๓๔", errors, strict=True):
        assert_message(
            error, f"แถวที่ {thai_line} คอลัมน์ supervisor_code", f"Line {line}, column supervisor_code"
        )
    assert "K0001 → K0202 → K0201 → K0001" in errors[0]
    assert not Employee.objects.exists()


def test_a_person_cannot_be_their_own_supervisor(seed_framework):
    errors = import_errors(["K0001,นาย,ประเสริฐ,มั่นคง,ปลัด,EXE-2,สำนักปลัด,K0001,,"])

    assert_message(
        errors[0],
        "บุคคลไม่สามารถเป็นผู้บังคับบัญชาของตนเองได้",
        "A person cannot be their own supervisor.",
    )


def test_a_loop_through_people_already_in_the_portal_is_refused(treasury_head):
    # In the portal: K0202 supervises the head of the treasury division
    import_rows(["K0202,นาย,สมชาย,ใจดี,นักวิชาการ,ACA-1,กองคลัง,,,"])
    treasury_head.supervisor = Employee.objects.get(employee_code="K0202")
    treasury_head.save()

    # The file makes the head K0202's supervisor: K0202 → K0201 → K0202
    errors = import_errors(["K0202,นาย,สมชาย,ใจดี,นักวิชาการ,ACA-1,กองคลัง,K0201,,"])

    assert len(errors) == 1
    assert_message(errors[0], "แถวที่ ๒ คอลัมน์ supervisor_code", "Line 2, column supervisor_code")
    assert "K0202 → K0201 → K0202" in errors[0]
    assert Employee.objects.get(employee_code="K0202").supervisor is None


def test_an_existing_person_is_updated_by_employee_code(treasury_head):
    report = import_rows(["K0201,นาง,รัตนา,ศรีสุข,ผู้อำนวยการกองคลัง,DIR-2,กองคลัง,,ratana@example.org,"])

    assert (report.created, report.updated) == (0, 1)
    treasury_head.refresh_from_db()
    assert treasury_head.last_name == "ศรีสุข"
    assert treasury_head.position_class.code == "DIR-2"
    assert treasury_head.email == "ratana@example.org"
    assert Employee.objects.count() == 1
    # Someone without a login gets one
    assert treasury_head.user.username == "k0201"


def test_importing_the_same_file_twice_changes_nothing_the_second_time(seed_framework):
    import_rows(GOOD_ROWS)

    report = import_rows(GOOD_ROWS)

    assert (report.created, report.updated, report.unchanged) == (0, 0, 3)
    assert Employee.objects.count() == 3
    assert get_user_model().objects.count() == 3


def test_a_username_used_by_someone_else_is_refused(seed_framework, hr_user):
    row = GOOD_ROWS[2] + "hr_officer"

    errors = import_errors([row])

    assert len(errors) == 1
    assert_message(errors[0], "แถวที่ ๒ คอลัมน์ username", "Line 2, column username")
    assert "hr_officer" in errors[0]
    assert not Employee.objects.exists()


def test_a_dry_run_changes_nothing_and_shows_what_would_happen(treasury_head):
    rows = [
        "K0201,นาง,รัตนา,ศรีสุข,ผู้อำนวยการกองคลัง,DIR-1,กองคลัง,,,",
        *GOOD_ROWS[1:],
    ]

    report = import_rows(rows, dry_run=True)

    assert report.dry_run
    assert (report.created, report.updated) == (2, 1)
    assert [row.action for row in report.rows] == ["update", "create", "create"]
    assert report.rows[0].line == 2
    assert "last_name" in report.rows[0].changes
    assert report.new_departments == ["สำนักปลัด"]
    # Nothing changed
    treasury_head.refresh_from_db()
    assert treasury_head.last_name == "ทองดี"
    assert treasury_head.user is None
    assert Employee.objects.count() == 1
    assert not Department.objects.filter(name_th="สำนักปลัด").exists()


def test_rows_may_be_given_as_dicts(seed_framework):
    columns = HEADER.split(",")
    rows = [dict(zip(columns, row.split(","), strict=True)) for row in GOOD_ROWS]

    report = staff.import_staff(rows_or_file=rows)

    assert report.created == 3


# The management command


def test_the_command_imports_a_file_and_prints_a_summary(seed_framework, tmp_path):
    path = tmp_path / "staff.csv"
    path.write_bytes(csv_bytes(GOOD_ROWS, bom=True, newline="\r\n"))
    out = StringIO()

    call_command("import_staff", str(path), stdout=out)

    assert Employee.objects.count() == 3
    assert "3" in out.getvalue()
    assert_message(out.getvalue(), "สร้าง", "created")


def test_the_command_dry_run_changes_nothing(seed_framework, tmp_path):
    path = tmp_path / "staff.csv"
    path.write_bytes(csv_bytes(GOOD_ROWS))
    out = StringIO()

    call_command("import_staff", str(path), "--dry-run", stdout=out)

    assert not Employee.objects.exists()
    assert_message(out.getvalue(), "ไม่มีการเปลี่ยนแปลง", "nothing was changed")


def test_the_command_prints_every_error_and_exits_non_zero(seed_framework, tmp_path):
    path = tmp_path / "staff.csv"
    rows = [GOOD_ROWS[0], GOOD_ROWS[1].replace("ACA-1", "XYZ"), GOOD_ROWS[2].replace("EXE-2", "")]
    path.write_bytes(csv_bytes(rows))
    err = StringIO()

    with pytest.raises(CommandError) as caught:
        call_command("import_staff", str(path), stdout=StringIO(), stderr=err)

    assert caught.value.returncode != 0
    lines = err.getvalue().splitlines()
    assert len(lines) == 2
    assert_message(lines[0], "แถวที่ 3 คอลัมน์ position_class", "Line 3, column position_class")
    assert_message(lines[1], "แถวที่ 4 คอลัมน์ position_class", "Line 4, column position_class")
    assert_message(str(caught.value), "ไม่มีการนำเข้า", "Nothing was imported")
    assert not Employee.objects.exists()


def test_the_command_reports_a_file_it_cannot_read(db, tmp_path):
    with pytest.raises(CommandError):
        call_command("import_staff", str(tmp_path / "missing.csv"), stdout=StringIO())


# ---------------------------------------------------------------- the template to fill in


def test_the_template_has_the_exact_header_and_one_example_line(seed_framework):
    text = staff.csv_template()

    assert text.startswith("\ufeff")  # a spreadsheet then reads the Thai as UTF-8
    lines = text[1:].split("\r\n")
    assert lines[0] == HEADER
    assert lines[2:] == [""]  # one example line, then the end
    example = dict(zip(HEADER.split(","), lines[1].split(","), strict=True))
    assert example["title"] == "นางสาว"
    assert PositionClass.objects.filter(code=example["position_class"]).exists()


def test_the_template_imports_once_its_supervisor_is_in_the_file(seed_framework):
    example = staff.csv_template()[1:].split("\r\n")[1]
    boss = "K0101,นาย,ประเสริฐ,มั่นคง,ผู้อำนวยการกองคลัง,DIR-1,กองคลัง,,,"
    content = "\r\n".join([HEADER, example, boss]).encode("utf-8")

    report = staff.import_staff(rows_or_file=content, dry_run=True)

    assert report.created == 2
    assert [row.employee_code for row in report.rows] == ["K0105", "K0101"]
    assert report.rows[0].supervisor_code == "K0101"
