"""The results export (CSV and XLSX), its command and its download for HR."""

import csv
import io
from decimal import Decimal
from io import StringIO

import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments import scoring, services
from assessments.exports import results as results_export
from assessments.models import Assessment, Cycle, Department, Employee, Role
from framework.models import PositionClass
from tests.conftest import assert_message
from tests.factories import rate, values_up_to

HEADER = (
    "employee_code,full_name,department,position_class,competency,expected_level,self_level,"
    "supervisor_level,gap,points,competency_score,weighted_score,work_results,total,band,stage,"
    "competency_method,competency_part,work_results_method"
)
# The Thai labels of the stages (locale/th), as the workbook shows them.
STAGE_THAI = {
    "not_started": "ยังไม่เริ่ม",
    "self_submitted": "ส่งแบบประเมินตนเองแล้ว",
    "rated": "ผู้บังคับบัญชาประเมินแล้ว",
    "in_progress": "อยู่ระหว่างประเมิน",
}
# The stage of each person of `rated_round`: head and somchai were rated and submitted by
# their supervisor; malee submitted her self-assessment, her supervisor has a draft; nobody
# else has begun.
STAGES_OF_RATED_ROUND = {
    "K0201": "rated",
    "K0202": "rated",
    "K0203": "self_submitted",
    "K0301": "not_started",
    "K0302": "not_started",
    "K0001": "not_started",
}
CODES = ("ACH", "COM", "SDEV", "LOCAL")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def rated_round(cast):
    """head complete with work results, somchai complete without, malee half rated by her
    supervisor (ACH only), the others not rated at all."""
    rate(cast.head_assessment, Role.SELF, cast.head.user, dict.fromkeys(CODES, 5))
    rate(
        cast.head_assessment,
        Role.SUPERVISOR,
        cast.palad.user,
        {"ACH": 4, "COM": 2, "SDEV": 1, "LOCAL": 0},
        work_results=Decimal("85"),
    )
    rate(
        cast.somchai_assessment,
        Role.SUPERVISOR,
        cast.head.user,
        {"ACH": 2, "COM": 1, "SDEV": 0, "LOCAL": 1},
    )
    malee = cast.malee_assessment
    rate(malee, Role.SELF, cast.malee.user, dict.fromkeys(CODES, 2))
    framework = malee.cycle.framework
    ach = set(framework.competencies.get(code="ACH").levels.values_list("indicators", flat=True))
    values = values_up_to(framework, dict.fromkeys(CODES, 3))
    ach_only = {pk: value for pk, value in values.items() if pk in ach}
    services.save_ratings(
        assessment=malee, role=Role.SUPERVISOR, by=cast.head.user, values=ach_only
    )
    return Cycle.objects.get(pk=cast.cycle.pk)


def read_csv(text):
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text.encode("utf-8").decode("utf-8-sig"))))


def read_sheet(sheet):
    values = list(sheet.iter_rows(values_only=True))
    return values[0], [list(row) for row in values[1:]]


def page_results(client, cast, assessment):
    client.force_login(cast.hr)
    response = client.get(reverse("assessments:results", args=[assessment.pk]))
    assert response.status_code == 200
    return response.context["results"]


def expected_rows(client, cast, cycle):
    """What the results page shows, person by person, as rows of the export's columns."""
    table = []
    for a in Assessment.objects.filter(cycle=cycle).select_related("employee", "position_class"):
        results = page_results(client, cast, a)
        for _block, row in results.rows:
            table.append(
                {
                    "employee_code": a.employee.employee_code,
                    "full_name": a.employee.full_name,
                    "department": a.department_name,
                    "position_class": a.position_class.code,
                    "competency": row.code,
                    "expected_level": row.expected,
                    "self_level": row.self_level,
                    "supervisor_level": row.supervisor_level,
                    "gap": row.gap,
                    "points": row.points,
                    "competency_score": results.score,
                    "weighted_score": results.weighted,
                    "work_results": a.work_results,
                    "total": results.total,
                    "band": results.band,
                    "stage": STAGES_OF_RATED_ROUND[a.employee.employee_code],
                    "competency_method": cycle.method,
                    "competency_part": results.parts.get(row.code),  # the page's column
                    "work_results_method": "percentage",  # the rounds of before issue 15
                }
            )
    return table


def key(row):
    return row["employee_code"], row["competency"]


def as_csv_text(row):
    text = {c: "" if v is None else str(v) for c, v in row.items()}
    text["band"] = row["band"][0] if row["band"] else ""
    return text


