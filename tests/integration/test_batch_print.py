"""Batch printing in the background: HR asks, the task prints, HR follows and downloads."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from assessments.models import PrintJob


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.PRINT_WORKERS = 1
    return tmp_path


def ask(client, user, cycle, department=""):
    client.force_login(user)
    return client.post(
        reverse("assessments:print_job_create", args=[cycle.pk]), {"department": department}
    )


def test_staff_may_not_print_a_round(client, round_open, media):
    response = ask(client, round_open.head.user, round_open.cycle)
    assert response.status_code == 403
    assert not PrintJob.objects.exists()


def test_anonymous_is_sent_to_login(client, round_open, media):
    response = client.post(reverse("assessments:print_job_create", args=[round_open.cycle.pk]))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_hr_prints_a_division_in_the_background(
    client, round_open, media, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = ask(client, round_open.hr, round_open.cycle, department="กองคลัง")
    job = PrintJob.objects.get()
    assert response["Location"] == job.get_absolute_url()
    assert (job.status, job.done, job.total, job.failed) == ("done", 3, 3, [])
    page = client.get(job.get_absolute_url()).content.decode()
    assert 'http-equiv="refresh"' not in page
    download = client.get(reverse("assessments:print_job_file", args=[job.pk]))
    assert download["Content-Type"] == "application/pdf"
    assert "appraisals-2569-1-" in download["Content-Disposition"]
    reader = PdfReader(io.BytesIO(b"".join(download.streaming_content)))
    people = [item for item in reader.outline if not isinstance(item, list)]
    assert len(people) == 3  # one bookmark, and a new page, per person


def test_a_running_job_shows_progress_and_follows_it_without_reloading(client, round_open, media):
    job = PrintJob.objects.create(
        cycle=round_open.cycle, requested_by=round_open.hr, status="running", total=6, done=2
    )
    client.force_login(round_open.hr)
    page = client.get(job.get_absolute_url()).content.decode()
    assert 'http-equiv="refresh"' not in page
    assert "/static/js/print_job.js" in page
    assert 'aria-live="polite"' in page
    assert "๒ จาก ๖" in page
    assert client.get(reverse("assessments:print_job_file", args=[job.pk])).status_code == 404


def test_a_division_with_nobody_is_refused(client, round_open, media):
    ask(client, round_open.hr, round_open.cycle, department="ไม่มีกองนี้")
    assert not PrintJob.objects.exists()


def test_a_form_that_fails_is_named_and_the_others_are_kept(round_open, media):
    from assessments.models import Assessment
    from assessments.reports.batch import assessments_to_print, print_forms

    # Damaged data (expected levels stored as a list) makes this one form fail to build.
    Assessment.objects.filter(pk=round_open.malee_assessment.pk).update(expected_levels=[])
    result = print_forms(assessments_to_print(round_open.cycle, "กองคลัง"), workers=1)
    assert [name for name, _reason in result.failed] == [round_open.malee.full_name]
    assert len(result.printed) == 2
    assert len(PdfReader(io.BytesIO(result.pdf)).outline) >= 2


def test_a_batch_whose_file_is_gone_sends_hr_to_print_it_again(client, round_open, media):
    job = PrintJob.objects.create(
        cycle=round_open.cycle, requested_by=round_open.hr, status="done", total=1, done=1
    )
    job.file.name = "print-jobs/gone.pdf"  # as after a restore on a new server
    job.save()
    client.force_login(round_open.hr)

    response = client.get(reverse("assessments:print_job_file", args=[job.pk]), follow=True)

    assert response.redirect_chain[-1][0] == round_open.cycle.get_absolute_url()
    assert "ไม่มีไฟล์ของงานพิมพ์ชุดนี้แล้ว" in response.content.decode()
