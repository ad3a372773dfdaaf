"""Part 3 as a development plan: the supervisor (or HR, from paper) chooses for each competency
below expectation a method from HR's list and a period; the printed form shows them; HR keeps
the list of methods. Refusals are tested: staff, another supervisor, a method not offered."""

from decimal import Decimal

import pytest
from django.urls import reverse

from assessments.models import DevelopmentMethod, DevelopmentPlanItem, Role
from assessments.reports import context
from framework.models import Competency
from tests.factories import rate
from tests.pdfs import form_pages

# rated with no indicator shown, every competency is below somchai's expected levels
BELOW = 0


@pytest.fixture
def rated(round_open):
    cast = round_open
    a = cast.somchai_assessment
    rate(a, Role.SELF, cast.somchai.user, BELOW)
    rate(
        a,
        Role.SUPERVISOR,
        cast.head.user,
        BELOW,
        work_results=Decimal("70"),
        comments=None,
    )
    return a


def competency(assessment, code):
    return Competency.objects.get(framework=assessment.cycle.framework, code=code)


def method(name):
    return DevelopmentMethod.objects.get(name_th=name)


def post_plan(client, user, assessment, data):
    client.force_login(user)
    return client.post(reverse("assessments:plan", args=[assessment.pk]), data)


def test_the_first_methods_are_offered(db):
    names = list(DevelopmentMethod.objects.values_list("name_th", flat=True))
    assert names[:4] == ["อบรม", "สอนงาน", "มอบหมายงาน", "ศึกษาด้วยตนเอง"]


def test_the_supervisor_chooses_a_method_and_a_period(client, round_open, rated):
    ach = competency(rated, "ACH")
    data = {f"method-{ach.pk}": method("สอนงาน").pk, f"period-{ach.pk}": "เม.ย.–มิ.ย. ๒๕๖๙"}
    response = post_plan(client, round_open.head.user, rated, data)
    assert response.status_code == 302
    item = DevelopmentPlanItem.objects.get(assessment=rated)
    assert (item.competency, item.method.name_th, item.period) == (
        ach,
        "สอนงาน",
        "เม.ย.–มิ.ย. ๒๕๖๙",
    )
    page = client.get(reverse("assessments:results", args=[rated.pk])).content.decode()
    assert f'<option value="{method("สอนงาน").pk}" selected>สอนงาน</option>' in page


def test_the_printed_part_3_shows_the_method_and_period(rated):
    ach = competency(rated, "ACH")
    DevelopmentPlanItem.objects.create(
        assessment=rated, competency=ach, method=method("อบรม"), period="ไตรมาสที่ ๓"
    )
    text = "".join(form_pages(rated))
    assert "วิธีการพัฒนา" in text and "ช่วงเวลา" in text
    assert "อบรม" in text and "ไตรมาสที่ ๓" in text


def test_a_method_not_offered_is_refused_and_nothing_changes(client, round_open, rated):
    ach, com = competency(rated, "ACH"), competency(rated, "COM")
    retired = method("หมุนเวียนงาน")
    retired.active = False
    retired.save()
    data = {
        f"method-{ach.pk}": method("อบรม").pk,
        f"method-{com.pk}": retired.pk,
    }
    response = post_plan(client, round_open.head.user, rated, data)
    page = client.get(response["Location"]).content.decode()
    assert "เลือกวิธีการพัฒนาจากรายการ" in page
    assert not DevelopmentPlanItem.objects.exists()  # the good line was not kept either


def test_a_period_without_a_method_is_refused(client, round_open, rated):
    ach = competency(rated, "ACH")
    response = post_plan(client, round_open.head.user, rated, {f"period-{ach.pk}": "ปีหน้า"})
    assert "ระบุช่วงเวลาแต่ยังไม่ได้เลือกวิธีการพัฒนา" in client.get(response["Location"]).content.decode()
    assert not DevelopmentPlanItem.objects.exists()


def test_staff_and_another_supervisor_may_not_plan(client, round_open, rated):
    ach = competency(rated, "ACH")
    data = {f"method-{ach.pk}": method("อบรม").pk}
    assert post_plan(client, round_open.somchai.user, rated, data).status_code in (403, 404)
    assert post_plan(client, round_open.outsider.user, rated, data).status_code in (403, 404)
    assert not DevelopmentPlanItem.objects.exists()


