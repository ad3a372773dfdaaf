"""Input that cannot hurt (issue 10, point 4): strict field names on the rating page, length
limits kept by the services as well as the forms, CSV headers without repeated columns, the
framework JSON import bounded in depth and size, and every imported text cleaned."""

import json

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from assessments import services
from assessments.imports import ratings as ratings_import
from assessments.imports import staff
from assessments.models import Assessment, Employee, Rating, Role
from framework import exchange
from framework.models import Framework
from tests.factories import all_indicators, rate

STAFF_HEADER = (
    "employee_code,title,first_name,last_name,position_title,position_class,department,"
    "supervisor_code,email,username"
)
STAFF_ROW = "K0202,นาย,สมชาย,ใจดี,นักวิชาการเงินและบัญชีปฏิบัติการ,ACA-1,กองคลัง,,,"
COMMENT_TOO_LONG = "ความเห็นยาวได้ไม่เกิน ๔๐๐๐ ตัวอักษร"
UNKNOWN_FIELD = "แบบฟอร์มส่งช่องข้อมูลที่ระบบไม่รู้จักมา โปรดโหลดหน้านี้ใหม่"


def page_text(response):
    return response.content.decode()


def rating_post(client, assessment, **fields):
    url = reverse("assessments:self", args=[assessment.pk])
    return client.post(url, {"version": assessment.version, "action": "save", **fields})


# ---------------------------------------------------------------- the rating page


@pytest.mark.parametrize("name", ["r²", "r１", "r٣", "c²", "c１", "r1x"])
def test_a_field_name_with_non_ascii_digits_is_a_400_in_thai(client, round_open, name):
    assessment = round_open.somchai_assessment
    indicator = all_indicators(assessment.cycle.framework)[0]
    client.force_login(round_open.somchai.user)
    response = rating_post(client, assessment, **{f"r{indicator.pk}": "1", name: "1"})
    assert response.status_code == 400
    assert UNKNOWN_FIELD in page_text(response)
    assert not Rating.objects.filter(assessment=assessment).exists()
    assert Assessment.objects.get(pk=assessment.pk).version == assessment.version


def test_the_csrf_token_and_other_fields_are_not_field_names_of_ratings(client, round_open):
    assessment = round_open.somchai_assessment
    indicator = all_indicators(assessment.cycle.framework)[0]
    client.force_login(round_open.somchai.user)
    response = rating_post(
        client, assessment, **{f"r{indicator.pk}": "1", "csrfmiddlewaretoken": "x"}
    )
    assert response.status_code == 302
    assert Rating.objects.get(assessment=assessment).value == 1


def test_a_comment_longer_than_4000_characters_is_refused_by_the_page(client, round_open):
    assessment = round_open.somchai_assessment
    competency = assessment.cycle.framework.competencies.first()
    client.force_login(round_open.somchai.user)
    response = rating_post(client, assessment, **{f"c{competency.pk}": "ก" * 4001})
    assert response.status_code == 400
    assert COMMENT_TOO_LONG in page_text(response)
    assert not assessment.comments.exists()


def test_a_comment_is_cleaned_before_it_is_saved(client, round_open):
    assessment = round_open.somchai_assessment
    competency = assessment.cycle.framework.competencies.first()
    client.force_login(round_open.somchai.user)
    text = "ส่งงาน\u202eตรงเวลา\x00\r\nบรรทัดสอง\u200b"
    response = rating_post(client, assessment, **{f"c{competency.pk}": text})
    assert response.status_code == 302
    assert assessment.comments.get().text == "ส่งงานตรงเวลา\nบรรทัดสอง"


def test_the_rating_service_refuses_a_comment_over_4000_characters(round_open):
    assessment = round_open.somchai_assessment
    competency = assessment.cycle.framework.competencies.first()
    with pytest.raises(ValidationError) as refused:
        services.save_ratings(
            assessment=assessment,
            role=Role.SELF,
            by=round_open.somchai.user,
            values={},
            comments={competency.pk: "ข" * 4001},
        )
    assert refused.value.messages == [COMMENT_TOO_LONG]
    assert not assessment.comments.exists()
    # 4,000 exactly is fine
    services.save_ratings(
        assessment=assessment,
        role=Role.SELF,
        by=round_open.somchai.user,
        values={},
        comments={competency.pk: "ข" * 4000},
    )
    assert len(assessment.comments.get().text) == 4000


def rated(cast):
    assessment = cast.somchai_assessment
    rate(assessment, Role.SELF, cast.somchai.user, 2)
    rate(assessment, Role.SUPERVISOR, cast.head.user, 2)
    return assessment


def test_the_witness_is_cleaned_and_bounded_by_the_service(round_open):
    assessment = rated(round_open)
    with pytest.raises(ValidationError) as refused:
        services.record_refusal(assessment=assessment, by=round_open.head.user, witness="ก" * 201)
    assert refused.value.messages == ["ชื่อพยานยาวได้ไม่เกิน ๒๐๐ ตัวอักษร"]
    services.record_refusal(
        assessment=assessment, by=round_open.head.user, witness="นางมาลี\u202e ทดสอบ\x0c"
    )
    assert Assessment.objects.get(pk=assessment.pk).refusal_witness == "นางมาลี ทดสอบ"


