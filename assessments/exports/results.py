"""A round's results as a table: CSV for other systems, XLSX for HR.

One row per person and competency, with the same numbers as the results page: both read the
one results loader (assessments/selectors/results.py), a fixed number of queries whatever the
number of people.

Empty cells: a track's level only when every indicator of that competency in that track is
rated; gap and points only with the supervisor's level; the person's competency score,
weighted score, total and band only when every competency has its supervisor's level; the
total and band also need the work results. The total is the sum of the two weighted parts, each
rounded to two places (assessments/scoring.py, rule 5), as on the page and the printed form.

`submitted_only` leaves out the tracks not submitted yet: the self-assessed level only once
the self-assessment is submitted; the supervisor's level, gap, points, scores, work results,
total and band only once the supervisor's rating is submitted (a draft, even complete, gives
empty cells). The column `stage` is the assessment's step (Assessment.stage); after it,
`competency_method` and `competency_part` (METHOD_COLUMNS, issue 15), then
`work_results_method` (WORK_COLUMNS).
"""

import io
from dataclasses import replace
from decimal import Decimal

from django.utils import translation
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from assessments.models import STAGES, Cycle, Track
from assessments.selectors.results import BAND_LABELS, round_results
from competency_portal.lib.csvfiles import FORMULA_STARTS, csv_text
from competency_portal.lib.thai import display_width

# The CSV interface of DOMAIN.md: these names and this order are stable.
MACHINE_COLUMNS = (
    "employee_code",
    "full_name",
    "department",
    "position_class",
    "competency",
    "expected_level",
    "self_level",
    "supervisor_level",
    "gap",
    "points",
)
# Person-level values, repeated on each of the person's rows.
EXTRA_COLUMNS = ("competency_score", "weighted_score", "work_results", "total", "band")
# Added later, always at the end: the assessment's step, a code of assessments.models.STAGES.
STAGE_COLUMNS = ("stage",)
# Added with the scoring methods (issue 15): the round's method (a Cycle.Method code) and what
# the competency adds to the score by it (the points of "bar", level × weight ÷ 5 of "rating"
# and "rating_equal", the level counted in the sum of achieved levels for "hybrid").
METHOD_COLUMNS = ("competency_method", "competency_part")
# Added with the performance agreements (issue 15): where the work results come from (a
# Cycle.WorkResultsMethod code: "indicators" or "percentage").
WORK_COLUMNS = ("work_results_method",)
COLUMNS = MACHINE_COLUMNS + EXTRA_COLUMNS + STAGE_COLUMNS + METHOD_COLUMNS + WORK_COLUMNS

# The workbook is a Thai document whatever the language of the page it is downloaded from
# (like the printed forms): its headers are data, written here in Thai.
RESULTS_SHEET = "ผลการประเมิน"
SUMMARY_SHEET = "สรุปรายบุคคล"
THAI_HEADERS = {
    "employee_code": "รหัสบุคลากร",
    "full_name": "ชื่อ-สกุล",
    "department": "สังกัด",
    "position_class": "ประเภทตำแหน่ง",
    "competency": "สมรรถนะ",
    "expected_level": "ระดับที่คาดหวัง",
    "self_level": "ระดับที่ประเมินตนเอง",
    "supervisor_level": "ระดับที่ผู้บังคับบัญชาประเมิน",
    "gap": "ส่วนต่าง",
    "points": "คะแนน",
    "competency_score": "คะแนนสมรรถนะ (%)",
    "weighted_score": "คะแนนถ่วงน้ำหนัก",
    "work_results": "ผลสัมฤทธิ์ของงาน (%)",
    "total": "คะแนนรวม",
    "band": "ระดับผลการประเมิน",
    "stage": "ขั้นตอน",
    "competency_method": "วิธีคิดคะแนนสมรรถนะ",
    "competency_part": "คะแนนของสมรรถนะนี้",
    "work_results_method": "ที่มาของผลสัมฤทธิ์ของงาน",
}
SUMMARY_LEVEL = "{code} ระดับ"
SUMMARY_POINTS = "{code} คะแนน"
PERSON_COLUMNS = ("employee_code", "full_name", "department", "position_class")
TOTAL_COLUMNS = EXTRA_COLUMNS
DECIMAL_COLUMNS = {"competency_score", "weighted_score", "work_results", "total", "competency_part"}

CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMATS = ("csv", "xlsx")


def _person(person):
    a = person.assessment
    return {
        "employee_code": a.employee.employee_code,
        "full_name": a.employee.full_name,
        "department": a.department_name,
        "position_class": a.position_class.code,
    }


def _totals(person, submitted_only=False):
    """Competency score, weighted score, work results, total and band code (or None)."""
    work_results = person.assessment.work_results
    if submitted_only and person.assessment.supervisor_state != Track.SUBMITTED:
        work_results = None  # the supervisor's draft, like its levels
    return {
        "competency_score": person.score,
        "weighted_score": person.weighted,
        "work_results": work_results,
        "total": person.total,
        "band": person.band[0] if person.band else None,
    }


def only_submitted(person):
    """The person's results without the tracks not submitted yet (the module's docstring)."""
    assessment = person.assessment
    self_done = assessment.self_state == Track.SUBMITTED
    supervisor_done = assessment.supervisor_state == Track.SUBMITTED
    if self_done and supervisor_done:
        return person
    left_out = {} if supervisor_done else {"supervisor_level": None, "gap": None, "points": None}
    if not self_done:
        left_out["self_level"] = None
    results = {code: replace(row, **left_out) for code, row in person.results.items()}
    if supervisor_done:
        return replace(person, results=results)
    return replace(
        person,
        results=results,
        parts={},
        score=None,
        weighted=None,
        weighted_work=None,
        total=None,
        band=None,
    )


def _shown(people, submitted_only):
    return [only_submitted(person) for person in people] if submitted_only else people


def rows(cycle, people=None, submitted_only=False):
    """One dict per person and competency, keyed by COLUMNS; None where nothing is derived
    (or, with `submitted_only`, where a track is not submitted)."""
    people = round_results(cycle) if people is None else people
    table = []
    for person in _shown(people, submitted_only):
        head, totals = _person(person), _totals(person, submitted_only)
        stage = {
            "stage": person.assessment.stage,
            "competency_method": cycle.method,
            "work_results_method": cycle.work_results_method,
        }
        for row in person.results.values():
            table.append(
                {
                    **head,
                    "competency": row.code,
                    "expected_level": row.expected,
                    "self_level": row.self_level,
                    "supervisor_level": row.supervisor_level,
                    "gap": row.gap,
                    "points": row.points,
                    **totals,
                    **stage,
                    "competency_part": person.parts.get(row.code),
                }
            )
    return table


# ---------------------------------------------------------------- CSV


def _text(value):
    return "" if value is None else str(value)


def export_csv(cycle, submitted_only=False):
    """The CSV of DOMAIN.md: UTF-8 with a BOM (for Excel), CRLF line ends, header row."""
    table = [
        [_text(row[column]) for column in COLUMNS]
        for row in rows(cycle, submitted_only=submitted_only)
    ]
    return csv_text([COLUMNS, *table])


# ---------------------------------------------------------------- XLSX


HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
HEADER_ALIGNMENT = Alignment(wrap_text=True, vertical="center", horizontal="center")
MIN_WIDTH, MAX_WIDTH = 8, 45


def _stage_label(code):
    with translation.override("th"):
        return str(dict(STAGES)[code])


def _cell_value(column, value):
    """Numbers stay numbers (Decimal is written as a number); the band and the stage as their
    Thai labels."""
    if column == "band":
        return BAND_LABELS.get(value) if value else None
    if column == "stage":
        return _stage_label(value)
    if column == "competency_method":
        with translation.override("th"):
            return str(Cycle.Method(value).label)
    if column == "work_results_method":
        with translation.override("th"):
            return str(Cycle.WorkResultsMethod(value).label)
    return value


