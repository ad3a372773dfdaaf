"""Outputs safe for their reader (issue 10, point 5): every CSV export writes a cell that a
spreadsheet would run as a formula as text, and the XLSX export never fails on stored text and
never turns a name into a formula."""

import csv
import io

import openpyxl
import pytest
from django.urls import reverse

from assessments.exports import results as results_export
from assessments.imports import ratings as ratings_import
from assessments.models import Department, Employee, Role
from framework import exchange
from tests.cast import open_round

DIVISION = "=1+1"
NAME = "+cmd|' /C calc'!A0"
SHOWN_DIVISION = "'=1+1"
SHOWN_NAME = "'+cmd|' /C calc'!A0 ทดสอบ"


@pytest.fixture
def hostile_round(cast):
    """somchai is called "+cmd|' /C calc'!A0", his division "=1+1"; malee's name has a form
    feed; the round is opened afterwards, so the assessments keep these names."""
    Department.objects.filter(pk=cast.somchai.department_id).update(name_th=DIVISION)
    Employee.objects.filter(pk=cast.somchai.pk).update(title="", first_name=NAME, last_name="ทดสอบ")
    Employee.objects.filter(pk=cast.malee.pk).update(
        title="", first_name="มาลี\x0cสวย", last_name="=SUM(A1:A9)"
    )
    for key in ("somchai", "malee"):
        getattr(cast, key).refresh_from_db()
    open_round(cast)
    return cast


def read_csv(text):
    return list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))


def test_the_results_csv_writes_formula_cells_as_text(hostile_round):
    rows = read_csv(results_export.export_csv(hostile_round.cycle))
    header = rows[0]
    somchai = [row for row in rows[1:] if row[0] == "K0202"]
    assert somchai
    for row in somchai:
        assert row[header.index("full_name")] == SHOWN_NAME
        assert row[header.index("department")] == SHOWN_DIVISION
    malee = next(row for row in rows[1:] if row[0] == "K0203")
    assert malee[header.index("full_name")] == "มาลี\x0cสวย =SUM(A1:A9)"  # starts with มาลี
    assert not any(cell.startswith(("=", "+", "@")) for row in rows for cell in row)


def test_the_analytics_csv_writes_formula_cells_as_text(hostile_round, hr_client):
    response = hr_client.get(reverse("analytics:csv", args=["heatmap"]))
    assert response.status_code == 200
    body = b"".join(response) if response.streaming else response.content
    rows = read_csv(body.decode("utf-8"))
    cells = [cell for row in rows for cell in row]
    assert SHOWN_DIVISION in cells
    assert DIVISION not in cells
    assert not any(cell.startswith(("=", "+", "@")) for cell in cells)


def test_the_framework_csv_writes_formula_cells_as_text(seed_framework):
    competency = seed_framework.competencies.order_by("order").first()
    type(competency).objects.filter(pk=competency.pk).update(name_th=NAME)
    level = competency.levels.get(number=1)
    indicator = level.indicators.order_by("number").first()
    type(indicator).objects.filter(pk=indicator.pk).update(text="@SUM(1+1)*cmd|' /C calc'!A0")
    rows = read_csv(exchange.export_csv(seed_framework))
    names = {row[1] for row in rows[1:]}
    assert "'" + NAME in names and NAME not in names
    texts = {row[5] for row in rows[1:]}
    assert "'@SUM(1+1)*cmd|' /C calc'!A0" in texts
    # numbers stay numbers
    assert rows[1][2] == "1" and rows[1][4] == "1"


def test_the_blank_ratings_csv_writes_formula_cells_as_text(round_open):
    assessment = round_open.somchai_assessment
    Employee.objects.filter(pk=round_open.somchai.pk).update(employee_code="=HYPERLINK(1)")
    assessment.employee.refresh_from_db()
    rows = read_csv(ratings_import.csv_template(assessment, Role.SELF))
    assert rows[0] == [
        "employee_code",
        "role",
        "competency",
        "level",
        "indicator",
        "value",
        "indicator_text",
    ]
    assert {row[0] for row in rows[1:]} == {"'=HYPERLINK(1)"}
    assert rows[1][1:5] == ["self", "ACH", "1", "1"]


def test_the_xlsx_export_survives_control_characters_and_keeps_formulas_out(hostile_round):
    content = results_export.export_xlsx(hostile_round.cycle)  # no IllegalCharacterError
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
    detail = workbook.worksheets[0]
    values = {cell.value for row in detail.iter_rows(min_row=2) for cell in row}
    assert "มาลีสวย =SUM(A1:A9)" in values  # the form feed is dropped, the rest kept
    assert "+cmd|' /C calc'!A0 ทดสอบ" in values  # text, not a formula
    assert DIVISION in values
    division_cell = next(
        cell for row in detail.iter_rows(min_row=2) for cell in row if cell.value == DIVISION
    )
    assert division_cell.data_type == "s"
    assert division_cell.quotePrefix


def test_the_xlsx_download_is_a_200(hostile_round, hr_client):
    url = reverse("exports:results", args=[hostile_round.cycle.pk, "xlsx"])
    response = hr_client.get(url)
    assert response.status_code == 200
    body = b"".join(response) if response.streaming else response.content
    openpyxl.load_workbook(io.BytesIO(body))
