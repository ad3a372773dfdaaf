"""The audit trail (issue 10, point 2): sensitive acts each append one AuditEntry with who,
when, from which address and what; entries are never changed or deleted; HR reads and
filters them and downloads them as CSV."""

import csv
import io
import re
from datetime import timedelta
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from assessments import services
from assessments.imports import ratings as ratings_import
from assessments.imports import staff as staff_import
from assessments.models import AuditEntry, AuditRefused
from assessments.services import audit
from assessments.services import people as staff
from assessments.services.printing import request_batch_print
from framework import exchange
from framework import services as framework_services
from tests.factories import PASSWORD, EmployeeFactory

Action = AuditEntry.Action
ADDRESS = "203.0.113.9"


def only_entry(action):
    [entry] = AuditEntry.objects.filter(action=action)
    return entry


# ---------------------------------------------------------------- append-only


def test_an_entry_cannot_be_changed_or_deleted(db):
    entry = audit.record(action=Action.LOGIN, summary="x", detail={"a": 1})
    entry.summary = "changed"
    with pytest.raises(AuditRefused):
        entry.save()
    with pytest.raises(AuditRefused):
        entry.delete()
    with pytest.raises(AuditRefused):
        AuditEntry.objects.filter(pk=entry.pk).update(summary="changed")
    with pytest.raises(AuditRefused):
        AuditEntry.objects.all().delete()
    with pytest.raises(AuditRefused):
        AuditEntry.objects.bulk_update([entry], ["summary"])
    entry.refresh_from_db()
    assert (entry.summary, entry.detail) == ("x", {"a": 1})
    assert AuditEntry.objects.count() == 1


def test_the_address_comes_from_the_request(rf, db):
    request = rf.get("/", REMOTE_ADDR=ADDRESS)
    entry = audit.record(action=Action.LOGIN_FAILED, request=request, target="nobody")
    assert entry.address == ADDRESS
    assert entry.actor is None


# ---------------------------------------------------------------- logins


def test_a_login_is_recorded_with_its_address(seed_framework):
    person = EmployeeFactory(user__username="clerk")
    response = Client().post(
        reverse("login"), {"username": "clerk", "password": PASSWORD}, REMOTE_ADDR=ADDRESS
    )
    assert response.status_code == 302
    entry = only_entry(Action.LOGIN)
    assert (entry.actor, entry.address, entry.target) == (person.user, ADDRESS, "clerk")


def test_a_failed_login_records_the_username_tried_and_the_address(db):
    response = Client().post(
        reverse("login"), {"username": "mallory", "password": "guess"}, REMOTE_ADDR=ADDRESS
    )
    assert response.status_code == 200
    entry = only_entry(Action.LOGIN_FAILED)
    assert entry.actor is None
    assert entry.address == ADDRESS
    assert entry.target == "mallory"
    assert entry.detail == {"username": "mallory"}
    assert "guess" not in str(entry.detail) + entry.summary


def test_a_lockout_is_recorded(seed_framework, settings):
    settings.AXES_ENABLED = True
    EmployeeFactory(user__username="clerk")
    attacker = Client()
    for _ in range(5):
        attacker.post(
            reverse("login"), {"username": "clerk", "password": "guess"}, REMOTE_ADDR=ADDRESS
        )
    entry = only_entry(Action.LOCKED_OUT)
    assert (entry.target, entry.address) == ("clerk", ADDRESS)
    assert entry.detail == {"username": "clerk", "ip_address": ADDRESS}
    assert AuditEntry.objects.filter(action=Action.LOGIN_FAILED).count() == 5


def test_hr_unlock_is_recorded(seed_framework, hr_user):
    person = EmployeeFactory(user__username="clerk", employee_code="K0900")
    staff.unlock_login(employee=person, by=hr_user)
    entry = only_entry(Action.UNLOCKED)
    assert (entry.actor, entry.target) == (hr_user, "K0900")
    assert entry.detail == {"username": "clerk", "lockouts_ended": 0}


# ---------------------------------------------------------------- passwords


def test_a_password_set_by_hr_is_recorded_without_the_password(seed_framework, hr_user):
    person = EmployeeFactory(user__username="clerk", employee_code="K0900")
    staff.set_password(employee=person, password="a-brand-new-pass-2569", by=hr_user)
    entry = only_entry(Action.PASSWORD_SET)
    assert (entry.actor, entry.target, entry.detail) == (hr_user, "K0900", {"username": "clerk"})
    assert "a-brand-new-pass-2569" not in entry.summary + str(entry.detail)


