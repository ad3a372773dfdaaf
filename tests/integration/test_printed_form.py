"""The printed appraisal form (DOMAIN.md, "The printed appraisal form"): one person's form from
assessments.reports (context → HTML → WeasyPrint PDF) and the download views, read back with pypdf.

Thai comes back from the text layer as typed, sara am (ำ) included (assessments/reports/
thai_text.py; tests/integration/test_pdf_text_layer.py). Lines wrap inside table cells, so
comparisons go through `searchable` (NFC, no white space), on both sides.
"""

import io
import re
import unicodedata
from datetime import date
from decimal import Decimal

import pytest
from django.conf import settings as django_settings
from django.shortcuts import resolve_url
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from assessments import scoring, services
from assessments.models import Role
from framework.models import ScalePoint
from tests.cast import make_cast, open_round
from tests.conftest import rolled_back
from tests.factories import all_indicators, rate, values_up_to
from tests.pdfs import form_pdf

pytestmark = pytest.mark.django_db  # the tests of the form printed once read the framework

COMPETENCIES = {
    "ACH": "การมุ่งมั่นสู่ความสำเร็จ",
    "COM": "ทักษะการสื่อสาร",
    "SDEV": "การพัฒนาตนเอง",
    "LOCAL": "ความเป็นพนักงานส่วนท้องถิ่น",
}
# The head of the treasury division (DIR-1: expected level 3 everywhere), rated by palad.
SELF_REACHED = {"ACH": 5, "COM": 3, "SDEV": 4, "LOCAL": 4}
SUPERVISOR_REACHED = {"ACH": 4, "COM": 2, "SDEV": 3, "LOCAL": 5}  # 3 + 2 + 3 + 3 = 11 of 12
SUGGESTION = "ควรฝึกพูดต่อหน้าที่ประชุมทุกเดือน"
WITNESS = "นางมาลี ทดสอบ"
A4 = (595.28, 841.89)
THAI_DIGITS = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")


# ---------------------------------------------------------------- helpers


def thai(value):
    return str(value).translate(THAI_DIGITS)


def searchable(text):
    """Text for comparison with what pypdf extracts: NFC, no whitespace."""
    text = unicodedata.normalize("NFC", text)
    return re.sub(r"\s+", "", text)


def reader(pdf):
    return PdfReader(io.BytesIO(pdf))


def page_texts(pdf):
    return [searchable(page.extract_text()) for page in reader(pdf).pages]


def pdf_text(pdf):
    return "".join(page_texts(pdf))


def between(text, start, end):
    """The part of `text` from the first `start` up to the next `end` (both searchable)."""
    begin = text.index(searchable(start))
    return text[begin : text.index(searchable(end), begin)]


def fonts(pdf_reader):
    """{BaseFont name: font dictionary} of every page."""
    found = {}
    for page in pdf_reader.pages:
        for font in page["/Resources"].get("/Font", {}).values():
            font = font.get_object()
            found[str(font["/BaseFont"])] = font
    return found


def embedded_file(font):
    """The TrueType stream of a font (simple or Type0/CID), or None when not embedded."""
    if "/DescendantFonts" in font:
        font = font["/DescendantFonts"][0].get_object()
    descriptor = font["/FontDescriptor"].get_object()
    return descriptor.get("/FontFile2")


def signed(gap):
    text = f"+{gap}" if gap > 0 else ("0" if gap == 0 else f"\u2212{-gap}")
    return thai(text)


def page_word():
    with translation.override("th"):
        return translation.gettext("Page")


