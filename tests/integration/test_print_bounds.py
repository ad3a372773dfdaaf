"""A printed form has a bound on its length, its size and its layout time (issue 10, point 5):
a form over PORTAL_PDF_MAX_PAGES pages or PORTAL_PDF_MAX_BYTES bytes is refused, and one whose
layout takes longer than PORTAL_PDF_TIMEOUT_SECONDS is stopped (assessments/reports/render.py,
workers.py). The person's download then shows why, in Thai, with status 503 and no PDF; in a
batch, the refused form is named with its reason and the others print.
"""

import io
import logging
import re
import unicodedata

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse
from pypdf import PdfReader

from assessments.models import CompetencyComment, PrintJob, Role
from assessments.reports.batch import assessments_to_print, print_forms
from assessments.services.printing import run_print_job
from competency_portal import settings_pdf
from framework.models import Competency

TREASURY = "กองคลัง"
REFUSED_TITLE = "พิมพ์แบบฟอร์มไม่ได้"
# A comment far longer than the text guard allows today (4,000 characters), as data stored
# before the guard existed: some 60,000 characters of Thai words, well over ten A4 pages.
WORDS = "ผู้ปฏิบัติงานแสดงความมุ่งมั่นในการพัฒนางาน อย่างต่อเนื่อง และประสานงานกับหน่วยงานอื่น "
VERY_LONG = WORDS * 700


def searchable(text):
    """NFC, no whitespace (lines wrap inside cells)."""
    text = unicodedata.normalize("NFC", text)
    return re.sub(r"\s+", "", text)


def download(client, person, assessment):
    client.force_login(person.user)
    return client.get(reverse("assessments:pdf", args=[assessment.pk]))


def refusals(caplog):
    return [
        record
        for record in caplog.records
        if record.name == "assessments.views.printing" and record.exc_info
    ]


def give_a_very_long_comment(assessment, by):
    """The supervisor's comment on one competency of this assessment, written straight into
    the database (old data: the services would refuse it)."""
    competency = Competency.objects.filter(framework=assessment.cycle.framework).first()
    CompetencyComment.objects.create(
        assessment=assessment,
        competency=competency,
        role=Role.SUPERVISOR,
        text=VERY_LONG,
        written_by=by,
    )


# ---------------------------------------------------------------- the person's download


def test_a_form_within_the_bounds_downloads_as_a_pdf_with_the_persons_name(client, round_open):
    cast = round_open
    response = download(client, cast.somchai, cast.somchai_assessment)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    assert 1 <= len(reader.pages) <= 40  # the default bound
    assert searchable(cast.somchai.full_name) in searchable(reader.pages[0].extract_text())


def test_a_form_over_the_page_bound_is_refused_in_thai_with_nothing_half_written(
    client, round_open, settings, caplog
):
    settings.PORTAL_PDF_MAX_PAGES = 1  # every form has a cover page and parts after it
    response = download(client, round_open.somchai, round_open.somchai_assessment)
    assert response.status_code == 503
    assert response["Content-Type"].startswith("text/html")
    assert "Content-Disposition" not in response
    page = response.content.decode()
    assert not response.content.startswith(b"%PDF")
    assert REFUSED_TITLE in page
    assert "หน้า แต่แบบฟอร์มที่พิมพ์ได้มีได้ไม่เกิน ๑ หน้า" in page
    assert reverse("assessments:results", args=[round_open.somchai_assessment.pk]) in page
    # logged with its traceback, for HR to find
    assert [r.levelno for r in refusals(caplog)] == [logging.ERROR]


def test_a_pdf_over_the_byte_bound_is_refused(client, round_open, settings, caplog):
    settings.PORTAL_PDF_MAX_BYTES = 1024  # the Sarabun font alone is larger
    response = download(client, round_open.somchai, round_open.somchai_assessment)
    assert response.status_code == 503
    assert not response.content.startswith(b"%PDF")
    page = response.content.decode()
    assert REFUSED_TITLE in page
    assert "มีขนาดได้ไม่เกิน ๐.๐๐๐๙๗๗ เมกะไบต์" in page  # 1,024 ÷ 1,048,576
    assert len(refusals(caplog)) == 1


