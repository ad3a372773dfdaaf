"""Thai digits on Thai pages, Arabic digits in what commands print, and English pages entirely
English: the audit trail's summaries and a refusal's history line follow the reader."""

import importlib
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from assessments import services
from assessments.imports import staff
from assessments.models import AssessmentEvent, AuditEntry, Role
from tests.factories import rate

HEADER = (
    "employee_code,title,first_name,last_name,position_title,position_class,department,"
    "supervisor_code,email,username"
)
ROWS = [
    "K0201,นาง,รัตนา,ทองดี,ผู้อำนวยการกองคลัง,DIR-1,กองคลัง,,,",
    "K0202,นาย,สมชาย,ใจดี,นักวิชาการเงินและบัญชีปฏิบัติการ,ACA-1,กองคลัง,K0201,,",
]
BAD_ROWS = [ROWS[0], ROWS[1].replace("ACA-1", "XYZ")]  # line 3 names no position class


def csv_bytes(rows):
    return ("\n".join([HEADER, *rows]) + "\n").encode("utf-8")


def english(client, page):
    client.post(reverse("set_language"), {"language": "en", "next": page})
    return client.get(page).content.decode()


def test_an_import_error_on_the_page_names_the_line_in_thai_digits(hr_client, seed_framework):
    from django.core.files.uploadedfile import SimpleUploadedFile

    file = SimpleUploadedFile("staff.csv", csv_bytes(BAD_ROWS), content_type="text/csv")
    page = hr_client.post(reverse("people:import"), {"file": file}).content.decode()
    assert "แถวที่ ๓ คอลัมน์ position_class" in page
    assert "แถวที่ 3" not in page


def test_with_thai_digits_off_the_page_keeps_arabic_digits(hr_client, seed_framework, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.PORTAL_THAI_DIGITS = False
    file = SimpleUploadedFile("staff.csv", csv_bytes(BAD_ROWS), content_type="text/csv")
    page = hr_client.post(reverse("people:import"), {"file": file}).content.decode()
    assert "แถวที่ 3 คอลัมน์ position_class" in page


def test_a_command_prints_arabic_digits_for_the_scripts_that_read_it(seed_framework, tmp_path):
    path = tmp_path / "staff.csv"
    path.write_bytes(csv_bytes(BAD_ROWS))
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("import_staff", str(path), stdout=StringIO(), stderr=err)
    assert "แถวที่ 3 คอลัมน์ position_class" in err.getvalue()
    assert "๓" not in err.getvalue()


def test_the_same_message_outside_a_command_uses_thai_digits(seed_framework):
    # the plain-digits switch of a command ends with the command
    call_command("load_framework", stdout=StringIO())
    with pytest.raises(staff.ImportErrors) as refused:
        staff.import_staff(rows_or_file=csv_bytes(BAD_ROWS))
    assert refused.value.messages[0].startswith("แถวที่ ๓")


def test_the_audit_trail_reads_in_thai_digits_and_in_english(hr_client, seed_framework):
    staff.import_staff(rows_or_file=csv_bytes(ROWS))
    page = reverse("assessments:audit")

    thai = hr_client.get(page).content.decode()
    assert "นำเข้าบุคลากรจาก CSV: เพิ่ม ๒ คน แก้ไข ๐ คน" in thai

    in_english = english(hr_client, page)
    assert "Staff CSV: 2 added, 0 changed" in in_english
    assert "นำเข้าบุคลากรจาก CSV" not in in_english


def test_the_stored_summary_stays_thai_with_arabic_digits(seed_framework):
    # the CSV download and any script reading the table see the portal's language
    staff.import_staff(rows_or_file=csv_bytes(ROWS))
    entry = AuditEntry.objects.get(action=AuditEntry.Action.STAFF_IMPORTED)
    assert entry.summary == "นำเข้าบุคลากรจาก CSV: เพิ่ม 2 คน แก้ไข 0 คน"


def test_an_entry_written_before_the_message_was_kept_shows_its_stored_summary(hr_client, db):
    AuditEntry.objects.create(action=AuditEntry.Action.LOGIN, summary="ข้อความเดิม 12")
    assert "ข้อความเดิม 12" in english(hr_client, reverse("assessments:audit"))


@pytest.fixture
def refused(round_open):
    cast = round_open
    assessment = cast.somchai_assessment
    rate(assessment, Role.SELF, cast.somchai.user, 2)
    rate(assessment, Role.SUPERVISOR, cast.head.user, 2, work_results=80)
    services.record_refusal(assessment=assessment, by=cast.head.user, witness="นางมาลี ใจงาม")
    return assessment


def test_a_refusals_history_line_follows_the_reader(client, round_open, refused):
    event = refused.events.get(action=AssessmentEvent.Action.REFUSED)
    assert event.detail == "นางมาลี ใจงาม"  # the name only: the words are the reader's
    client.force_login(round_open.somchai.user)
    page = reverse("assessments:results", args=[refused.pk])
    assert "พยาน: นางมาลี ใจงาม" in client.get(page).content.decode()
    in_english = english(client, page)
    assert "Witness: นางมาลี ใจงาม" in in_english and "พยาน:" not in in_english


def test_the_migration_keeps_only_the_witness_name_of_older_refusals(round_open, refused):
    migration = importlib.import_module("assessments.migrations.0012_audit_summary_in_any_language")
    AssessmentEvent.objects.filter(action="refused").update(detail="พยาน: นางมาลี ใจงาม")
    migration.witness_names_only(apps, None)
    assert refused.events.get(action="refused").detail == "นางมาลี ใจงาม"
    migration.witness_with_prefix(apps, None)
    assert refused.events.get(action="refused").detail == "พยาน: นางมาลี ใจงาม"


def test_the_password_rule_counts_in_thai_digits(client, round_open):
    client.force_login(round_open.somchai.user)
    page = client.post(
        reverse("password_change"),
        {"old_password": "x", "new_password1": "ab1", "new_password2": "ab1"},
    ).content.decode()
    assert "ต้องมีอย่างน้อย ๘ ตัวอักษร" in page
    assert "อย่างน้อย 8" not in page


def test_a_versions_history_follows_the_reader(hr_client, seed_framework, cast):
    from framework import services as framework_services

    draft = framework_services.new_version(organisation=seed_framework.organisation, by=cast.hr)
    page = reverse("framework:version", args=[draft.version])
    assert "จากฉบับที่ ๑" in hr_client.get(page).content.decode()
    in_english = english(hr_client, page)
    assert "from version 1" in in_english and "จากฉบับที่" not in in_english
    # the table keeps the portal's language for the scripts that read it
    assert draft.events.get().detail == "จากฉบับที่ 1"