def test_a_password_changed_by_the_person_is_recorded(seed_framework):
    person = EmployeeFactory(user__username="clerk")
    client = Client()
    client.force_login(person.user)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "another-long-pass-2569",
            "new_password2": "another-long-pass-2569",
        },
        REMOTE_ADDR=ADDRESS,
    )
    assert response.status_code == 302
    entry = only_entry(Action.PASSWORD_CHANGED)
    assert (entry.actor, entry.address, entry.target) == (person.user, ADDRESS, "clerk")


def test_a_password_chosen_through_the_reset_link_is_recorded(seed_framework, mailoutbox):
    person = EmployeeFactory(user__username="clerk", user__email="clerk@example.org")
    client = Client()
    client.post(reverse("password_reset"), {"email": "clerk@example.org"})
    link = re.search(r"https?://[^/\s]+(/accounts/reset/\S+)", mailoutbox[0].body).group(1)
    form_url = client.get(link)["Location"]
    new = "another-long-pass-2569"
    response = client.post(
        form_url, {"new_password1": new, "new_password2": new}, REMOTE_ADDR=ADDRESS
    )
    assert response.status_code == 302
    entry = only_entry(Action.PASSWORD_RESET)
    assert (entry.actor, entry.address, entry.target) == (person.user, ADDRESS, "clerk")


def test_the_page_reads_in_thai(hr_client, entries):
    response = hr_client.get(reverse("assessments:audit"))
    page = response.content.decode()
    assert "บันทึกการตรวจสอบ" in page
    assert "เข้าสู่ระบบไม่สำเร็จ" in page  # the action's label
    assert "=HYPERLINK(1)" in page  # shown as text on the page, escaped by the template


# ---------------------------------------------------------------- people


def test_an_edit_records_the_old_and_new_values_of_the_changed_fields(cast):
    staff.update_employee(employee=cast.somchai, data={"first_name": "สมชัย"}, by=cast.hr)
    entry = only_entry(Action.PERSON_UPDATED)
    assert entry.actor == cast.hr
    assert entry.target == cast.somchai.employee_code
    assert entry.detail == {"changes": {"first_name": {"old": "สมชาย", "new": "สมชัย"}}}
    assert "สมชัย" in entry.summary


def test_an_edit_that_changes_nothing_records_nothing(cast):
    staff.update_employee(employee=cast.somchai, data={"first_name": "สมชาย"}, by=cast.hr)
    assert not AuditEntry.objects.exists()


def test_adding_deactivating_and_reactivating_a_person_are_recorded(cast):
    data = {
        "employee_code": "K0999",
        "first_name": "ใหม่",
        "last_name": "ทดสอบ",
        "position_title": "เจ้าหน้าที่",
        "position_class": cast.somchai.position_class,
        "department": cast.somchai.department,
        "supervisor": cast.head,
    }
    person = staff.create_employee(data=data, by=cast.hr)
    created = only_entry(Action.PERSON_CREATED)
    assert created.actor == cast.hr
    assert created.detail["new"]["employee_code"] == "K0999"
    assert created.detail["new"]["username"] == "k0999"
    assert created.detail["new"]["supervisor"] == str(cast.head)

    staff.deactivate_employee(employee=person, by=cast.hr)
    staff.reactivate_employee(employee=person, by=cast.hr)
    off, on = only_entry(Action.PERSON_DEACTIVATED), only_entry(Action.PERSON_REACTIVATED)
    assert off.detail == {"active": {"old": True, "new": False}}
    assert on.detail == {"active": {"old": False, "new": True}}
    assert (off.target, on.target) == ("K0999", "K0999")