def test_a_form_whose_layout_takes_too_long_is_stopped(client, round_open, settings, caplog):
    settings.PORTAL_PDF_TIMEOUT_SECONDS = 0.01  # no form is laid out in 10 ms
    response = download(client, round_open.somchai, round_open.somchai_assessment)
    assert response.status_code == 503
    assert response["Retry-After"] == "120"
    assert not response.content.startswith(b"%PDF")
    page = response.content.decode()
    assert REFUSED_TITLE in page
    assert "ใช้เวลาเกิน ๐.๐๑ วินาที" in page
    assert len(refusals(caplog)) == 1
    # the stopped process is replaced: the next form prints
    settings.PORTAL_PDF_TIMEOUT_SECONDS = 20
    response = download(client, round_open.somchai, round_open.somchai_assessment)
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")


def test_the_annual_and_blank_forms_are_bounded_too(client, round_open, settings):
    settings.PORTAL_PDF_MAX_PAGES = 1
    client.force_login(round_open.somchai.user)
    pk = round_open.somchai_assessment.pk
    annual = client.get(reverse("assessments:annual_pdf", args=[pk]))
    blank = client.get(reverse("assessments:blank_pdf", args=[pk]), {"role": "self"})
    assert (annual.status_code, blank.status_code) == (503, 503)
    assert REFUSED_TITLE in annual.content.decode()
    assert REFUSED_TITLE in blank.content.decode()


# ---------------------------------------------------------------- a batch


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.PRINT_WORKERS = 1
    return tmp_path


def test_a_batch_prints_the_others_when_one_form_is_too_long(round_open, media, settings):
    cast = round_open
    settings.PORTAL_PDF_MAX_PAGES = 10  # the cast's forms have a handful of pages each
    give_a_very_long_comment(cast.malee_assessment, cast.head.user)
    job = PrintJob.objects.create(cycle=cast.cycle, department=TREASURY, requested_by=cast.hr)
    job = run_print_job(job.pk)
    assert job.status == PrintJob.Status.DONE
    assert job.done == 3
    [(name, reason)] = job.failed
    assert name == cast.malee.full_name
    assert "แต่แบบฟอร์มที่พิมพ์ได้มีได้ไม่เกิน ๑๐ หน้า" in reason
    reader = PdfReader(job.file.open("rb"))
    bookmarks = [item.title for item in reader.outline if not isinstance(item, list)]
    assert sorted(bookmarks) == sorted([cast.head.full_name, cast.somchai.full_name])
    assert 2 <= len(reader.pages) <= 2 * 10
    text = searchable("".join(page.extract_text() for page in reader.pages))
    assert searchable(WORDS) not in text


def test_a_batch_on_two_processes_stops_every_form_that_is_too_slow(round_open, settings):
    settings.PORTAL_PDF_TIMEOUT_SECONDS = 0.01
    assessments = assessments_to_print(round_open.cycle, TREASURY)
    result = print_forms(assessments, workers=2)
    assert result.pdf is None
    assert result.printed == []
    assert sorted(name for name, _reason in result.failed) == sorted(
        a.employee.full_name for a in assessments
    )
    assert all("ใช้เวลาเกิน ๐.๐๑ วินาที" in reason for _name, reason in result.failed)
    # and the next batch, within the bound, prints everybody
    settings.PORTAL_PDF_TIMEOUT_SECONDS = 20
    result = print_forms(assessments, workers=2)
    assert (len(result.printed), result.failed) == (3, [])
    assert len(PdfReader(io.BytesIO(result.pdf)).outline) >= 3


# ---------------------------------------------------------------- the settings


def test_the_bounds_are_read_from_the_environment_and_bad_values_stop_the_start(monkeypatch):
    monkeypatch.setenv("PORTAL_PDF_MAX_PAGES", "25")
    monkeypatch.setenv("PORTAL_PDF_TIMEOUT_SECONDS", "7.5")
    assert settings_pdf.env_whole("PORTAL_PDF_MAX_PAGES", 40) == 25
    assert settings_pdf.env_seconds("PORTAL_PDF_TIMEOUT_SECONDS", 20.0) == 7.5
    monkeypatch.delenv("PORTAL_PDF_MAX_PAGES")
    assert settings_pdf.env_whole("PORTAL_PDF_MAX_PAGES", 40) == 40
    for bad in ["0", "-3", "many", "2.5"]:
        monkeypatch.setenv("PORTAL_PDF_MAX_PAGES", bad)
        with pytest.raises(ImproperlyConfigured):
            settings_pdf.env_whole("PORTAL_PDF_MAX_PAGES", 40)
    for bad in ["-1", "nan", "inf", "soon"]:
        monkeypatch.setenv("PORTAL_PDF_TIMEOUT_SECONDS", bad)
        with pytest.raises(ImproperlyConfigured):
            settings_pdf.env_seconds("PORTAL_PDF_TIMEOUT_SECONDS", 20.0)