def as_xlsx_value(column, value):
    if column == "band":
        return value[1] if value else None
    if column == "stage":
        return STAGE_THAI[value]
    if column == "competency_method":
        return {"bar": "คะแนนตามส่วนต่างจากระดับที่คาดหวัง"}[value]
    if column == "work_results_method":
        return {"percentage": "ร้อยละที่ผู้บังคับบัญชากรอก"}[value]
    if isinstance(value, Decimal):
        return float(value)
    return value


# ---------------------------------------------------------------- the export equals the page


def test_the_csv_equals_the_results_page(client, round_open):
    cycle = rated_round(round_open)
    expected = {key(row): as_csv_text(row) for row in expected_rows(client, round_open, cycle)}

    text = results_export.export_csv(cycle)

    assert text.split("\r\n")[0] == "\ufeff" + HEADER
    assert text.endswith("\r\n") and "\n" not in text.replace("\r\n", "")
    exported = read_csv(text)
    assert len(exported) == 6 * 4
    assert {key(row): row for row in exported} == expected


def test_the_workbook_equals_the_results_page(client, round_open):
    cycle = rated_round(round_open)
    expected = expected_rows(client, round_open, cycle)
    columns = results_export.COLUMNS

    book = openpyxl.load_workbook(io.BytesIO(results_export.export_xlsx(cycle)))

    assert book.sheetnames == ["ผลการประเมิน", "สรุปรายบุคคล"]
    header, table = read_sheet(book["ผลการประเมิน"])
    assert header == tuple(results_export.THAI_HEADERS[c] for c in columns)
    assert header[:3] == ("รหัสบุคลากร", "ชื่อ-สกุล", "สังกัด")
    exported = {(row[0], row[4]): dict(zip(columns, row, strict=True)) for row in table}
    assert exported == {
        key(row): {c: as_xlsx_value(c, row[c]) for c in columns} for row in expected
    }

    header, people = read_sheet(book["สรุปรายบุคคล"])
    levels = [f"{code} ระดับ" for code in CODES]
    points = [f"{code} คะแนน" for code in CODES]
    assert list(header) == [
        "รหัสบุคลากร",
        "ชื่อ-สกุล",
        "สังกัด",
        "ประเภทตำแหน่ง",
        *[h for pair in zip(levels, points, strict=True) for h in pair],
        "คะแนนสมรรถนะ (%)",
        "คะแนนถ่วงน้ำหนัก",
        "ผลสัมฤทธิ์ของงาน (%)",
        "คะแนนรวม",
        "ระดับผลการประเมิน",
        "ขั้นตอน",
    ]
    assert len(people) == 6
    by_person = {row[0]: row for row in people}
    for code, cells in by_person.items():
        mine = {r["competency"]: r for r in expected if r["employee_code"] == code}
        first = mine["ACH"]
        assert cells[:4] == [
            first["employee_code"],
            first["full_name"],
            first["department"],
            first["position_class"],
        ]
        assert cells[4:12] == [
            value for c in CODES for value in (mine[c]["supervisor_level"], mine[c]["points"])
        ]
        assert cells[12:] == [
            as_xlsx_value(c, first[c])
            for c in (
                "competency_score",
                "weighted_score",
                "work_results",
                "total",
                "band",
                "stage",
            )
        ]


def test_levels_gaps_and_points_follow_the_scoring_rules(round_open):
    cast = round_open
    cycle = rated_round(cast)

    rows = {
        r["competency"]: r
        for r in read_csv(results_export.export_csv(cycle))
        if r["employee_code"] == "K0201"
    }  # head, DIR-1: 3 expected everywhere

    reached = {"ACH": 4, "COM": 2, "SDEV": 1, "LOCAL": 0}
    for code, level in reached.items():
        assert rows[code]["expected_level"] == "3"
        assert rows[code]["self_level"] == "5"
        assert rows[code]["supervisor_level"] == str(level)
        assert rows[code]["gap"] == str(scoring.gap(level, 3))
        assert rows[code]["points"] == str(scoring.gap_points(level, 3))
    assert [rows[c]["gap"] for c in CODES] == ["1", "-1", "-2", "-3"]
    assert [rows[c]["points"] for c in CODES] == ["3", "2", "1", "0"]
    head = rows["ACH"]
    assert head["full_name"] == "นายรัตนา ทดสอบ"
    assert (head["department"], head["position_class"]) == ("กองคลัง", "DIR-1")
    assert head["competency_score"] == "50.00" == str(scoring.competency_score([3, 2, 1, 0]))
    assert head["weighted_score"] == "15.00"
    assert head["work_results"] == "85.00"
    assert head["total"] == "74.50"
    assert head["band"] == "good"


