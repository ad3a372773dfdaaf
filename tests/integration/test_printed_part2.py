"""Part 2 of the printed form can be checked by hand: both weighted parts are printed, the
total is their sum as printed, the rounding rule is stated, and the bands are printed with
their thresholds (assessments/scoring.py, rule 5). Read back from real PDFs."""

import io
import random
import re
from decimal import Decimal
from fractions import Fraction
from io import StringIO

import pytest
from django.core.management import call_command
from pypdf import PdfReader

from assessments.models import Assessment, Role
from assessments.reports import context, render
from tests.factories import rate
from tests.pdfs import form_pdf

CODES = ("ACH", "COM", "SDEV", "LOCAL")
ARABIC = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
NUMBER = r"(\d+\.\d{2})\s*$"


def part2_text(pdf):
    text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    return text.translate(ARABIC)


def printed(text, label):
    found = re.search(re.escape(label) + r"[^\n]*?" + NUMBER, text, re.MULTILINE)
    assert found, f"{label!r} not printed with a number"
    return Decimal(found[1])


def half_up(value):
    """Two places, a half rounded up: computed here, apart from the portal's code."""
    hundredths = Fraction(value) * 100
    whole = hundredths.numerator // hundredths.denominator
    if hundredths - whole >= Fraction(1, 2):
        whole += 1
    return Decimal(whole) / 100


@pytest.mark.parametrize("seed", range(6))
def test_the_printed_parts_add_up_to_the_printed_total(round_open, seed):
    draw = random.Random(seed)
    cast = round_open
    assessment = cast.somchai_assessment
    levels = {code: draw.randint(0, 5) for code in CODES}
    work_results = Decimal(draw.randint(0, 10000)) / 100
    rate(assessment, Role.SUPERVISOR, cast.head.user, levels, work_results=work_results)

    text = part2_text(form_pdf(assessment))

    score = printed(text, "คะแนนสมรรถนะ (ร้อยละ)")
    competency_part = printed(text, "(1) คะแนนสมรรถนะถ่วงน้ำหนัก")
    work = printed(text, "ผลสัมฤทธิ์ของงาน (ร้อยละ)")
    work_part = printed(text, "(2) ผลสัมฤทธิ์ของงานถ่วงน้ำหนัก")
    total = printed(text, "คะแนนรวม: (1) + (2)")
    assert work == work_results
    assert competency_part == half_up(score * 30 / 100)
    assert work_part == half_up(work * 70 / 100)
    assert total == competency_part + work_part


def test_the_bands_are_printed_with_their_thresholds(round_open):
    cast = round_open
    rate(cast.somchai_assessment, Role.SUPERVISOR, cast.head.user, 5, work_results=Decimal("85"))
    html = context.person_form_html(context.assessment_for_print(cast.somchai_assessment.pk))
    text = part2_text(render.html_to_pdf(html))
    line = "ดีเด่น (90–100) ดีมาก (80–89.99) ดี (70–79.99) พอใช้ (60–69.99) ต้องปรับปรุง (0–59.99)"
    assert line in text
    assert "ก่อนนำมารวม" in text  # the rounding rule, stated
    # 100 × 30 % + 85 × 70 % = 30.00 + 59.50 = 89.50: ดีมาก, its box the one filled in
    assert printed(text, "คะแนนรวม: (1) + (2)") == Decimal("89.50")
    assert html.count('class="box checked"') == 1
    ticked = html.split('class="box checked"></span>')[1]
    assert ticked.startswith("ดีมาก")


def test_a_form_printed_by_a_command_counts_in_thai_digits(round_open, tmp_path):
    # what a command prints on the terminal stays in Arabic digits; a form is for people
    cast = round_open
    rate(cast.somchai_assessment, Role.SUPERVISOR, cast.head.user, 5, work_results=Decimal("85"))
    Assessment.objects.exclude(pk=cast.somchai_assessment.pk).delete()
    out = tmp_path / "forms.pdf"
    call_command("print_appraisals", "--cycle", "2569-1", "--output", str(out), stdout=StringIO())
    text = PdfReader(out).pages[0].extract_text()
    assert "คะแนนรวม: (๑) + (๒) ๘๙.๕๐" in text


def test_a_round_scored_before_keeps_its_total(round_open):
    # migration 0017 gives every round that existed the earlier rule: its totals never move
    cast = round_open
    cast.cycle.total_rounding = "total"
    cast.cycle.save()
    rate(cast.somchai_assessment, Role.SUPERVISOR, cast.head.user, 1, work_results=Decimal("70.05"))
    text = part2_text(form_pdf(cast.somchai_assessment))
    score = printed(text, "คะแนนสมรรถนะ (ร้อยละ)")
    exact = score * Decimal("0.3") + Decimal("70.05") * Decimal("0.7")
    assert printed(text, "คะแนนรวม") == half_up(exact)
    assert "ตามหลักเกณฑ์ที่ใช้กับรอบการประเมินนี้" in text.replace("\n", "")


def test_the_migration_gives_every_existing_round_the_earlier_rule(round_open):
    import importlib

    from django.apps import apps

    from assessments.models import Cycle

    migration = importlib.import_module("assessments.migrations.0017_rounds_keep_their_rounding")
    migration.rounds_so_far_keep_theirs(apps, None)
    assert set(Cycle.objects.values_list("total_rounding", flat=True)) == {"total"}
