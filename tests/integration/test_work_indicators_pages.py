"""Work results from the agreed indicators in the browser (issue 15): HR chooses the way on
the round's page before opening; the supervisor's page of such a round shows the agreement's
indicators and the work results they give, and takes no typed percentage."""

from decimal import Decimal

import pytest
from django.urls import reverse

from assessments import services
from assessments.imports import agreements as agreements_import
from assessments.models import Assessment, Cycle
from tests.pdfs import form_pdf, pages_text

AGREEMENT = (
    "employee_code,indicator,unit,weight,target_1,target_2,target_3,target_4,target_5,"
    "achieved_level\r\n"
    "K0202,ร้อยละของฎีกาที่ตรวจเสร็จภายในสามวัน,ร้อยละ,70,50,60,70,80,90,4\r\n"
    "K0202,รายงานการเงินส่งตรงเวลา,ครั้ง,30,1,2,3,4,5,2\r\n"
)  # (4 × 70 + 2 × 30) ÷ 500 × 100 = 68.00


@pytest.fixture
def agreed(round_open):
    cast = round_open
    Cycle.objects.filter(pk=cast.cycle.pk).update(work_results_method="indicators")
    cast.cycle.refresh_from_db()
    agreements_import.import_agreements(
        rows_or_file=AGREEMENT.encode("utf-8"), cycle=cast.cycle, by=cast.hr
    )
    return cast


def test_hr_chooses_indicators_before_opening(client, cast):
    draft = services.create_cycle(code="2569-1", fiscal_year=2569, round_number=1)
    client.force_login(cast.hr)
    url = reverse("assessments:cycle_scoring", args=[draft.pk])
    data = {"method": "bar", "competency_weight": "30", "work_results_method": "indicators"}
    client.post(url, data)
    assert Cycle.objects.get(pk=draft.pk).work_results_method == "indicators"
    page = client.get(reverse("assessments:cycle_detail", args=[draft.pk])).content.decode()
    assert "คำนวณจากตัวชี้วัดผลสัมฤทธิ์ของงานตามข้อตกลง" in page


def test_the_supervisor_sees_the_indicators_and_their_work_results(client, agreed):
    cast = agreed
    client.force_login(cast.head.user)
    url = reverse("assessments:rate", args=[cast.somchai_assessment.pk])
    page = client.get(url).content.decode()
    assert "ร้อยละของฎีกาที่ตรวจเสร็จภายในสามวัน" in page
    assert "๖๘.๐๐" in page
    assert 'name="work_results"' not in page


def test_a_typed_percentage_posted_to_such_a_round_changes_nothing(client, agreed):
    cast = agreed
    client.force_login(cast.head.user)
    assessment = Assessment.objects.get(pk=cast.somchai_assessment.pk)
    url = reverse("assessments:rate", args=[assessment.pk])
    data = {"version": assessment.supervisor_version, "action": "save", "work_results": "95"}
    response = client.post(url, data)
    assert response.status_code == 302  # saved: the draft, not the typed figure
    saved = Assessment.objects.get(pk=assessment.pk)
    assert saved.supervisor_version == assessment.supervisor_version + 1
    assert saved.work_results == Decimal("68.00")


def test_a_round_of_typed_percentages_still_shows_the_field(client, round_open):
    cast = round_open
    client.force_login(cast.head.user)
    url = reverse("assessments:rate", args=[cast.somchai_assessment.pk])
    assert 'name="work_results"' in client.get(url).content.decode()


def test_the_printed_form_shows_the_indicators_before_the_competencies(agreed):
    text = " ".join(pages_text(form_pdf(Assessment.objects.get(pk=agreed.somchai_assessment.pk))))
    text = " ".join(text.split())
    component, competencies = text.find("องค์ประกอบที่ ๑"), text.find("ส่วนที่ ๒")
    assert 0 <= component < competencies
    assert "ร้อยละของฎีกาที่ตรวจเสร็จภายในสามวัน" in "".join(text.split())  # wrapped in its cell
    # c = a × b per indicator: 4 × 70 = 280, 2 × 30 = 60; their sum 340; 340 ÷ 500 × 100 = 68
    assert "๒๘๐" in text and "๓๔๐" in text and "๖๘.๐๐" in text


def test_the_dashboard_names_who_has_no_agreement_yet(client, agreed):
    client.force_login(agreed.hr)
    page = client.get(reverse("assessments:dashboard")).content.decode()
    section = page[page.index('class="mb-4 without-agreement"') :]
    section = section[: section.index("</section>")]
    assert agreed.malee.full_name in section
    assert agreed.somchai.full_name not in section


def test_the_annual_form_shows_each_rounds_indicators(client, agreed):
    client.force_login(agreed.hr)
    url = reverse("assessments:annual_pdf", args=[agreed.somchai_assessment.pk])
    text = " ".join(" ".join(pages_text(client.get(url).content)).split())
    assert "องค์ประกอบที่ ๑" in text and "๖๘.๐๐" in text


def test_my_team_shows_who_has_no_agreement_or_has_not_confirmed(client, agreed):
    client.force_login(agreed.head.user)
    page = client.get(reverse("assessments:team")).content.decode()
    rows = {
        name: page[page.index(name) :][: page[page.index(name) :].index("</tr>")]
        for name in (agreed.somchai.full_name, agreed.malee.full_name)
    }
    assert "ยังไม่ยืนยัน" in rows[agreed.somchai.full_name]  # agreed, not confirmed yet
    assert "ยังไม่มี" in rows[agreed.malee.full_name]  # no agreement
    assert reverse("assessments:agreement", args=[agreed.malee_assessment.pk]) in page


def test_my_team_in_a_round_of_typed_percentages_has_no_agreement_links(client, round_open):
    client.force_login(round_open.head.user)
    page = client.get(reverse("assessments:team")).content.decode()
    assert "agreement-link" not in page