def test_the_review_comment_is_bounded_by_the_service(round_open):
    assessment = rated(round_open)
    services.record_refusal(assessment=assessment, by=round_open.head.user, witness="นางมาลี")
    with pytest.raises(ValidationError) as refused:
        services.review(
            assessment=assessment, by=round_open.palad.user, opinion="differ", comment="ค" * 4001
        )
    assert refused.value.messages == [COMMENT_TOO_LONG]
    assert not Assessment.objects.get(pk=assessment.pk).review_comment
    services.review(
        assessment=assessment, by=round_open.palad.user, opinion="differ", comment="เห็นต่าง\x00"
    )
    assert Assessment.objects.get(pk=assessment.pk).review_comment == "เห็นต่าง"


# ---------------------------------------------------------------- CSV imports


def test_the_staff_import_refuses_a_repeated_column_and_names_it(seed_framework):
    header = STAFF_HEADER + ",first_name"
    source = f"{header}\n{STAFF_ROW},สมหญิง\n".encode()
    with pytest.raises(staff.ImportErrors) as refused:
        staff.import_staff(rows_or_file=source)
    (message,) = refused.value.messages
    assert "คอลัมน์ first_name ซ้ำกันในแถวหัวตาราง" in message
    assert not Employee.objects.exists()


def test_the_ratings_import_refuses_a_repeated_column_and_names_it(round_open):
    source = b"employee_code,role,competency,level,indicator,value,value\nK0202,self,ACH,1,1,1,1\n"
    with pytest.raises(ratings_import.ImportErrors) as refused:
        ratings_import.import_ratings(
            rows_or_file=source, cycle=round_open.cycle, by=None, dry_run=True
        )
    message = refused.value.messages[0]
    assert "คอลัมน์ value ซ้ำกันในแถวหัวตาราง" in message


def test_staff_cells_are_cleaned_on_import(seed_framework):
    row = "K0202,นาย,สม\u202eชาย\u200b,ใจ\x00ดี,นักวิชาการ\x0c,ACA-1,กอง\u2066คลัง,,,"
    staff.import_staff(rows_or_file=f"{STAFF_HEADER}\n{row}\n".encode())
    person = Employee.objects.get(employee_code="K0202")
    assert (person.first_name, person.last_name, person.position_title) == (
        "สมชาย",
        "ใจดี",
        "นักวิชาการ",
    )
    assert person.department.name_th == "กองคลัง"


# ---------------------------------------------------------------- framework JSON import


DEPTH_PROBLEM = "ไฟล์ซ้อนรายการและออบเจกต์ลึกเกิน ๒๐ ชั้น"


def test_a_json_file_nested_100000_deep_is_refused_with_the_thai_problem(seed_framework):
    before = Framework.objects.count()
    for text in ["[" * 100_000 + "]" * 100_000, '{"a":' * 100_000 + "1" + "}" * 100_000]:
        with pytest.raises(exchange.ImportProblems) as refused:
            exchange.import_json(text, by=None)
        assert refused.value.messages == [DEPTH_PROBLEM]
    assert Framework.objects.count() == before


def test_brackets_inside_strings_do_not_count_as_nesting(seed_framework):
    data = exchange.export_data(seed_framework)
    data["name"] = '[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[ \\" {{{{{{{{{{{{{{{{{{{{{{{{{{'
    draft = exchange.import_json(json.dumps(data, ensure_ascii=False), by=None)
    assert draft.status == "draft"


def test_a_json_file_over_the_size_limit_is_refused(seed_framework, monkeypatch):
    monkeypatch.setattr(exchange, "MAX_JSON_BYTES", 1000)
    with pytest.raises(exchange.ImportProblems) as refused:
        exchange.import_json(b" " * 1001, by=None)
    assert refused.value.messages == ["ไฟล์มีขนาดใหญ่เกินไป (ไม่เกิน ๐ MB)"]


def test_the_json_import_page_shows_the_problem_not_a_500(seed_framework, hr_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("deep.json", b"[" * 100_000 + b"]" * 100_000)
    response = hr_client.post(reverse("framework:import"), {"file": upload})
    assert response.status_code in (200, 400)
    assert DEPTH_PROBLEM in page_text(response)


def test_every_string_of_an_imported_framework_is_cleaned(seed_framework):
    data = exchange.export_data(seed_framework)
    competency = data["competencies"][0]
    competency["name_th"] = "การมุ่งมั่น\u202eสู่\u200bความสำเร็จ\x00"
    competency["levels"][0]["indicators"][0]["text"] = "ทำงาน\x0cตรงเวลา\u2066"
    draft = exchange.import_json(json.dumps(data, ensure_ascii=False), by=None)
    imported = draft.competencies.get(code=competency["code"])
    assert imported.name_th == "การมุ่งมั่นสู่ความสำเร็จ"
    first = imported.levels.get(number=1).indicators.order_by("number").first()
    assert first.text == "ทำงานตรงเวลา"


@pytest.mark.parametrize("value", ["１", "٣", "²", "1e3"])
def test_a_rating_value_in_non_ascii_digits_is_a_400(client, round_open, value):
    assessment = round_open.somchai_assessment
    indicator = all_indicators(assessment.cycle.framework)[0]
    client.force_login(round_open.somchai.user)
    response = rating_post(client, assessment, **{f"r{indicator.pk}": value})
    assert response.status_code == 400
    assert not Rating.objects.filter(assessment=assessment).exists()
