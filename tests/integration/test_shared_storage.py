"""Generated files in shared storage (issue 11, point 3): with PORTAL_S3_* set every generated
file goes to S3-compatible object storage, so a batch printed by a worker on one host is
downloaded from a web host with another media folder. The S3 here is moto's server, started
by the test on 127.0.0.1; never a cloud service."""

import io
import socket

import boto3
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from moto.server import ThreadedMotoServer
from pypdf import PdfReader

from assessments.models import Employee, PrintJob
from competency_portal.settings import s3_storage

BUCKET = "portal-files"
KEYS = {"PORTAL_S3_ACCESS_KEY": "test-key", "PORTAL_S3_SECRET_KEY": "test-secret"}


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def s3_endpoint():
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    client = boto3.client(
        "s3",
        endpoint_url=endpoint,
        aws_access_key_id="test-key",
        aws_secret_access_key="test-secret",
        region_name="us-east-1",
    )
    client.create_bucket(Bucket=BUCKET)
    yield endpoint, client
    server.stop()


@pytest.fixture
def object_storage(settings, s3_endpoint, tmp_path):
    endpoint, client = s3_endpoint
    environ = {"PORTAL_S3_BUCKET": BUCKET, "PORTAL_S3_ENDPOINT_URL": endpoint, **KEYS}
    environ["PORTAL_S3_REGION"] = "us-east-1"
    settings.STORAGES = {**settings.STORAGES, "default": s3_storage(environ)}
    settings.MEDIA_ROOT = tmp_path / "worker-host"
    settings.PRINT_WORKERS = 1
    return client


def stored_keys(client):
    listing = client.list_objects_v2(Bucket=BUCKET)
    return [item["Key"] for item in listing.get("Contents", [])]


def test_without_a_bucket_files_stay_on_the_local_disk():
    assert s3_storage({}) is None
    assert s3_storage({"PORTAL_S3_BUCKET": "  "}) is None


def test_the_s3_settings_are_read_from_the_environment():
    storage = s3_storage(
        {"PORTAL_S3_BUCKET": "b", "PORTAL_S3_ENDPOINT_URL": "https://s3.example", **KEYS}
    )
    assert storage["BACKEND"] == "storages.backends.s3.S3Storage"
    options = storage["OPTIONS"]
    assert (options["bucket_name"], options["endpoint_url"]) == ("b", "https://s3.example")
    assert (options["access_key"], options["secret_key"]) == ("test-key", "test-secret")
    assert options["default_acl"] is None and options["location"] == "competency-portal"


def test_a_batch_printed_on_one_host_is_downloaded_on_another(
    client, round_open, object_storage, settings, tmp_path, django_capture_on_commit_callbacks
):
    client.force_login(round_open.hr)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("assessments:print_job_create", args=[round_open.cycle.pk]),
            {"department": round_open.somchai_assessment.department_name},
        )
    job = PrintJob.objects.get()
    assert job.status == "done"
    # The file is in the bucket, not on the worker host's disk
    assert any(key.endswith(".pdf") and "print-jobs/" in key for key in stored_keys(object_storage))
    assert not (tmp_path / "worker-host").exists()

    settings.MEDIA_ROOT = tmp_path / "web-host"  # another host, its own (empty) disk
    response = client.get(reverse("assessments:print_job_file", args=[job.pk]))

    assert response.status_code == 200
    pdf = PdfReader(io.BytesIO(b"".join(response.streaming_content)))
    assert round_open.somchai.first_name in "".join(page.extract_text() for page in pdf.pages)


def test_an_import_previewed_on_one_host_is_confirmed_on_another(
    hr_client, seed_framework, object_storage, settings, tmp_path
):
    rows = [f"K{9000 + n},นาย,ทดสอบ{n},สกุล{n},นักวิชาการ,ACA-1,กองทดสอบ,,," for n in range(5)]
    header = (
        "employee_code,title,first_name,last_name,position_title,position_class,department,"
        "supervisor_code,email,username"
    )
    content = "\r\n".join([header, *rows, ""]).encode("utf-8-sig")
    url = reverse("people:import")

    preview = hr_client.post(url, {"file": SimpleUploadedFile("staff.csv", content)})
    token = preview.context["confirm_form"].initial["upload_token"]
    assert any("import" in key for key in stored_keys(object_storage))
    settings.MEDIA_ROOT = tmp_path / "web-host"  # the confirmation lands on another host
    done = hr_client.post(url, {"upload_token": token})

    assert done.status_code == 302
    assert Employee.objects.filter(employee_code__startswith="K9").count() == 5
    assert not any("import" in key for key in stored_keys(object_storage))  # read once


def test_a_persons_form_is_kept_in_the_bucket_and_served_from_it(
    client, round_open, object_storage
):
    assessment = round_open.somchai_assessment
    client.force_login(round_open.somchai.user)
    url = reverse("assessments:pdf", args=[assessment.pk])

    first = client.get(url)
    kept = [key for key in stored_keys(object_storage) if f"forms/{assessment.pk}/" in key]
    assert len(kept) == 1
    object_storage.put_object(Bucket=BUCKET, Key=kept[0], Body=b"%PDF-1.4\n% kept\n")
    again = client.get(url)

    assert first.status_code == again.status_code == 200
    assert again.content == b"%PDF-1.4\n% kept\n"
