"""A round scores by the method it was opened with (issue 15): `open_cycle` sets it, the
results, the export and the printed form follow it, bad settings are refused in Thai with
nothing opened, and a round keeps its figures whatever later rounds choose."""

import io
from decimal import Decimal
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.utils import translation
from pypdf import PdfReader

from assessments import services
from assessments.exports import results as results_export
from assessments.models import Assessment, Cycle, Role
from assessments.reports import context, render
from assessments.selectors.results import assessment_results
from tests.factories import rate

OPEN = ["--code", "2569-1", "--fiscal-year", "2569", "--round", "1"]
RATING = ["--competency-method", "rating", "--competency-weights", "ACH=40,COM=20,SDEV=20,LOCAL=20"]


def open_cycle(*args):
    out = StringIO()
    call_command("open_cycle", *args, stdout=out)
    return Cycle.objects.get(code="2569-1")


def rate_somchai(cast, cycle, levels):
    """somchai rated by head: level `levels[code]` in each competency, work results 80 %."""
    a = Assessment.objects.get(cycle=cycle, employee=cast.somchai)
    rate(a, Role.SUPERVISOR, cast.head.user, levels, work_results=Decimal("80"))
    return Assessment.objects.get(pk=a.pk)


LEVELS = {"ACH": 4, "COM": 3, "SDEV": 2, "LOCAL": 5}


def test_a_round_opened_with_the_rating_method_scores_by_it(cast):
    cycle = open_cycle(*OPEN, *RATING, "--competency-part", "20", "--bands", "85,75,65,55")
    assert (cycle.method, cycle.competency_weight) == ("rating", Decimal("20"))
    a = rate_somchai(cast, cycle, LEVELS)
    person = assessment_results(a)
    # by hand: (4×40 + 3×20 + 2×20 + 5×20) ÷ 5 = 72; 72 × 20 % = 14.40; 80 × 80 % = 64.00
    assert person.score == Decimal("72.00")
    assert (person.weighted, person.weighted_work, person.total) == (
        Decimal("14.40"),
        Decimal("64.00"),
        Decimal("78.40"),
    )
    # the round's bands: 85 > 78.40 ≥ 75 is ดีมาก (with the default ones, 90/80/70/60, ดี)
    assert person.band == ("very_good", "ดีมาก")
    assert person.parts == {
        "ACH": Decimal("32.00"),
        "COM": Decimal("12.00"),
        "SDEV": Decimal("8.00"),
        "LOCAL": Decimal("20.00"),
    }


@pytest.mark.parametrize(
    ("method", "score"),
    [("bar", Decimal("100.00")), ("rating_equal", Decimal("70.00")), ("hybrid", Decimal("100.00"))],
)
def test_the_other_methods_by_hand(cast, method, score):
    # somchai is expected at level 1 everywhere: every level at or above it
    cycle = open_cycle(*OPEN, "--competency-method", method)
    person = assessment_results(rate_somchai(cast, cycle, LEVELS))
    assert person.score == score  # rating_equal: 14 ÷ 20 × 100


def test_the_export_names_the_method_and_each_competencys_part(cast):
    cycle = open_cycle(*OPEN, *RATING)
    rate_somchai(cast, cycle, LEVELS)
    rows = [
        r for r in results_export.rows(cycle) if r["employee_code"] == cast.somchai.employee_code
    ]
    assert {r["competency_method"] for r in rows} == {"rating"}
    assert {r["competency"]: r["competency_part"] for r in rows}["ACH"] == Decimal("32.00")
    assert {r["competency"]: r["points"] for r in rows}["ACH"] == 3  # the bar points stay


