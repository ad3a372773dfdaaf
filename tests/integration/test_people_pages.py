"""HR's pages for people (assessments/people_views.py): list, add, edit, password,
deactivate and reactivate, CSV import."""

import html
from types import SimpleNamespace

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from assessments.models import Department, Employee
from framework.models import PositionClass
from tests.conftest import assert_message
from tests.factories import PASSWORD

NEW_PASSWORD = "khlong-khwang-2569-secret"


def person(code, first_name, klass, department, supervisor=None, user=None):
    return Employee.objects.create(
        employee_code=code,
        title="นาย",
        first_name=first_name,
        last_name="ทดสอบ",
        position_title=f"ตำแหน่งของ{first_name}",
        position_class=PositionClass.objects.get(code=klass),
        department=department,
        supervisor=supervisor,
        user=user,
    )


@pytest.fixture
def office(seed_framework, somchai, django_user_model):
    """กองคลัง: its head (with a login, no password) supervises somchai; กองช่าง is empty."""
    treasury = Department.objects.create(code="D001", name_th="กองคลัง")
    works = Department.objects.create(code="D002", name_th="กองช่าง")
    head_login = django_user_model.objects.create(username="k0201")
    head_login.set_unusable_password()
    head_login.save()
    head = person("K0201", "รัตนา", "DIR-1", treasury, user=head_login)
    clerk = person("K0202", "สมชาย", "ACA-1", treasury, supervisor=head, user=somchai)
    return SimpleNamespace(treasury=treasury, works=works, head=head, clerk=clerk)


def page(response):
    return html.unescape(response.content.decode())


def form_data(employee, **changes):
    data = {
        "employee_code": employee.employee_code,
        "title": employee.title,
        "first_name": employee.first_name,
        "last_name": employee.last_name,
        "position_title": employee.position_title,
        "position_class": employee.position_class_id,
        "department": employee.department_id,
        "supervisor": employee.supervisor_id or "",
        "email": employee.email,
        "username": employee.user.username if employee.user else "",
    }
    return {**data, **changes}


# Who may open the pages

PAGES = [
    ("people:list", False),
    ("people:create", False),
    ("people:edit", True),
    ("people:password", True),
    ("people:import", False),
    ("people:import_template", False),
]


def url_of(name, needs_pk, office):
    return reverse(name, args=[office.clerk.pk]) if needs_pk else reverse(name)


@pytest.mark.parametrize(("name", "needs_pk"), PAGES)
def test_anonymous_visitors_are_sent_to_login(client, office, name, needs_pk):
    response = client.get(url_of(name, needs_pk, office))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize(("name", "needs_pk"), PAGES)
def test_staff_who_are_not_hr_are_refused(somchai_client, office, name, needs_pk):
    response = somchai_client.get(url_of(name, needs_pk, office))

    assert response.status_code == 403


@pytest.mark.parametrize(("name", "needs_pk"), PAGES)
def test_hr_opens_the_page_in_thai(hr_client, office, name, needs_pk):
    response = hr_client.get(url_of(name, needs_pk, office))

    assert response.status_code == 200
    if name == "people:import_template":
        return  # a CSV file, not a page
    assert '<html lang="th">' in response.content.decode()


@pytest.mark.parametrize("name", ["people:deactivate", "people:reactivate"])
def test_anonymous_visitors_cannot_change_the_status(client, office, name):
    response = client.post(reverse(name, args=[office.clerk.pk]))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("name", ["people:deactivate", "people:reactivate"])
def test_staff_who_are_not_hr_cannot_change_the_status(somchai_client, office, name):
    response = somchai_client.post(reverse(name, args=[office.clerk.pk]))

    assert response.status_code == 403
    office.clerk.refresh_from_db()
    assert office.clerk.active


@pytest.mark.parametrize("name", ["people:deactivate", "people:reactivate"])
def test_hr_changes_the_status_by_post_and_returns_to_the_person(hr_client, office, name):
    url = reverse(name, args=[office.clerk.pk])

    assert hr_client.get(url).status_code == 405
    response = hr_client.post(url, follow=True)

    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == reverse("people:edit", args=[office.clerk.pk])


# The list


def test_the_list_shows_position_class_division_supervisor_and_login(hr_client, office):
    text = page(hr_client.get(reverse("people:list")))

    assert "นายสมชาย ทดสอบ" in text
    assert "ตำแหน่งของสมชาย" in text
    assert "ACA-1" in text
    assert "กองคลัง" in text
    assert "somchai" in text  # the clerk's login
    assert_message(text, "ยังไม่ได้ตั้งรหัสผ่าน", "No password yet")  # the head's login


def test_the_list_filters_by_division_and_search(hr_client, office):
    in_works = hr_client.get(reverse("people:list"), {"department": office.works.pk})
    found = hr_client.get(reverse("people:list"), {"search": "K0202"})

    assert list(in_works.context["people"]) == []
    assert list(found.context["people"]) == [office.clerk]