def expected_rows(assessment, self_values, supervisor_values):
    """{code: (expected, self, supervisor, gap, points)} straight from assessments.scoring."""
    framework = assessment.cycle.framework
    demonstrated = set(
        ScalePoint.objects.filter(framework=framework, demonstrated=True).values_list(
            "value", flat=True
        )
    )
    marks = {Role.SELF: {}, Role.SUPERVISOR: {}}
    for indicator in all_indicators(framework):
        code, number = indicator.level.competency.code, indicator.level.number
        for role, values in ((Role.SELF, self_values), (Role.SUPERVISOR, supervisor_values)):
            by_level = marks[role].setdefault(code, {})
            by_level.setdefault(number, []).append(values[indicator.pk] in demonstrated)
    rows = {}
    for code in COMPETENCIES:
        expected = assessment.expected_levels[code]
        self_level = scoring.achieved_level(marks[Role.SELF][code], framework.required_share)
        level = scoring.achieved_level(marks[Role.SUPERVISOR][code], framework.required_share)
        rows[code] = (
            expected,
            self_level,
            level,
            scoring.gap(level, expected),
            scoring.gap_points(level, expected),
        )
    return rows


def rate_the_head(cast):
    """The head's assessment: self-rated, rated and submitted by palad, work results 80 %."""
    a = cast.head_assessment
    com = a.cycle.framework.competencies.get(code="COM")
    cast.self_values = rate(a, Role.SELF, cast.head.user, SELF_REACHED, submit=False)
    cast.supervisor_values = rate(
        a,
        Role.SUPERVISOR,
        cast.palad.user,
        SUPERVISOR_REACHED,
        comments={com.pk: SUGGESTION},
        work_results=Decimal("80"),
    )
    return cast


@pytest.fixture(scope="module")
def rated(django_db_setup, django_db_blocker):
    """`rate_the_head` on the cast's open round, and its form printed once for the module
    (`rated_pdf`), in a transaction rolled back at once: the tests read the objects kept in
    memory, and the seed framework, which stays in the database."""
    with rolled_back(django_db_blocker):
        cast = make_cast()
        open_round(cast)
        rate_the_head(cast)
        assert cast.head_assessment.cycle.framework  # in memory, for the tests
        cast.pdf = form_pdf(cast.head_assessment)
    return cast


@pytest.fixture(scope="module")
def rated_pdf(rated):
    return rated.pdf


@pytest.fixture
def rated_in_db(round_open):
    """`rate_the_head`, in the test's own database transaction (for a test that writes)."""
    return rate_the_head(round_open)


# ---------------------------------------------------------------- the form itself


def test_the_form_is_a4_portrait_on_every_page(rated_pdf):
    pages = reader(rated_pdf).pages
    assert len(pages) >= 2
    for page in pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert width == pytest.approx(A4[0], abs=1)
        assert height == pytest.approx(A4[1], abs=1)


def test_sarabun_regular_and_bold_are_embedded(rated_pdf):
    found = fonts(reader(rated_pdf))
    sarabun = {name: font for name, font in found.items() if "Sarabun" in name}
    assert sarabun, f"no Sarabun among {sorted(found)}"
    assert set(sarabun) == set(found), "every font of the form is Sarabun"
    bold = [name for name in sarabun if "Bold" in name]
    regular = [name for name in sarabun if "Bold" not in name and "Italic" not in name]
    assert bold and regular, sorted(sarabun)
    for name in bold + regular:
        assert embedded_file(sarabun[name]) is not None, f"{name} is not embedded"


def test_the_form_names_the_person_and_the_four_competencies(rated, rated_pdf):
    text = pdf_text(rated_pdf)
    assert searchable(rated.head.full_name) in text
    assert searchable(rated.head.employee_code) in text
    assert searchable(rated.palad.full_name) in text  # the supervisor, in Part 1
    for name in COMPETENCIES.values():
        assert searchable(name) in text, name


def test_every_page_carries_the_footer_with_name_round_and_page_of_pages(rated, rated_pdf):
    pages = page_texts(rated_pdf)
    name = searchable(rated.head.full_name)
    for number, text in enumerate(pages, start=1):
        # "<name> · รอบการประเมิน ๒๕๖๙-๑" on the left, "หน้า x/y" on the right
        assert re.search(re.escape(name) + "·.*๒๕๖๙-๑", text), f"page {number}"
        assert f"{page_word()}{thai(number)}/{thai(len(pages))}" in text, f"page {number}"