def export_xlsx(cycle, submitted_only=False):
    """A workbook with one row per person and competency, and a summary row per person."""
    people = round_results(cycle)
    codes = list(people[0].results) if people else []
    workbook = Workbook(write_only=True)

    detail = workbook.create_sheet(RESULTS_SHEET)
    _write_table(
        detail,
        [THAI_HEADERS[column] for column in COLUMNS],
        [
            [(column, _cell_value(column, row[column])) for column in COLUMNS]
            for row in rows(cycle, people, submitted_only)
        ],
    )

    summary = workbook.create_sheet(SUMMARY_SHEET)
    headers = [THAI_HEADERS[column] for column in PERSON_COLUMNS]
    for code in codes:
        headers.append(SUMMARY_LEVEL.format(code=code))
        headers.append(SUMMARY_POINTS.format(code=code))
    headers += [THAI_HEADERS[column] for column in (*TOTAL_COLUMNS, *STAGE_COLUMNS)]
    summary_rows = [
        _summary_row(person, submitted_only) for person in _shown(people, submitted_only)
    ]
    _write_table(summary, headers, summary_rows)

    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _summary_row(person, submitted_only=False):
    cells = list(_person(person).items())
    bar = person.assessment.cycle.method == Cycle.Method.BAR
    for row in person.results.values():
        cells.append(("supervisor_level", row.supervisor_level))
        # what the competency adds to the score by the round's method (bar: its points)
        part = row.points if bar else person.parts.get(row.code)
        cells.append(("competency_part" if not bar else "points", part))
    totals = _totals(person, submitted_only)
    cells += [(column, _cell_value(column, totals[column])) for column in TOTAL_COLUMNS]
    cells.append(("stage", _cell_value("stage", person.assessment.stage)))
    return cells


def _write_table(sheet, headers, table):
    """Bold, frozen header row; numbers as numbers; column widths from the longest text.
    The sheet is write-only (rows streamed out as they come): the widths are worked out
    first, and a cell is styled only where it needs it."""
    table = [[(column, _sheet_text(value)) for column, value in cells] for cells in table]
    widths = [_display_width(header) for header in headers]
    for cells in table:
        for index, (_column, value) in enumerate(cells):
            widths[index] = max(widths[index], _display_width(value))
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = min(
            MAX_WIDTH, max(MIN_WIDTH, width + 2)
        )
    sheet.freeze_panes = "A2"
    sheet.append([_header_cell(sheet, _sheet_text(header)) for header in headers])
    for cells in table:
        sheet.append([_cell(sheet, column, value) for column, value in cells])
    if table:
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{len(table) + 1}"


def _header_cell(sheet, text):
    cell = WriteOnlyCell(sheet, value=text)
    cell.font, cell.fill, cell.alignment = HEADER_FONT, HEADER_FILL, HEADER_ALIGNMENT
    return cell


def _cell(sheet, column, value):
    """A value as it goes into the sheet: text that could be read as a formula is text, with
    the quote prefix a spreadsheet that re-evaluates the cell sees too; decimals show two
    places."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type = "s"
        cell.quotePrefix = True
        return cell
    if column in DECIMAL_COLUMNS and value is not None:
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = "0.00"
        return cell
    return value


def _sheet_text(value):
    """Stored text without the control characters that openpyxl refuses (a name with a form
    feed would otherwise make the whole export fail); other values as they are."""
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    return value


def _display_width(value):
    if isinstance(value, Decimal):
        value = f"{value:.2f}"
    return display_width(value)


def export(cycle, fmt, submitted_only=False):
    """(content, content type, file name) of the export in one of FORMATS."""
    name = f"results-{cycle.code}{'-submitted' if submitted_only else ''}.{fmt}"
    if fmt == "csv":
        return export_csv(cycle, submitted_only).encode("utf-8"), CSV_TYPE, name
    if fmt == "xlsx":
        return export_xlsx(cycle, submitted_only), XLSX_TYPE, name
    raise ValueError(f"unknown export format {fmt!r}")