def test_the_list_shows_the_inactive_only_when_asked(hr_client, office):
    office.clerk.active = False
    office.clerk.save()

    active = hr_client.get(reverse("people:list"))
    inactive = hr_client.get(reverse("people:list"), {"status": "inactive"})

    assert list(active.context["people"]) == [office.head]
    assert list(inactive.context["people"]) == [office.clerk]


# Adding and editing


def test_hr_adds_a_person_with_a_login(hr_client, office):
    data = {
        "employee_code": "K0203",
        "title": "นาง",
        "first_name": "มาลี",
        "last_name": "ใจเย็น",
        "position_title": "เจ้าพนักงานธุรการ",
        "position_class": PositionClass.objects.get(code="GEN-1").pk,
        "department": office.treasury.pk,
        "supervisor": office.head.pk,
        "email": "malee@example.org",
        "username": "",
    }

    response = hr_client.post(reverse("people:create"), data)

    assert response.status_code == 302
    malee = Employee.objects.get(employee_code="K0203")
    assert malee.supervisor == office.head
    assert malee.user.username == "k0203"
    assert not malee.user.has_usable_password()


def test_hr_adds_a_person_in_a_new_division(hr_client, office):
    data = form_data(office.clerk, employee_code="K0401", username="k0401", supervisor="")
    data.update(department="", new_department="กองการศึกษา ศาสนาและวัฒนธรรม")

    response = hr_client.post(reverse("people:create"), data)

    assert response.status_code == 302
    division = Employee.objects.get(employee_code="K0401").department
    assert division.name_th == "กองการศึกษา ศาสนาและวัฒนธรรม"
    assert division.code == "D003"


def test_a_username_used_by_someone_else_is_refused_on_the_form(hr_client, office):
    data = form_data(office.clerk, employee_code="K0203", username="hr_officer")

    response = hr_client.post(reverse("people:create"), data)

    assert response.status_code == 200
    assert_message(page(response), "มีผู้อื่นใช้อยู่แล้ว", "already used by someone else")
    assert not Employee.objects.filter(employee_code="K0203").exists()


def test_hr_edits_a_person(hr_client, office):
    data = form_data(office.clerk, last_name="ใจดี", department=office.works.pk)

    response = hr_client.post(reverse("people:edit", args=[office.clerk.pk]), data)

    assert response.status_code == 302
    office.clerk.refresh_from_db()
    assert office.clerk.last_name == "ใจดี"
    assert office.clerk.department == office.works
    # The login follows the person's name
    assert office.clerk.user.last_name == "ใจดี"


def test_a_supervisor_loop_via_the_edit_form_is_refused(hr_client, office):
    # The head supervises the clerk; making the clerk the head's supervisor closes a loop
    data = form_data(office.head, supervisor=office.clerk.pk, last_name="เปลี่ยน")

    response = hr_client.post(reverse("people:edit", args=[office.head.pk]), data)

    assert response.status_code == 200
    assert_message(page(response), "สายการบังคับบัญชาวนกลับ", "This would make a loop of supervisors")
    assert "K0201" in page(response)
    # Nothing changed
    office.head.refresh_from_db()
    assert office.head.supervisor is None
    assert office.head.last_name == "ทดสอบ"


# Passwords


def test_hr_sets_a_password_and_the_person_can_log_in(hr_client, office):
    url = reverse("people:password", args=[office.head.pk])

    response = hr_client.post(url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})

    assert response.status_code == 302
    assert Client().login(username="k0201", password=NEW_PASSWORD)


def test_a_weak_password_is_refused_by_the_validators(hr_client, office):
    url = reverse("people:password", args=[office.clerk.pk])

    response = hr_client.post(url, {"password1": "12345678", "password2": "12345678"})

    assert response.status_code == 200
    assert Client().login(username="somchai", password=PASSWORD)  # the old one still works


def test_two_different_passwords_are_refused(hr_client, office):
    url = reverse("people:password", args=[office.clerk.pk])

    response = hr_client.post(url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD + "x"})

    assert response.status_code == 200
    assert_message(page(response), "รหัสผ่านทั้งสองช่องไม่ตรงกัน", "The two passwords are not")
    assert not Client().login(username="somchai", password=NEW_PASSWORD)


def test_setting_a_password_creates_a_missing_login(hr_client, office):
    newcomer = person("K0204", "วีระ", "GEN-2", office.works)

    hr_client.post(
        reverse("people:password", args=[newcomer.pk]),
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )

    newcomer.refresh_from_db()
    assert newcomer.user.username == "k0204"
    assert Client().login(username="k0204", password=NEW_PASSWORD)


# Deactivating and reactivating


def test_hr_deactivates_a_person_who_then_cannot_log_in(hr_client, office):
    hr_client.post(reverse("people:deactivate", args=[office.clerk.pk]))

    office.clerk.refresh_from_db()
    assert not office.clerk.active
    assert not office.clerk.user.is_active
    assert not Client().login(username="somchai", password=PASSWORD)
    assert Employee.objects.filter(pk=office.clerk.pk).exists()  # never deleted