def test_part_2_shows_the_levels_that_the_scoring_rules_give(rated, rated_pdf):
    a = rated.head_assessment
    rows = expected_rows(a, rated.self_values, rated.supervisor_values)
    assert rows["COM"] == (3, 3, 2, -1, 2)  # the example is what it claims to be
    first_page = page_texts(rated_pdf)[0]
    for code, (expected, self_level, level, gap, points) in rows.items():
        # One table row: name, expected, self, supervisor, gap, points.
        cells = "".join([thai(expected), thai(self_level), thai(level), signed(gap), thai(points)])
        assert searchable(COMPETENCIES[code]) + cells in first_page, code


def test_part_2_shows_the_score_weighted_score_total_and_band(rated, rated_pdf):
    rows = expected_rows(rated.head_assessment, rated.self_values, rated.supervisor_values)
    score = scoring.competency_score(points for *_levels, points in rows.values())
    assert score == Decimal("91.67")
    weighted = scoring.weighted_competency_score(score)
    total = scoring.weighted_total(score, Decimal("80"))
    first_page = page_texts(rated_pdf)[0]
    assert "๙๑.๖๗" in first_page
    assert thai(weighted) == "๒๗.๕๐"
    assert thai(weighted) in first_page
    assert thai(total) == "๘๓.๕๐"
    assert thai(total) in first_page
    assert "๘๐.๐๐" in first_page  # work results
    assert scoring.band(total)[1] in first_page  # ดีมาก


def test_a_person_without_any_ratings_still_prints_with_empty_cells(round_open):
    cast = round_open
    pdf = form_pdf(cast.malee_assessment)
    first_page = page_texts(pdf)[0]
    assert searchable(cast.malee.full_name) in first_page
    for name in COMPETENCIES.values():
        # GEN-1 expects level 1; self, supervisor, gap and points are dashes.
        assert searchable(name) + "๑––––" in first_page, name
    assert "๙๑.๖๗" not in first_page
    assert first_page.count("–") >= 4 * 4 + 5  # the four rows and the five totals


def test_the_development_plan_lists_the_next_level_and_the_suggestions(rated, rated_pdf):
    framework = rated.head_assessment.cycle.framework
    plan = between(pdf_text(rated_pdf), "ส่วนที่ ๓", "ส่วนที่ ๔")
    com = framework.competencies.get(code="COM")  # level 2 of an expected 3
    for indicator in com.levels.get(number=3).indicators.all():
        assert searchable(f"{thai(indicator.number)}.{indicator.text}") in plan, indicator.text
    assert searchable(SUGGESTION) in plan
    # At or above expectation: not in the plan.
    for code in ("ACH", "SDEV", "LOCAL"):
        assert searchable(COMPETENCIES[code]) not in plan, code
    level_4 = com.levels.get(number=4).indicators.first()
    assert searchable(level_4.text) not in plan


def test_the_witness_and_date_of_a_refusal_are_printed_in_part_4(rated_in_db):
    a = rated_in_db.head_assessment
    services.record_refusal(
        assessment=a, by=rated_in_db.palad.user, witness=WITNESS, refusal_date=date(2025, 11, 3)
    )
    part_4 = between(pdf_text(form_pdf(a)), "ส่วนที่ ๔", "ส่วนที่ ๕")
    assert f"({searchable(WITNESS)})" in part_4
    assert "๓พฤศจิกายน๒๕๖๘" in part_4  # Buddhist Era


def test_without_a_refusal_the_witness_line_is_blank(rated_pdf):
    assert searchable(WITNESS) not in pdf_text(rated_pdf)


def test_thai_digits_can_be_turned_off(settings, round_open):
    settings.PORTAL_THAI_DIGITS = False
    pages = page_texts(form_pdf(round_open.somchai_assessment))
    for number, text in enumerate(pages, start=1):
        assert "2569-1" in text, f"page {number}"
        assert f"{page_word()}{number}/{len(pages)}" in text, f"page {number}"
        assert "๒๕๖๙-๑" not in text, f"page {number}"
    assert "ปีงบประมาณ2569" in pages[0]