def test_the_printed_form_shows_the_method_and_the_parts(cast):
    cycle = open_cycle(*OPEN, *RATING)
    a = rate_somchai(cast, cycle, LEVELS)
    pdf = render.html_to_pdf(context.person_form_html(context.assessment_for_print(a.pk)))
    pages = PdfReader(io.BytesIO(pdf)).pages
    text = " ".join(" ".join(page.extract_text() for page in pages).split())  # lines joined
    assert "วิธีคิดคะแนน: ระดับที่แสดงออกจริง" in text
    assert "ACH ๔๐ %" in text  # the weights named in the note
    assert "๓๒.๐๐" in text  # ACH's part: 4 × 40 ÷ 5


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--competency-weights", "ACH=40,COM=20,SDEV=20,LOCAL=10"], "ต้องรวมกันได้ร้อยละ 100"),
        (["--competency-weights", "ACH=50,COM=50"], "ขาด SDEV, LOCAL"),
        (["--competency-weights", "ACH40"], "รหัส=ร้อยละ"),
        (["--competency-weights", "ACH=40,COM=20,SDEV=20,LOCAL=20,XYZ=0"], "ไม่รู้จัก XYZ"),
    ],
)
def test_bad_weights_are_refused_in_thai_and_nothing_opens(cast, options, message):
    with pytest.raises(CommandError, match=message):
        open_cycle(*OPEN, "--competency-method", "rating", *options)
    assert not Assessment.objects.exists()
    assert not Cycle.objects.filter(status=Cycle.Status.OPEN).exists()


def test_bad_bands_and_parts_are_refused(cast):
    with pytest.raises(CommandError, match="เรียงจากมากไปน้อย"):
        open_cycle(*OPEN, "--bands", "60,70,80,90")
    with pytest.raises(CommandError, match="ร้อยละตั้งแต่ 0 ถึง 100"):
        open_cycle(*OPEN, "--competency-part", "130")
    assert not Assessment.objects.exists()


def test_a_round_keeps_its_method_and_figures_when_later_rounds_choose_another(cast):
    first = open_cycle(*OPEN, *RATING)
    a = rate_somchai(cast, first, LEVELS)
    before = assessment_results(a)
    with translation.override("th"), pytest.raises(ValidationError, match="กำหนดไว้แล้ว"):
        services.set_scoring(
            cycle=first, method="bar", competency_weight=30, framework=first.framework
        )
    Cycle.objects.filter(pk=first.pk).update(status=Cycle.Status.CLOSED)
    call_command(
        "open_cycle", "--code", "2569-2", "--fiscal-year", "2569", "--round", "2", stdout=StringIO()
    )
    assert Cycle.objects.get(code="2569-2").method == "bar"  # the default, for the new round
    after = assessment_results(Assessment.objects.get(pk=a.pk))
    assert (after.score, after.total, after.band) == (before.score, before.total, before.band)
    assert after.score == Decimal("72.00")


def test_a_round_opened_with_the_default_bands_keeps_them(cast):
    cycle = open_cycle(*OPEN)
    assert cycle.band_thresholds == ["90", "80", "70", "60"]


def test_percentages_are_stored_plainly_and_a_band_needs_room_below_it(cast):
    draft = Cycle.objects.create(
        code="2569-1",
        fiscal_year=2569,
        round=1,
        start_date="2025-10-01",
        end_date="2026-03-31",
    )
    from framework.selectors import published_framework

    framework = published_framework()
    services.set_scoring(
        cycle=draft,
        method="rating",
        competency_weight="3e1",
        weights={"ACH": "1e2", "COM": "0", "SDEV": "0", "LOCAL": "0"},
        thresholds=["90", "80", "70", "60.50"],
        framework=framework,
    )
    draft.refresh_from_db()
    assert draft.competency_weight == Decimal("30")
    assert draft.competency_weights["ACH"] == "100"
    assert draft.band_thresholds == ["90", "80", "70", "60.5"]
    with translation.override("th"), pytest.raises(ValidationError, match="เรียงจากมากไปน้อย"):
        services.set_scoring(
            cycle=draft,
            method="bar",
            competency_weight=30,
            thresholds=["90", "80", "70", "0"],
            framework=framework,
        )