def test_a_staff_import_is_one_entry_with_its_counts(seed_framework, hr_user):
    rows = (
        "employee_code,title,first_name,last_name,position_title,position_class,department,"
        "supervisor_code,email,username\n"
        "K0001,นาย,ประเสริฐ,มั่นคง,ปลัด,EXE-2,สำนักปลัด,,,\n"
        "K0202,นาย,สมชาย,ใจดี,นักวิชาการ,ACA-1,กองคลัง,K0001,,\n"
    ).encode()
    staff_import.import_staff(rows_or_file=rows, by=hr_user)
    entry = only_entry(Action.STAFF_IMPORTED)
    assert entry.actor == hr_user
    assert entry.detail == {
        "created": 2,
        "updated": 0,
        "unchanged": 0,
        "new_departments": ["สำนักปลัด", "กองคลัง"],
    }
    staff_import.import_staff(rows_or_file=rows, by=hr_user, dry_run=True)
    assert AuditEntry.objects.filter(action=Action.STAFF_IMPORTED).count() == 1


# ---------------------------------------------------------------- rounds


def test_a_change_of_rater_records_the_old_and_new_rater(round_open):
    cast = round_open
    services.change_rater(
        assessment=cast.somchai_assessment, by=cast.hr, supervisor=cast.other_head
    )
    entry = only_entry(Action.RATER_CHANGED)
    assert entry.actor == cast.hr
    assert entry.target == f"2569-1 {cast.somchai.employee_code}"
    assert entry.detail["old"] == {
        "employee_code": cast.head.employee_code,
        "name": cast.head.full_name,
    }
    assert entry.detail["new"] == {
        "employee_code": cast.other_head.employee_code,
        "name": cast.other_head.full_name,
    }


def test_a_paper_ratings_import_is_one_entry_with_its_counts(round_open):
    cast = round_open
    rows = [
        {"employee_code": cast.somchai.employee_code, "role": "self", "competency": "ACH",
         "level": 1, "indicator": 1, "value": 0},
    ]  # fmt: skip
    ratings_import.import_ratings(rows_or_file=rows, cycle=cast.cycle, by=cast.hr)
    entry = only_entry(Action.RATINGS_IMPORTED)
    assert entry.actor == cast.hr
    assert entry.detail == {
        "cycle": "2569-1",
        "people": 1,
        "ratings": 1,
        "new": 1,
        "changed": 0,
        "submitted": 0,
    }


def test_a_batch_print_request_is_recorded(round_open):
    cast = round_open
    job = request_batch_print(cycle=cast.cycle, by=cast.hr)
    entry = only_entry(Action.BATCH_PRINT)
    assert entry.actor == cast.hr
    assert entry.detail == {
        "cycle": "2569-1",
        "department": "",
        "only": "",
        "forms": job.total,
        "job": job.pk,
    }


def test_results_exports_are_recorded_from_the_page_and_the_command(round_open, hr_client):
    cast = round_open
    url = reverse("exports:results", args=[cast.cycle.pk, "csv"])
    assert hr_client.get(url, REMOTE_ADDR=ADDRESS).status_code == 200
    entry = only_entry(Action.RESULTS_EXPORTED)
    assert (entry.actor.username, entry.address) == ("hr_officer", ADDRESS)
    assert entry.detail == {"cycle": "2569-1", "format": "csv"}

    call_command("export_results", "--cycle", "2569-1", stdout=StringIO())
    newest = AuditEntry.objects.filter(action=Action.RESULTS_EXPORTED).first()
    assert newest.actor is None
    assert AuditEntry.objects.filter(action=Action.RESULTS_EXPORTED).count() == 2


def test_an_analytics_csv_download_is_recorded(round_open, hr_client):
    cast = round_open
    response = hr_client.get(reverse("analytics:csv", args=["trend"]))
    assert response.status_code == 200
    entry = only_entry(Action.ANALYTICS_EXPORTED)
    assert (entry.actor.username, entry.target) == ("hr_officer", "analytics-trend.csv")
    assert cast.cycle  # a round exists for the chart


# ---------------------------------------------------------------- framework (by its signals)


def test_publishing_importing_and_exporting_the_framework_are_recorded(cast):
    draft = framework_services.new_version(organisation=settings.PORTAL_ORGANISATION, by=cast.hr)
    framework_services.publish(framework=draft, by=cast.hr)
    published = only_entry(Action.FRAMEWORK_PUBLISHED)
    assert (published.actor, published.target) == (cast.hr, "v2")
    assert published.detail == {
        "version": 2,
        "organisation": settings.PORTAL_ORGANISATION,
    }

    text = exchange.export_json(draft)
    imported = exchange.import_json(text, by=cast.hr)
    entry = only_entry(Action.FRAMEWORK_IMPORTED)
    assert (entry.actor, entry.target) == (cast.hr, f"v{imported.version}")
    assert entry.detail["version"] == imported.version
    assert entry.detail["competencies"] == imported.competencies.count()

    hr = Client()
    hr.force_login(cast.hr)
    assert hr.get(reverse("framework:export_csv", args=[2])).status_code == 200
    exported = only_entry(Action.FRAMEWORK_EXPORTED)
    assert (exported.actor, exported.detail) == (cast.hr, {"version": 2, "format": "csv"})