def test_the_warning_about_a_level_shown_above_a_gap_uses_thai_digits(round_open):
    cast = round_open
    a = cast.somchai_assessment
    values = values_up_to(a.cycle.framework, {"ACH": 5, "COM": 1, "SDEV": 1, "LOCAL": 1})
    ach = a.cycle.framework.competencies.get(code="ACH")
    values[ach.levels.get(number=2).indicators.first().pk] = 0  # 3, 4, 5 pass over a failed 2
    services.save_ratings(assessment=a, role=Role.SUPERVISOR, by=cast.head.user, values=values)
    first_page = page_texts(form_pdf(a))[0]
    assert "3,4,5" not in first_page  # printed today: "…ระดับ 3, 4, 5 … ยังคงเป็น 1"
    assert "๓,๔,๕" in first_page


# ---------------------------------------------------------------- the download views


@pytest.mark.parametrize("who", ["somchai", "head", "hr"])
def test_the_person_their_supervisor_and_hr_may_download_the_form(client, round_open, who):
    cast = round_open
    a = cast.somchai_assessment
    client.force_login(cast.hr if who == "hr" else getattr(cast, who).user)
    response = client.get(reverse("assessments:pdf", args=[a.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "appraisal-2569-1-K0202.pdf" in response["Content-Disposition"]
    assert searchable(cast.somchai.full_name) in pdf_text(response.content)


def test_an_outsider_may_not_download_the_form(client, round_open):
    cast = round_open
    client.force_login(cast.outsider.user)
    response = client.get(reverse("assessments:pdf", args=[cast.somchai_assessment.pk]))
    assert response.status_code == 404


def test_an_anonymous_visitor_is_sent_to_the_login_page(client, round_open):
    url = reverse("assessments:pdf", args=[round_open.somchai_assessment.pk])
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(resolve_url(django_settings.LOGIN_URL))


def test_the_annual_form_shows_both_rounds_of_the_year(client, round_open):
    cast = round_open
    services.close_cycle(cycle=cast.cycle, by=cast.hr)
    second = services.create_cycle(code="2569-2", fiscal_year=2569, round_number=2)
    services.open_cycle(cycle=second, by=cast.hr)
    client.force_login(cast.somchai.user)
    response = client.get(reverse("assessments:annual_pdf", args=[cast.somchai_assessment.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "annual-2569-K0202.pdf" in response["Content-Disposition"]
    text = pdf_text(response.content)
    assert searchable(cast.somchai.full_name) in text
    assert "๒๕๖๙-๑" in text
    assert "๒๕๖๙-๒" in text


def test_the_blank_paper_form_has_the_name_the_competencies_and_the_scale(client, round_open):
    cast = round_open
    a = cast.somchai_assessment
    client.force_login(cast.somchai.user)
    response = client.get(reverse("assessments:blank_pdf", args=[a.pk]), {"role": "self"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "blank-self-2569-1-K0202.pdf" in response["Content-Disposition"]
    text = pdf_text(response.content)
    assert searchable(cast.somchai.full_name) in text
    for name in COMPETENCIES.values():
        assert searchable(name) in text, name
    labels = list(
        ScalePoint.objects.filter(framework=a.cycle.framework).values_list("label_th", flat=True)
    )
    assert len(labels) == 2  # the two-point scale
    for label in labels:
        assert searchable(label) in text, label
    # "แสดงพฤติกรรม" is inside "ไม่แสดงพฤติกรรม": the negative label must be there on its own,
    # once in the heading of each competency's table.
    assert text.count(searchable("ไม่แสดงพฤติกรรม")) >= len(COMPETENCIES)


def test_a_blank_form_for_an_unknown_role_is_not_found(client, round_open):
    cast = round_open
    client.force_login(cast.somchai.user)
    url = reverse("assessments:blank_pdf", args=[cast.somchai_assessment.pk])
    assert client.get(url, {"role": "nonsense"}).status_code == 404
