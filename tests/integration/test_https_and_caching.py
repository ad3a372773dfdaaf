"""Production over HTTPS (DJANGO_HTTPS, `check --deploy`) and no caching of personal data."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

from django.core.files.base import ContentFile
from django.urls import reverse

from assessments.models import PrintJob
from competency_portal.checks import https_check

ROOT = Path(__file__).resolve().parents[2]


def manage(*args, tmp_path, **env):
    """`manage.py ARGS` with the production settings and `env`: (exit code, output)."""
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_URL"))
    }
    environment.update(
        DJANGO_SETTINGS_MODULE="competency_portal.settings",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(60),
        DATABASE_URL=f"sqlite:///{tmp_path / 'check.sqlite3'}",
        **env,
    )
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    return result.returncode, result.stdout + result.stderr


def test_the_deployment_check_passes_over_https(tmp_path):
    code, output = manage(
        "check", "--deploy", "--fail-level", "WARNING", tmp_path=tmp_path, DJANGO_HTTPS="1"
    )
    assert code == 0, output
    assert "WARNINGS:" not in output
    assert "System check identified no issues" in output


def test_https_is_the_default_outside_debug(tmp_path):
    code, output = manage("check", "--deploy", "--fail-level", "WARNING", tmp_path=tmp_path)
    assert code == 0, output


def test_plain_http_is_allowed_with_a_warning(tmp_path):
    code, output = manage("check", tmp_path=tmp_path, DJANGO_HTTPS="0")
    assert code == 0, output
    assert "portal.W001" in output


def test_a_wrong_value_stops_the_start(tmp_path):
    code, output = manage("check", tmp_path=tmp_path, DJANGO_HTTPS="maybe")
    assert code != 0
    assert "DJANGO_HTTPS must be 0 or 1" in output


def test_the_check_warns_only_without_https_outside_debug(settings):
    settings.DEBUG, settings.HTTPS = False, False
    [warning] = https_check(None)
    assert warning.id == "portal.W001"
    settings.HTTPS = True
    assert https_check(None) == []
    settings.DEBUG, settings.HTTPS = True, False
    assert https_check(None) == []


def test_plain_http_is_redirected_and_https_gets_hsts(client, db, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

    plain = client.get(reverse("login"))
    assert plain.status_code == 301
    assert plain["Location"].startswith("https://")

    secure = client.get(reverse("login"), headers={"x-forwarded-proto": "https"})
    assert secure.status_code == 200
    assert secure["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


# ---------------------------------------------------------------- Cache-Control


def assert_not_stored(response):
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


def test_every_page_of_personal_data_is_not_stored(client, round_open, settings, tmp_path):
    cast = round_open
    settings.MEDIA_ROOT = tmp_path
    client.force_login(cast.hr)
    assessment = cast.somchai_assessment

    assert_not_stored(client.get(reverse("home")))
    assert_not_stored(client.get(reverse("assessments:results", args=[assessment.pk])))
    assert_not_stored(client.get(reverse("assessments:pdf", args=[assessment.pk])))
    assert_not_stored(client.get(reverse("ratings_import:template", args=[assessment.pk])))
    assert_not_stored(client.get(reverse("framework:export", args=[1])))


def test_a_batch_print_download_is_not_stored(client, round_open, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    job = PrintJob.objects.create(
        cycle=round_open.cycle, requested_by=round_open.hr, status="done", total=1, done=1
    )
    job.file.save("batch.pdf", ContentFile(b"%PDF-1.7 test"))
    client.force_login(round_open.hr)

    response = client.get(reverse("assessments:print_job_file", args=[job.pk]))

    assert_not_stored(response)


def test_static_files_keep_their_caching(client, somchai):
    client.force_login(somchai)
    response = client.get("/static/css/portal.css")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")


def test_a_view_s_own_cache_control_is_kept(client, somchai):
    client.force_login(somchai)
    response = client.get(reverse("login"))  # never_cache: Django's own header
    assert "no-store" in response["Cache-Control"]
    assert "max-age=0" in response["Cache-Control"]
