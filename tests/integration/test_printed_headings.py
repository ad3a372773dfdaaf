"""Pages of indicator rows carry their headings: every annex page after the first, and every
page of the paper form after the first, starts with the competency and the level its rows
belong to and the column headings; no page ends on a heading without its first row. Read
back with pypdf in layout mode: lines in the order they stand on the page, top first (the
page's top margin, where the headings repeat, is drawn after its body)."""

import io

import pytest
from pypdf import PdfReader

from assessments.models import Role
from assessments.reports import context, render
from tests.pdfs import rated_for_print

COMPETENCIES = ["การมุ่งมั่นสู่ความสำเร็จ", "ทักษะการสื่อสาร", "การพัฒนาตนเอง"]
COMPETENCIES.append("ความเป็นพนักงานส่วนท้องถิ่น")


def pages_text(pdf, tmp_path):
    return [
        [
            line.strip()
            for line in page.extract_text(extraction_mode="layout").splitlines()
            if line.strip()
        ]
        for page in PdfReader(io.BytesIO(pdf)).pages
    ]


def starts_with_headings(lines, columns):
    name, _, level = lines[0].partition(" · ")
    assert name in COMPETENCIES, lines[:2]
    assert level.startswith("ระดับ "), lines[:2]
    assert any("พฤติกรรมบ่งชี้" in line for line in lines[1:4]), lines[:4]
    assert any(columns in line for line in lines[1:6]), lines[:6]


def body(lines):
    """A page's lines without its footer (the person's name line and the page number)."""
    return [line for line in lines if not line.startswith(("หน้า ", "นาย", "นาง"))]


def ends_on_a_row(lines):
    last = body(lines)[-1]
    assert not last.startswith("ระดับ "), last  # a level heading
    assert last not in COMPETENCIES and "พฤติกรรมบ่งชี้" not in last, last


@pytest.fixture
def rated(round_open):
    return rated_for_print(round_open)


def test_every_annex_page_starts_with_its_headings(rated, tmp_path):
    pages = pages_text(render.html_to_pdf(context.person_form_html(rated)), tmp_path)
    first_annex = next(i for i, lines in enumerate(pages) if lines[0].startswith("ภาคผนวก"))
    later = pages[first_annex + 1 :]
    assert later, "the annex fits on one page: nothing to check"
    for lines in later:
        starts_with_headings(lines, "ผู้บังคับบัญชา")
    for lines in pages[first_annex:]:
        ends_on_a_row(lines)


@pytest.mark.parametrize("role", [Role.SELF, Role.SUPERVISOR])
def test_every_paper_form_page_starts_with_its_headings(rated, tmp_path, role):
    pages = pages_text(render.html_to_pdf(context.blank_form_html(rated, role)), tmp_path)
    assert len(pages) > 2
    for lines in pages[1:]:
        starts_with_headings(lines, "แสดงพฤติกรรม")
    for lines in pages:
        ends_on_a_row(lines)


def first_body_line_after_headings(lines):
    """The first line under the repeated headings (the running head's name line and the column
    headings, which end with "ผู้บังคับบัญชา")."""
    after = next(i for i, line in enumerate(lines[:6]) if "ผู้บังคับบัญชา" in line) + 1
    while lines[after] == "ตนเอง":  # the column heading "ประเมินตนเอง" on two lines
        after += 1
    return lines[after]


def test_a_page_beginning_with_a_competency_repeats_that_one_on_a_draft(rated, tmp_path):
    # A draft carries a fixed "ร่าง" box on every page; placed before the content, it was the
    # first box of each page, and the running head of a page that begins with a competency's
    # heading named the previous competency's last level. Lines are added before the second
    # competency until its heading is pushed to the top of a page.
    assert not rated.is_finalized
    html = context.person_form_html(rated)
    second = html.index("<h3 data-head=", html.index("<h3 data-head=") + 1)
    for extra in range(60):
        padded = html[:second] + "<p>บรรทัดเพิ่ม</p>" * extra + html[second:]
        pages = pages_text(render.html_to_pdf(padded), tmp_path)
        beginning = [
            lines
            for lines in pages[1:]
            if any("ผู้บังคับบัญชา" in line for line in lines[:6])
            and first_body_line_after_headings(lines) in COMPETENCIES
        ]
        if beginning:
            break
    assert beginning, "no page began with a competency's heading: nothing checked"
    for lines in beginning:
        name = lines[0].partition(" · ")[0]
        assert name == first_body_line_after_headings(lines), lines[:6]
