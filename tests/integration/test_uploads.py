"""Import files are kept on the server between the preview and the confirmation: a file near the
2 MB limit goes through, a token opens nothing for another HR user, and an oversized upload is
answered in Thai."""

import os
import time

import pytest
from django.conf import settings as django_settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from assessments.hr import uploads
from assessments.hr.people_forms import MAX_UPLOAD_BYTES
from assessments.models import Employee
from tests.conftest import assert_message
from tests.factories import UserFactory

HEADER = (
    "employee_code,title,first_name,last_name,position_title,position_class,department,"
    "supervisor_code,email,username"
)
PEOPLE = 200
TOO_LARGE = ("ไฟล์มีขนาดใหญ่เกินไป", "The file is too large")
LOST = ("อัปโหลดใหม่", "Upload it again")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def staff_csv(size):
    """A valid staff CSV of `size` bytes: PEOPLE people, then blank lines (which are skipped)."""
    rows = [
        f"K{9000 + n},นาย,ทดสอบ{n},นามสกุลยาว{n},นักวิชาการทดสอบ,ACA-1,กองทดสอบ,,,"
        for n in range(PEOPLE)
    ]
    content = "\r\n".join([HEADER, *rows, ""]).encode("utf-8-sig")
    blank = (" " * 98 + "\r\n").encode()
    content += blank * ((size - len(content)) // len(blank))
    return content + b" " * (size - len(content))


def upload(content):
    return SimpleUploadedFile("staff.csv", content, content_type="text/csv")


def page(response):
    return response.content.decode()


def kept_files(media):
    folder = media / uploads.FOLDER
    return sorted(folder.iterdir()) if folder.exists() else []


def test_a_file_near_the_limit_is_previewed_then_imported(hr_client, seed_framework, media):
    content = staff_csv(int(1.95 * 1024 * 1024))
    assert len(content) == int(1.95 * 1024 * 1024) < MAX_UPLOAD_BYTES
    url = reverse("people:import")

    preview = hr_client.post(url, {"file": upload(content)})

    assert preview.status_code == 200
    assert len(preview.context["report"].rows) == PEOPLE
    token = preview.context["confirm_form"].initial["upload_token"]
    assert f'value="{token}"' in page(preview)
    assert len(page(preview)) < len(content)  # the file is not carried in the page
    [kept] = kept_files(media)
    assert kept.read_bytes() == content

    done = hr_client.post(url, {"upload_token": token})

    assert done.status_code == 302
    assert Employee.objects.filter(employee_code__startswith="K9").count() == PEOPLE
    assert kept_files(media) == []  # read once, then deleted


def test_another_hr_user_cannot_confirm_someone_else_s_file(hr_client, seed_framework, media):
    url = reverse("people:import")
    preview = hr_client.post(url, {"file": upload(staff_csv(10_000))})
    token = preview.context["confirm_form"].initial["upload_token"]
    other = Client()
    other.force_login(UserFactory(username="hr_other", hr=True))

    response = other.post(url, {"upload_token": token})

    assert response.status_code == 200
    assert_message(page(response), *LOST)
    assert not Employee.objects.filter(employee_code__startswith="K9").exists()
    assert len(kept_files(media)) == 1  # still there for its owner
    assert hr_client.post(url, {"upload_token": token}).status_code == 302
    assert Employee.objects.filter(employee_code__startswith="K9").count() == PEOPLE


def test_a_token_is_used_once(hr_client, seed_framework):
    url = reverse("people:import")
    preview = hr_client.post(url, {"file": upload(staff_csv(10_000))})
    token = preview.context["confirm_form"].initial["upload_token"]
    assert hr_client.post(url, {"upload_token": token}).status_code == 302

    again = hr_client.post(url, {"upload_token": token})

    assert again.status_code == 200
    assert_message(page(again), *LOST)


def test_an_upload_over_the_limit_gets_the_thai_message(hr_client, seed_framework, media):
    content = staff_csv(MAX_UPLOAD_BYTES + 1)

    response = hr_client.post(reverse("people:import"), {"file": upload(content)})

    assert response.status_code == 200
    assert_message(page(response), *TOO_LARGE)
    assert "confirm_form" not in response.context
    assert kept_files(media) == []


def test_a_request_bigger_than_django_reads_gets_the_thai_message(hr_client, seed_framework):
    content = staff_csv(django_settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1024)

    response = hr_client.post(reverse("people:import"), {"file": upload(content)})

    assert response.status_code == 200
    assert_message(page(response), *TOO_LARGE)


def test_the_ratings_import_refuses_an_oversized_upload_too(hr_client, round_open):
    data = {"cycle": round_open.cycle.pk, "file": upload(b"x" * (MAX_UPLOAD_BYTES + 1))}

    response = hr_client.post(reverse("ratings_import:upload"), data)

    assert response.status_code == 200
    assert_message(page(response), *TOO_LARGE)


def test_an_oversized_form_elsewhere_gets_a_thai_page(hr_client, seed_framework):
    field = "x" * (django_settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)

    response = hr_client.post(reverse("people:create"), {"first_name": field})

    assert response.status_code == 400
    assert "คำขอถูกปฏิเสธ" in page(response)


def test_the_request_limits_agree_with_the_upload_limit():
    margin = 256 * 1024
    assert MAX_UPLOAD_BYTES + margin <= django_settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    assert MAX_UPLOAD_BYTES + margin <= django_settings.FILE_UPLOAD_MAX_MEMORY_SIZE


def test_files_older_than_a_day_are_deleted_when_a_new_one_is_kept(hr_user, media):
    old = default_storage.save(f"{uploads.FOLDER}/1-old.csv", ContentFile(b"old"))
    recent = default_storage.save(f"{uploads.FOLDER}/1-recent.csv", ContentFile(b"recent"))
    two_days_ago = time.time() - 2 * 24 * 3600
    os.utime(media / old, (two_days_ago, two_days_ago))

    token = uploads.keep(b"new", hr_user)

    assert not default_storage.exists(old)
    assert default_storage.exists(recent)
    assert uploads.take(token, hr_user) == b"new"