def test_an_incomplete_person_has_empty_cells(round_open):
    cast = round_open
    cycle = rated_round(cast)
    exported = read_csv(results_export.export_csv(cycle))
    person = {}
    for row in exported:
        person.setdefault(row["employee_code"], {})[row["competency"]] = row
    derived = ("self_level", "supervisor_level", "gap", "points")
    totals = ("competency_score", "weighted_score", "work_results", "total", "band")

    palad = person["K0001"]  # nobody rates the chief administrator; no self-assessment either
    assert all(palad[c]["expected_level"] == "4" for c in CODES)
    assert all(palad[c][column] == "" for c in CODES for column in derived + totals)

    malee = person["K0203"]  # her self-assessment is complete; her supervisor rated ACH only
    assert [malee[c]["self_level"] for c in CODES] == ["2", "2", "2", "2"]
    assert (malee["ACH"]["supervisor_level"], malee["ACH"]["gap"], malee["ACH"]["points"]) == (
        "3",
        "2",
        "3",
    )
    for code in ("COM", "SDEV", "LOCAL"):
        assert (malee[code]["supervisor_level"], malee[code]["gap"], malee[code]["points"]) == (
            "",
            "",
            "",
        )
    assert all(malee[c][column] == "" for c in CODES for column in totals)

    somchai = person["K0202"]  # complete, but no work results yet: no total, no band
    assert somchai["ACH"]["competency_score"] != ""
    assert (somchai["ACH"]["work_results"], somchai["ACH"]["total"], somchai["ACH"]["band"]) == (
        "",
        "",
        "",
    )

    book = openpyxl.load_workbook(io.BytesIO(results_export.export_xlsx(cycle)))
    _header, table = read_sheet(book["ผลการประเมิน"])
    palad_cells = [row for row in table if row[0] == "K0001"]
    columns = results_export.COLUMNS
    derived_cells = slice(columns.index("self_level"), columns.index("band") + 1)
    assert palad_cells and all(cell is None for row in palad_cells for cell in row[derived_cells])
    assert {row[columns.index("stage")] for row in palad_cells} == {"ยังไม่เริ่ม"}


def test_rows_are_ordered_by_division_then_name_then_competency(round_open):
    cycle = rated_round(round_open)
    exported = read_csv(results_export.export_csv(cycle))

    people = list(dict.fromkeys(row["employee_code"] for row in exported))
    # กองคลัง: มาลี, รัตนา, สมชาย; กองช่าง: ชาญชัย, วีระ; สำนักปลัด: ประเสริฐ
    assert people == ["K0203", "K0201", "K0202", "K0302", "K0301", "K0001"]
    assert [row["competency"] for row in exported[:4]] == list(CODES)


def test_numbers_in_the_workbook_are_numbers(round_open):
    cycle = rated_round(round_open)
    book = openpyxl.load_workbook(io.BytesIO(results_export.export_xlsx(cycle)))
    sheet = book["ผลการประเมิน"]
    head = [row for row in sheet.iter_rows(min_row=2) if row[0].value == "K0201"][0]
    columns = dict(zip(results_export.COLUMNS, head, strict=True))

    for column in ("expected_level", "self_level", "supervisor_level", "gap", "points"):
        assert columns[column].data_type == "n" and isinstance(columns[column].value, int)
    for column in ("competency_score", "weighted_score", "work_results", "total"):
        assert columns[column].data_type == "n"
        assert columns[column].number_format == "0.00"
    assert columns["total"].value == pytest.approx(74.5)
    assert columns["band"].value == "ดี"
    assert sheet["A1"].font.b and sheet.freeze_panes == "A2"
    assert book["สรุปรายบุคคล"]["A1"].font.b and book["สรุปรายบุคคล"].freeze_panes == "A2"
    assert sheet.column_dimensions["B"].width >= len("นายรัตนา ทดสอบ") - 2


