"""A form not finalised says so on every page ("ฉบับร่าง" and its stage); a batch can print
only the finalised, or only the submitted, forms; every signature has its name, position and
date lines, with what the portal knows printed. Read back from real PDFs."""

from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from assessments import services
from assessments.models import PrintJob, Role
from tests.factories import rate
from tests.pdfs import form_pages


def rated(cast, assessment, supervisor):
    rate(assessment, Role.SELF, assessment.employee.user, 3)
    rate(assessment, Role.SUPERVISOR, supervisor.user, 3, work_results=Decimal("80"))


def finalised(cast):
    """somchai's assessment through every step, finalised by HR."""
    a = cast.somchai_assessment
    rated(cast, a, cast.head)
    services.acknowledge(assessment=a, by=cast.somchai.user)
    services.review(assessment=a, by=cast.palad.user, opinion="agree")
    services.finalize(assessment=a, by=cast.hr)
    return a


def test_a_form_not_finalised_is_marked_a_draft_with_its_stage_on_every_page(round_open):
    cast = round_open
    rated(cast, cast.somchai_assessment, cast.head)
    pages = form_pages(cast.somchai_assessment)
    assert len(pages) > 2
    for number, text in enumerate(pages, start=1):
        assert "ฉบับร่าง" in text, f"page {number}"
        assert "ผู้บังคับบัญชาประเมินแล้ว" in text, f"page {number}"  # the stage


def test_a_finalised_form_has_no_draft_mark(round_open):
    pages = form_pages(finalised(round_open))
    assert not any("ร่าง" in text for text in pages)


def test_a_batch_can_print_only_finalised_or_only_submitted_forms(round_open, tmp_path):
    cast = round_open
    finalised(cast)
    rated(cast, cast.malee_assessment, cast.head)  # submitted by the supervisor, not finalised

    def printed(*only):
        out = tmp_path / f"forms-{'-'.join(only) or 'all'}.pdf"
        call_command(
            "print_appraisals", "--cycle", "2569-1", "-o", str(out), *only, stdout=StringIO()
        )
        return {item.title for item in PdfReader(out).outline if not isinstance(item, list)}

    everyone = printed()
    assert printed("--only", "finalized") == {cast.somchai.full_name}
    assert printed("--only", "submitted") == {cast.somchai.full_name, cast.malee.full_name}
    assert len(everyone) > 2


def test_the_batch_page_asks_which_forms_and_refuses_an_unknown_choice(client, round_open):
    cast = round_open
    client.force_login(cast.hr)
    page = client.get(reverse("assessments:cycle_detail", args=[cast.cycle.pk])).content.decode()
    assert 'name="only"' in page and "เฉพาะแบบที่ยืนยันผลแล้ว" in page
    url = reverse("assessments:print_job_create", args=[cast.cycle.pk])
    response = client.post(url, {"only": "everything"}, follow=True)
    assert "โปรดเลือกแบบประเมินที่จะพิมพ์จากรายการ" in response.content.decode()
    assert not PrintJob.objects.exists()
    finalised(cast)
    client.post(url, {"only": "finalized"})
    assert PrintJob.objects.get().only == "finalized"
    assert PrintJob.objects.get().total == 1


def test_signatures_print_names_positions_and_the_dates_known(round_open):
    cast = round_open
    a = finalised(cast)
    a.refresh_from_db()
    text = "".join(form_pages(a)).replace("\n", " ")
    # the person, the rater and the next-level supervisor, each with their position
    for person in (cast.somchai, cast.head, cast.palad):
        assert f"({person.full_name})" in text
        assert f"ตำแหน่ง {person.position_title}" in text
    # the block one level higher still prints even with nobody named there
    assert "ความเห็นของผู้บังคับบัญชาเหนือขึ้นไปอีกชั้นหนึ่ง (ถ้ามี)" in text
    assert text.count("ลงชื่อ") == 5  # person, rater, witness, reviewer, the one above
    # acknowledged, submitted by the rater and reviewed today: three dates printed
    assert text.count(f"วันที่ {thai_date(timezone.localdate())}") >= 3


MONTHS = "มกราคม กุมภาพันธ์ มีนาคม เมษายน พฤษภาคม มิถุนายน กรกฎาคม สิงหาคม กันยายน ตุลาคม พฤศจิกายน ธันวาคม"


def thai_date(day):
    digits = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")
    return f"{day.day} {MONTHS.split()[day.month - 1]} {day.year + 543}".translate(digits)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.PRINT_WORKERS = 1