def test_a_supervisor_of_active_people_cannot_be_deactivated(hr_client, office):
    response = hr_client.post(reverse("people:deactivate", args=[office.head.pk]), follow=True)

    text = page(response)
    assert_message(text, "ยังเป็นผู้บังคับบัญชาของ", "still supervises")
    assert "สมชาย" in text  # the subordinate is named
    office.head.refresh_from_db()
    assert office.head.active


def test_hr_reactivates_a_person(hr_client, office):
    hr_client.post(reverse("people:deactivate", args=[office.clerk.pk]))

    hr_client.post(reverse("people:reactivate", args=[office.clerk.pk]))

    office.clerk.refresh_from_db()
    assert office.clerk.active
    assert Client().login(username="somchai", password=PASSWORD)


# Importing a CSV file

IMPORT_HEADER = (
    "employee_code,title,first_name,last_name,position_title,position_class,department,"
    "supervisor_code,email,username"
)


def upload(*rows):
    content = "\r\n".join([IMPORT_HEADER, *rows]).encode("utf-8-sig")
    return SimpleUploadedFile("staff.csv", content, content_type="text/csv")


def test_the_import_shows_a_preview_then_imports_on_confirmation(hr_client, office):
    url = reverse("people:import")
    file = upload(
        "K0202,นาย,สมชาย,ใจดี,นักวิชาการเงินและบัญชีปฏิบัติการ,ACA-1,กองคลัง,K0201,,",
        "K0301,นาย,วีระ,กล้าหาญ,ผู้อำนวยการกองช่าง,DIR-1,กองช่าง,,,",
    )

    preview = hr_client.post(url, {"file": file})

    assert preview.status_code == 200
    report = preview.context["report"]
    assert [row.action for row in report.rows] == ["update", "create"]
    assert "วีระ" in page(preview)
    assert not Employee.objects.filter(employee_code="K0301").exists()  # not yet

    hidden = preview.context["confirm_form"].initial["upload_token"]
    assert f'value="{hidden}"' in preview.content.decode()
    done = hr_client.post(url, {"upload_token": hidden})

    assert done.status_code == 302
    assert Employee.objects.get(employee_code="K0301").department == office.works
    office.clerk.refresh_from_db()
    assert office.clerk.last_name == "ใจดี"


def test_an_import_with_errors_lists_each_line_and_imports_nothing(hr_client, office):
    file = upload(
        "K0301,นาย,วีระ,กล้าหาญ,ผู้อำนวยการกองช่าง,DIR-1,กองช่าง,,,",
        "K0302,นาย,ชาญชัย,ศรีทอง,นายช่างโยธา,XYZ,กองช่าง,K0301,,",
        "K0201,นาย,รัตนา,ทดสอบ,ผู้อำนวยการกองคลัง,DIR-1,กองคลัง,K0202,,",
    )

    response = hr_client.post(reverse("people:import"), {"file": file})

    text = page(response)
    assert response.status_code == 200
    assert "confirm_form" not in response.context
    assert_message(
        text,
        'แถวที่ ๓ คอลัมน์ position_class: ไม่พบประเภทตำแหน่ง "XYZ"',
        'Line 3, column position_class: No position class "XYZ".',
    )
    # Making the clerk the head's supervisor would close a loop with the database
    assert_message(text, "แถวที่ ๔ คอลัมน์ supervisor_code", "Line 4, column supervisor_code")
    assert not Employee.objects.filter(employee_code="K0301").exists()


def test_a_damaged_confirmation_imports_nothing(hr_client, office):
    response = hr_client.post(reverse("people:import"), {"upload_token": "not a token!"})

    assert response.status_code == 200
    assert_message(page(response), "อัปโหลดใหม่", "Upload it again")
    assert get_user_model().objects.count() == 3  # somchai, the head's login, hr


def test_the_import_page_offers_the_template_and_lists_the_position_classes(hr_client, office):
    response = hr_client.get(reverse("people:import"))

    html = page(response)
    assert reverse("people:import_template") in html
    assert IMPORT_HEADER in html
    # the codes of the seed's position classes, each with its Thai name (docs/domain.md)
    assert "<code>ACA-2</code>" in html
    assert "วิชาการ ระดับชำนาญการ" in html
    assert "<code>CON-G</code>" in html
    assert "พนักงานจ้างทั่วไป" in html
    assert html.count('<tr><th scope="row" class="fw-normal text-nowrap"><code>') == 16


def test_hr_downloads_the_template_with_the_import_header(hr_client, office):
    response = hr_client.get(reverse("people:import_template"))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="staff-template.csv"'
    text = response.content.decode("utf-8")
    header, example = text.removeprefix("\ufeff").splitlines()
    assert header == IMPORT_HEADER
    # the example, uploaded as it is, is checked like any file: its supervisor is unknown here
    preview = hr_client.post(reverse("people:import"), {"file": upload(example)})
    [error] = preview.context["errors"]
    assert "supervisor_code" in error