def test_text_starting_with_an_equals_sign_is_not_a_formula(round_open):
    cast = round_open
    Assessment.objects.filter(pk=cast.palad.assessments.get().pk).update(
        department_name="=HYPERLINK(1)"
    )
    cycle = Cycle.objects.get(pk=cast.cycle.pk)
    book = openpyxl.load_workbook(io.BytesIO(results_export.export_xlsx(cycle)))
    cells = [row[2] for row in book["ผลการประเมิน"].iter_rows(min_row=2) if row[0].value == "K0001"]
    assert cells and all(c.value == "=HYPERLINK(1)" and c.data_type == "s" for c in cells)


def test_a_round_not_opened_yet_exports_only_the_header(seed_framework):
    cycle = services.create_cycle(code="2569-2", fiscal_year=2569, round_number=2)

    assert results_export.export_csv(cycle) == "\ufeff" + HEADER + "\r\n"
    book = openpyxl.load_workbook(io.BytesIO(results_export.export_xlsx(cycle)))
    assert book["ผลการประเมิน"].max_row == 1


# ---------------------------------------------------------------- a fixed number of queries


def add_people(department, count, start):
    klass = PositionClass.objects.get(code="ACA-2")
    for n in range(start, start + count):
        Employee.objects.create(
            employee_code=f"Q{n:04d}",
            title="นาง",
            first_name=f"บุคคล{n:03d}",
            last_name="ทดสอบ",
            position_title="นักวิชาการ",
            position_class=klass,
            department=department,
        )


def rate_everyone(cycle, by):
    for a in Assessment.objects.filter(cycle=cycle, ratings__isnull=True).select_related(
        "cycle__framework"
    ):
        rate(a, Role.SELF, by, dict.fromkeys(CODES, 3))
        rate(a, Role.SUPERVISOR, by, dict.fromkeys(CODES, 2), work_results=Decimal("80"))


def queries(export, cycle_pk):
    cycle = Cycle.objects.get(pk=cycle_pk)
    with CaptureQueriesContext(connection) as captured:
        export(cycle)
    return len(captured)


@pytest.mark.parametrize("export", [results_export.export_csv, results_export.export_xlsx])
def test_the_export_takes_as_many_queries_for_12_people_as_for_2(
    seed_framework, django_user_model, export
):
    rater = django_user_model.objects.create_user("rater")
    department = Department.objects.create(code="D1", name_th="กองคลัง")
    add_people(department, 2, 1)
    cycle = services.create_cycle(code="2569-1", fiscal_year=2569, round_number=1)
    services.open_cycle(cycle=cycle)
    rate_everyone(cycle, rater)
    two = queries(export, cycle.pk)

    add_people(department, 10, 3)
    services.add_missing_assessments(cycle=cycle)
    rate_everyone(cycle, rater)
    assert Assessment.objects.filter(cycle=cycle).count() == 12
    twelve = queries(export, cycle.pk)

    assert two == twelve <= 7
    assert len(read_csv(results_export.export_csv(Cycle.objects.get(pk=cycle.pk)))) == 12 * 4


# ---------------------------------------------------------------- the command


def test_the_command_writes_csv_to_stdout(round_open):
    cycle = rated_round(round_open)
    out = StringIO()

    call_command("export_results", "--cycle", "2569-1", stdout=out)

    assert out.getvalue() == results_export.export_csv(cycle)


def test_the_command_writes_csv_or_a_workbook_to_a_file(round_open, tmp_path):
    cycle = rated_round(round_open)
    target = tmp_path / "results.xlsx"

    call_command(
        "export_results",
        "--cycle",
        "2569-1",
        "--format",
        "xlsx",
        "-o",
        str(target),
        stdout=StringIO(),
    )

    book = openpyxl.load_workbook(target)
    assert book.sheetnames == ["ผลการประเมิน", "สรุปรายบุคคล"]
    assert book["ผลการประเมิน"].max_row == 1 + 6 * 4
    csv_file = tmp_path / "results.csv"
    call_command("export_results", "--cycle", "2569-1", "-o", str(csv_file), stdout=StringIO())
    assert csv_file.read_bytes() == results_export.export_csv(cycle).encode("utf-8")
    assert csv_file.read_bytes().startswith(b"\xef\xbb\xbf")


def test_the_command_refuses_an_unknown_round_and_xlsx_without_a_file(round_open):
    with pytest.raises(CommandError) as caught:
        call_command("export_results", "--cycle", "2570-1", stdout=StringIO())
    assert_message(str(caught.value), "ไม่มีรอบการประเมิน 2570-1", "There is no round 2570-1")

    with pytest.raises(CommandError) as caught:
        call_command("export_results", "--cycle", "2569-1", "--format", "xlsx", stdout=StringIO())
    assert_message(str(caught.value), "ต้องเขียนลงไฟล์", "needs a file: add -o FILE.xlsx")

    with pytest.raises(CommandError):
        call_command("export_results", "--cycle", "2569-1", "--format", "pdf", stdout=StringIO())