# ---------------------------------------------------------------- the page and the CSV


@pytest.fixture
def entries(cast, hr_user):
    """Three entries besides the HR officer's login; hr_client logs in first (its own entry,
    the oldest but one)."""
    audit.record(action=Action.LOGIN, by=cast.somchai.user, summary="เข้าระบบ")
    a_week_ago = timezone.now() - timedelta(days=7)
    AuditEntry.objects.create(
        action=Action.PERSON_UPDATED, actor=cast.hr, at=a_week_ago, summary="แก้ไขข้อมูล"
    )
    audit.record(action=Action.LOGIN_FAILED, target="mallory", summary="=HYPERLINK(1)")
    return cast


def listed(response):
    """The actions shown, without the HR officer's own login (force_login records it)."""
    rows = response.context["page"].object_list
    return [entry.action for entry in rows if entry.target != "hr_officer"]


def test_the_page_lists_the_newest_first_and_filters(hr_client, entries):
    url = reverse("assessments:audit")
    response = hr_client.get(url)
    assert response.status_code == 200
    assert listed(response) == ["login_failed", "login", "person_updated"]

    assert listed(hr_client.get(url, {"action": "login"})) == ["login"]
    assert listed(hr_client.get(url, {"person": "SOMCH"})) == ["login"]
    today = timezone.localdate()
    assert listed(hr_client.get(url, {"date_from": today.isoformat()})) == [
        "login_failed",
        "login",
    ]
    week_ago = (today - timedelta(days=7)).isoformat()
    assert listed(hr_client.get(url, {"date_to": week_ago})) == ["person_updated"]


def test_the_page_shows_50_a_page(hr_client, cast):
    for number in range(51):
        audit.record(action=Action.LOGIN, target=f"u{number}")
    url = reverse("assessments:audit")
    first = hr_client.get(url)
    assert len(first.context["page"].object_list) == 50
    second = hr_client.get(url, {"page": 2})
    # the oldest: u0, and the HR officer's login before it
    assert [entry.target for entry in second.context["page"].object_list] == ["u0", "hr_officer"]


def test_the_page_is_for_hr_only(cast):
    client = Client()
    client.force_login(cast.somchai.user)
    assert client.get(reverse("assessments:audit")).status_code == 403
    assert client.get(reverse("assessments:audit_csv")).status_code == 403


def test_the_csv_has_the_header_one_row_per_entry_and_no_formula(hr_client, entries):
    response = hr_client.get(reverse("assessments:audit_csv"))
    assert response.status_code == 200
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == [
        "at",
        "username",
        "actor",
        "address",
        "action",
        "action_label",
        "target",
        "summary",
        "detail",
    ]
    assert [row[4] for row in rows[1:]] == ["login_failed", "login", "login", "person_updated"]
    assert rows[3][6] == "hr_officer"  # hr_client's own login
    assert rows[1][7] == "'=HYPERLINK(1)"
    assert rows[2][1] == "somchai"
    # the download itself is recorded, after the list it wrote
    assert AuditEntry.objects.first().action == Action.AUDIT_EXPORTED


def test_the_csv_follows_the_filters(hr_client, entries):
    query = {"action": "login", "person": "somchai"}
    response = hr_client.get(reverse("assessments:audit_csv"), query)
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [(row[1], row[4]) for row in rows[1:]] == [("somchai", "login")]


def test_a_failed_login_names_nobody_signed_in_not_the_system(client, db):
    client.post(reverse("login"), {"username": "nobody-here", "password": "wrong"})
    entry = AuditEntry.objects.get(action=AuditEntry.Action.LOGIN_FAILED)
    assert entry.actor is None
    assert str(entry.actor_name) in ("ผู้ที่ยังไม่ได้เข้าสู่ระบบ", "Someone not signed in")