def test_hr_keys_in_a_plan_from_paper(client, round_open, rated):
    ach = competency(rated, "ACH")
    post_plan(client, round_open.hr, rated, {f"method-{ach.pk}": method("ศึกษาดูงาน").pk})
    assert DevelopmentPlanItem.objects.get().method.name_th == "ศึกษาดูงาน"


def test_a_competency_outside_the_plan_is_refused(client, round_open, rated):
    data = {"method-999999": method("อบรม").pk}
    post_plan(client, round_open.head.user, rated, data)
    assert not DevelopmentPlanItem.objects.exists()


# ---------------------------------------------------------------- HR's list of methods


def test_hr_adds_renames_and_retires_a_method(client, round_open):
    client.force_login(round_open.hr)
    url = reverse("assessments:development_methods")
    client.post(url, {"name_th": "ฝึกปฏิบัติจริง"})
    added = method("ฝึกปฏิบัติจริง")
    assert added.active
    client.post(url, {"method": added.pk, "name_th": "ฝึกปฏิบัติในงานจริง"})
    added.refresh_from_db()
    assert (added.name_th, added.active) == ("ฝึกปฏิบัติในงานจริง", False)  # box left unticked
    page = client.get(url).content.decode()
    assert "ฝึกปฏิบัติในงานจริง" in page


def test_a_duplicate_method_is_refused_in_thai(client, round_open):
    client.force_login(round_open.hr)
    url = reverse("assessments:development_methods")
    response = client.post(url, {"name_th": "อบรม"}, follow=True)
    assert "มีวิธีการพัฒนา &quot;อบรม&quot; อยู่ในรายการแล้ว" in response.content.decode()
    assert DevelopmentMethod.objects.filter(name_th="อบรม").count() == 1


def test_staff_may_not_edit_the_methods(client, round_open):
    client.force_login(round_open.head.user)
    url = reverse("assessments:development_methods")
    assert client.get(url).status_code == 403
    assert client.post(url, {"name_th": "x"}).status_code == 403
    assert not DevelopmentMethod.objects.filter(name_th="x").exists()


# ---------------------------------------------------------------- what the review found


def test_a_method_retired_after_it_was_chosen_does_not_block_the_next_save(
    client, round_open, rated
):
    ach, com = competency(rated, "ACH"), competency(rated, "COM")
    chosen = method("หมุนเวียนงาน")
    post_plan(client, round_open.head.user, rated, {f"method-{ach.pk}": chosen.pk})
    chosen.active = False
    chosen.save()
    data = {f"method-{ach.pk}": chosen.pk, f"method-{com.pk}": method("อบรม").pk}
    post_plan(client, round_open.head.user, rated, data)
    assert set(DevelopmentPlanItem.objects.values_list("method__name_th", flat=True)) == {
        "หมุนเวียนงาน",
        "อบรม",
    }


def test_a_rename_in_the_list_does_not_rewrite_a_plan(client, round_open, rated):
    ach = competency(rated, "ACH")
    post_plan(client, round_open.head.user, rated, {f"method-{ach.pk}": method("อบรม").pk})
    renamed = method("อบรม")
    renamed.name_th = "อบรมหลักสูตรระยะสั้น"
    renamed.save()
    html = context.person_form_html(context.assessment_for_print(rated.pk))
    assert ">อบรม<" in html
    assert "อบรมหลักสูตรระยะสั้น" not in html


def test_the_plan_is_fixed_once_the_person_has_signed_and_its_history_kept(
    client, round_open, rated
):
    from assessments import services

    ach = competency(rated, "ACH")
    post_plan(client, round_open.head.user, rated, {f"method-{ach.pk}": method("อบรม").pk})
    event = rated.events.get(action="planned")
    assert event.detail == "การมุ่งมั่นสู่ความสำเร็จ: อบรม"
    services.acknowledge(assessment=rated, by=round_open.somchai.user)
    response = post_plan(client, round_open.head.user, rated, {f"method-{ach.pk}": ""})
    page = client.get(response["Location"]).content.decode()
    assert "ลงนามรับทราบผลและแผนพัฒนาแล้ว" in page
    assert DevelopmentPlanItem.objects.count() == 1


def test_digits_that_are_not_plain_numbers_are_refused_not_a_500(client, round_open, rated):
    response = post_plan(client, round_open.head.user, rated, {"method-²": "1"})
    assert response.status_code == 302
    assert not DevelopmentPlanItem.objects.exists()
    client.force_login(round_open.hr)
    url = reverse("assessments:development_methods")
    assert client.post(url, {"method": "²", "name_th": "ใหม่"}).status_code == 302