# ---------------------------------------------------------------- the download


def url(cycle, fmt):
    return reverse("exports:results", args=[cycle.pk, fmt])


def test_the_download_is_for_hr_only(client, round_open):
    cast = round_open
    target = url(cast.cycle, "csv")
    assert target == f"/hr/exports/results/{cast.cycle.pk}.csv"

    response = client.get(target)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))

    for person in (cast.somchai, cast.head, cast.palad):
        client.force_login(person.user)
        assert client.get(target).status_code == 403
        assert client.get(url(cast.cycle, "xlsx")).status_code == 403


def test_hr_downloads_csv_and_xlsx(client, round_open):
    cast = round_open
    cycle = rated_round(cast)
    client.force_login(cast.hr)

    response = client.get(url(cycle, "csv"))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="results-2569-1.csv"'
    assert response.content.decode("utf-8") == results_export.export_csv(cycle)

    response = client.get(url(cycle, "xlsx"))
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX_TYPE
    assert response["Content-Disposition"] == 'attachment; filename="results-2569-1.xlsx"'
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book["สรุปรายบุคคล"].max_row == 1 + 6

    assert client.get(url(cycle, "pdf")).status_code == 404
    assert client.get(reverse("exports:results", args=[cycle.pk + 100, "csv"])).status_code == 404


# ---------------------------------------------------------------- the stage column


def test_the_stage_is_the_last_column_and_names_each_persons_step(round_open):
    cast = round_open
    cycle = rated_round(cast)
    services.acknowledge(assessment=cast.somchai_assessment, by=cast.somchai.user)

    text = results_export.export_csv(cycle)

    assert ",band,stage," in text.split("\r\n")[0]  # then the columns added after it
    stages = {row["employee_code"]: row["stage"] for row in read_csv(text)}
    assert stages == {**STAGES_OF_RATED_ROUND, "K0202": "acknowledged"}
    book = openpyxl.load_workbook(io.BytesIO(results_export.export_xlsx(cycle)))
    _header, people = read_sheet(book["สรุปรายบุคคล"])
    assert {row[0]: row[-1] for row in people}["K0202"] == "รับทราบผลแล้ว"


# ---------------------------------------------------------------- submitted ratings only


def drafts_round(cast):
    """rated_round, and: the outsider submitted his self-assessment (level 2) and his
    supervisor rated every indicator (level 3, work results 80) without submitting; other_head
    rated himself completely (level 1) without submitting."""
    cycle = rated_round(cast)
    rate(cast.outsider_assessment, Role.SELF, cast.outsider.user, 2)
    rate(
        cast.outsider_assessment,
        Role.SUPERVISOR,
        cast.other_head.user,
        3,
        submit=False,
        work_results=Decimal("80"),
    )
    other_head = Assessment.objects.get(cycle=cycle, employee=cast.other_head)
    rate(other_head, Role.SELF, cast.other_head.user, 1, submit=False)
    return cycle


def by_person(text):
    people = {}
    for row in read_csv(text):
        people.setdefault(row["employee_code"], {})[row["competency"]] = row
    return people


def test_by_default_a_complete_supervisor_draft_is_exported(round_open):
    cycle = drafts_round(round_open)

    outsider = by_person(results_export.export_csv(cycle))["K0302"]["ACH"]

    # GEN-2 expects level 1: gap +2, 3 points everywhere → 100.00; 30 + 80 × 0.7 = 86.00
    assert (outsider["self_level"], outsider["supervisor_level"]) == ("2", "3")
    assert (outsider["gap"], outsider["points"]) == ("2", "3")
    assert (outsider["competency_score"], outsider["work_results"], outsider["total"]) == (
        "100.00",
        "80.00",
        "86.00",
    )
    assert by_person(results_export.export_csv(cycle))["K0301"]["ACH"]["self_level"] == "1"


def test_submitted_only_leaves_the_drafts_empty_and_keeps_the_rest(round_open):
    cycle = drafts_round(round_open)
    everything = by_person(results_export.export_csv(cycle))

    people = by_person(results_export.export_csv(cycle, submitted_only=True))

    supervisor = ("supervisor_level", "gap", "points")
    totals = ("competency_score", "weighted_score", "work_results", "total", "band")
    outsider = people["K0302"]
    assert all(outsider[c]["self_level"] == "2" for c in CODES)  # submitted: kept
    assert all(outsider[c][column] == "" for c in CODES for column in supervisor + totals)
    assert all(outsider[c]["stage"] == "self_submitted" for c in CODES)
    # other_head's self-assessment is a draft: no self-assessed level
    assert all(people["K0301"][c]["self_level"] == "" for c in CODES)
    # malee: self submitted (2 everywhere), her supervisor's draft rated ACH only: left out
    assert [people["K0203"][c]["self_level"] for c in CODES] == ["2", "2", "2", "2"]
    assert people["K0203"]["ACH"]["supervisor_level"] == ""
    # head and somchai were submitted by their supervisors: exactly as without the option
    for code in ("K0201", "K0202"):
        assert people[code] == everything[code]
    assert people["K0201"]["ACH"]["total"] == "74.50"


def test_submitted_only_reaches_the_workbook(round_open):
    cycle = drafts_round(round_open)

    book = openpyxl.load_workbook(
        io.BytesIO(results_export.export_xlsx(cycle, submitted_only=True))
    )

    columns = results_export.COLUMNS
    _header, table = read_sheet(book["ผลการประเมิน"])
    outsider = [dict(zip(columns, row, strict=True)) for row in table if row[0] == "K0302"]
    assert [row["supervisor_level"] for row in outsider] == [None] * 4
    assert {row["self_level"] for row in outsider} == {2}
    _header, people = read_sheet(book["สรุปรายบุคคล"])
    summary = {row[0]: row for row in people}["K0302"]
    assert summary[4:-1] == [None] * 13  # levels, points, scores, work results, total, band


def test_submitted_only_takes_no_more_queries(round_open):
    cycle = drafts_round(round_open)

    every = queries(results_export.export_csv, cycle.pk)
    submitted = queries(lambda c: results_export.export_csv(c, submitted_only=True), cycle.pk)

    assert submitted == every


def test_the_command_exports_submitted_ratings_only_when_asked(round_open, tmp_path):
    drafts_round(round_open)
    out = StringIO()

    call_command("export_results", "--cycle", "2569-1", "--submitted-only", stdout=out)

    assert by_person(out.getvalue())["K0302"]["LOCAL"]["points"] == ""
    target = tmp_path / "submitted.xlsx"
    call_command(
        "export_results",
        "--cycle",
        "2569-1",
        "--submitted-only",
        "--format",
        "xlsx",
        "-o",
        str(target),
        stdout=StringIO(),
    )
    _header, table = read_sheet(openpyxl.load_workbook(target)["ผลการประเมิน"])
    assert all(row[7] is None for row in table if row[0] == "K0302")
    # without the option, the draft's levels are there
    out = StringIO()
    call_command("export_results", "--cycle", "2569-1", stdout=out)
    assert by_person(out.getvalue())["K0302"]["LOCAL"]["points"] == "3"


# ---------------------------------------------------------------- the export page


def test_hr_chooses_the_format_and_submitted_only_on_the_export_page(client, round_open):
    cast = round_open
    cycle = drafts_round(cast)
    client.force_login(cast.hr)
    page = reverse("exports:results_page", args=[cycle.pk])

    response = client.get(page)

    assert response.status_code == 200
    html = response.content.decode()
    assert f'action="{url(cycle, "csv")}"' in html
    assert f'formaction="{url(cycle, "xlsx")}"' in html
    assert 'type="checkbox" name="submitted_only" value="1"' in html
    assert HEADER in html

    response = client.get(url(cycle, "csv"), {"submitted_only": "1"})
    assert response["Content-Disposition"] == 'attachment; filename="results-2569-1-submitted.csv"'
    assert by_person(response.content.decode("utf-8"))["K0302"]["ACH"]["total"] == ""
    response = client.get(url(cycle, "csv"))
    assert by_person(response.content.decode("utf-8"))["K0302"]["ACH"]["total"] == "86.00"


def test_the_export_page_is_for_hr_only(client, round_open):
    cast = round_open
    page = reverse("exports:results_page", args=[cast.cycle.pk])
    assert client.get(page).status_code == 302
    client.force_login(cast.head.user)
    assert client.get(page).status_code == 403
    client.force_login(cast.hr)
    assert (
        client.get(reverse("exports:results_page", args=[cast.cycle.pk + 100])).status_code == 404
    )
