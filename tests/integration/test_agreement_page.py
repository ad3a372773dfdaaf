"""The performance agreement in the browser (issue 15): the rater writes it and picks the
levels reached; the person confirms it (a change of its terms asks for their confirmation
again); both steps are in the assessment's history; everyone else is refused."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from assessments.models import (
    Assessment,
    AssessmentEvent,
    Cycle,
    Track,
    WorkIndicator,
)
from tests.cast import open_round
from tests.conftest import assert_message
from tests.pdfs import pages_text

ROWS = [  # (4 × 60 + 5 × 40) ÷ 500 × 100 = 88.00
    ("ร้อยละของฎีกาที่ตรวจเสร็จภายในสามวัน", "ร้อยละ", "60", "4"),
    ("จำนวนรายงานที่ส่งตรงเวลา", "ฉบับ", "40", "5"),
]


def formset_data(rows, spare=1):
    data = {
        "action": "save",
        "w-TOTAL_FORMS": str(len(rows) + spare),
        "w-INITIAL_FORMS": "0",
        "w-MIN_NUM_FORMS": "0",
        "w-MAX_NUM_FORMS": "20",
    }
    for n, (title, unit, weight, level) in enumerate(rows):
        data |= {
            f"w-{n}-title": title,
            f"w-{n}-unit": unit,
            f"w-{n}-weight": weight,
            f"w-{n}-achieved_level": level,
            f"w-{n}-evidence": "รายงานประจำเดือน",
            **{f"w-{n}-target_{level_}": str(level_ * 10) for level_ in range(1, 6)},
        }
    return data


def url(assessment):
    return reverse("assessments:agreement", args=[assessment.pk])


HIDDEN = re.compile(r'name="(shown|terms)" value="([^"]*)"')


def post(client, assessment, data, **options):
    """POST to the agreement page as its form does: with the fingerprints of what it showed."""
    page = client.get(url(assessment))
    shown = dict(HIDDEN.findall(page.content.decode())) if page.status_code == 200 else {}
    return client.post(url(assessment), {**shown, **data}, **options)


@pytest.fixture
def agreed_round(round_open):
    Cycle.objects.filter(pk=round_open.cycle.pk).update(work_results_method="indicators")
    return round_open


def test_the_rater_writes_the_agreement_and_the_work_results_follow(client, agreed_round):
    cast = agreed_round
    client.force_login(cast.head.user)
    response = post(client, cast.somchai_assessment, formset_data(ROWS), follow=True)
    assert "บันทึกข้อตกลงแล้ว" in response.content.decode()
    saved = list(WorkIndicator.objects.filter(assessment=cast.somchai_assessment))
    assert [(i.title, i.weight, i.achieved_level) for i in saved] == [
        (ROWS[0][0], Decimal("60.00"), 4),
        (ROWS[1][0], Decimal("40.00"), 5),
    ]
    assert saved[0].targets == ["10", "20", "30", "40", "50"]
    assert saved[0].evidence == "รายงานประจำเดือน"
    assert Assessment.objects.get(pk=cast.somchai_assessment.pk).work_results == Decimal("88.00")
    assert AssessmentEvent.objects.filter(
        assessment=cast.somchai_assessment, action="agreement", actor=cast.head.user
    ).exists()


def test_weights_that_do_not_total_100_are_refused_and_nothing_is_saved(client, agreed_round):
    cast = agreed_round
    client.force_login(cast.head.user)
    rows = [ROWS[0], (*ROWS[1][:2], "30", "5")]
    response = post(client, cast.somchai_assessment, formset_data(rows))
    assert response.status_code == 400
    assert_message(response.content.decode(), "รวมกันได้ ๙๐", "total 90")
    assert not WorkIndicator.objects.exists()


def test_a_row_without_its_targets_is_refused(client, agreed_round):
    cast = agreed_round
    client.force_login(cast.head.user)
    data = formset_data(ROWS)
    data["w-1-target_3"] = ""
    response = post(client, cast.somchai_assessment, data)
    assert response.status_code == 400
    assert_message(response.content.decode(), "ค่าเป้าหมายของทุกระดับ", "target of each level")
    assert not WorkIndicator.objects.exists()


@pytest.mark.parametrize(("role", "status"), [("somchai", 403), ("malee", 404), ("hr", 403)])
def test_only_the_rater_may_write_it(client, agreed_round, role, status):
    cast = agreed_round
    client.force_login(cast.hr if role == "hr" else getattr(cast, role).user)
    response = post(client, cast.somchai_assessment, formset_data(ROWS))
    assert response.status_code == status
    assert not WorkIndicator.objects.exists()


def test_the_person_confirms_and_a_change_of_terms_asks_again(client, agreed_round):
    cast = agreed_round
    client.force_login(cast.head.user)
    post(client, cast.somchai_assessment, formset_data(ROWS))
    client.force_login(cast.somchai.user)
    page = client.get(url(cast.somchai_assessment)).content.decode()
    body = page[page.index("<body") :]  # the button itself, not a word of the page's title
    assert '<input type="hidden" name="action" value="confirm">' in body
    assert "ข้าพเจ้าได้อ่านและยืนยันข้อตกลงนี้" in body
    post(client, cast.somchai_assessment, {"action": "confirm", "comment": "เห็นด้วย"})
    assessment = Assessment.objects.get(pk=cast.somchai_assessment.pk)
    assert assessment.agreement_confirmed_at is not None
    assert assessment.agreement_comment == "เห็นด้วย"
    line = AssessmentEvent.objects.get(assessment=assessment, action="agreed")
    assert (line.actor, line.detail) == (cast.somchai.user, "เห็นด้วย")

    client.force_login(cast.head.user)  # only the levels reached: the confirmation stands
    post(client, assessment, formset_data([ROWS[0], (*ROWS[1][:3], "3")]))
    assert Assessment.objects.get(pk=assessment.pk).agreement_confirmed_at is not None
    post(client, assessment, formset_data([(*ROWS[0][:2], "50", "4"), (*ROWS[1][:2], "50", "3")]))
    assert Assessment.objects.get(pk=assessment.pk).agreement_confirmed_at is None


def test_the_rater_starts_from_the_previous_rounds_indicators(client, agreed_round):
    cast = agreed_round
    earlier = Assessment.objects.get(pk=cast.somchai_assessment.pk)
    later = open_round_after(cast)
    WorkIndicator.objects.create(
        assessment=earlier,
        number=1,
        title="งานของรอบก่อน",
        weight=100,
        achieved_level=5,
        **{f"target_{n}": str(n) for n in range(1, 6)},
    )
    client.force_login(cast.head.user)
    page = client.get(url(later) + "?copy=previous").content.decode()
    assert 'value="งานของรอบก่อน"' in page
    assert not WorkIndicator.objects.filter(assessment=later).exists()  # nothing saved yet


def open_round_after(cast):
    """Round 2569-2 open for the cast (2569-1 closed), and somchai's assessment in it."""
    Cycle.objects.filter(pk=cast.cycle.pk).update(status=Cycle.Status.CLOSED)
    open_round(cast, code="2569-2")
    return cast.somchai_assessment


def test_once_the_rater_has_submitted_the_agreement_is_read_only(client, agreed_round):
    cast = agreed_round
    Assessment.objects.filter(pk=cast.somchai_assessment.pk).update(
        supervisor_state=Track.SUBMITTED
    )
    client.force_login(cast.head.user)
    page = client.get(url(cast.somchai_assessment)).content.decode()
    assert 'name="action" value="save"' not in page
    assert "งานการเจ้าหน้าที่ต้องเปิดให้แก้ไขก่อน" in page
    assert post(client, cast.somchai_assessment, formset_data(ROWS)).status_code == 403


def test_the_agreement_form_prints_the_indicators_and_the_expected_levels(client, agreed_round):
    cast = agreed_round
    client.force_login(cast.head.user)
    post(client, cast.somchai_assessment, formset_data(ROWS))
    client.force_login(cast.somchai.user)
    post(client, cast.somchai_assessment, {"action": "confirm", "comment": ""})
    response = client.get(reverse("assessments:agreement_pdf", args=[cast.somchai_assessment.pk]))
    assert response["Content-Type"] == "application/pdf"
    text = " ".join(" ".join(pages_text(response.content)).split())
    assert "แบบข้อตกลงการปฏิบัติงาน" in text or "ข้อตกลงการปฏิบัติงาน" in text
    assert "จำนวนรายงานที่ส่งตรงเวลา" in "".join(text.split())
    assert "การมุ่งมั่นสู่ความสำเร็จ" in text  # the competencies, with their expected levels
    assert "ยืนยันในระบบเมื่อ" in text
    assert "ลงชื่อ" in text  # both sign
    assert "๘๘.๐๐" not in text  # the agreement, not the result


def test_the_rater_starts_from_another_agreement_of_their_team_and_no_one_elses(
    client, agreed_round
):
    cast = agreed_round
    client.force_login(cast.head.user)
    post(client, cast.malee_assessment, formset_data(ROWS))
    page = client.get(url(cast.somchai_assessment) + f"?copy={cast.malee_assessment.pk}")
    assert f'value="{ROWS[1][0]}"' in page.content.decode()
    assert not WorkIndicator.objects.filter(assessment=cast.somchai_assessment).exists()
    client.force_login(cast.other_head.user)  # outsider's rater: malee is not of their team
    other = url(cast.outsider_assessment) + f"?copy={cast.malee_assessment.pk}"
    assert client.get(other).status_code == 400


def test_a_page_left_open_does_not_overwrite_a_later_change(client, agreed_round):
    cast = agreed_round
    client.force_login(cast.head.user)
    stale = dict(HIDDEN.findall(client.get(url(cast.somchai_assessment)).content.decode()))
    post(client, cast.somchai_assessment, formset_data(ROWS))  # saved in another tab
    other = [(*ROWS[0][:2], "100", "2")]
    response = client.post(url(cast.somchai_assessment), {**stale, **formset_data(other)})
    assert response.status_code == 400
    assert_message(response.content.decode(), "มีการเปลี่ยนแปลงข้อตกลง", "changed meanwhile")
    assert WorkIndicator.objects.filter(assessment=cast.somchai_assessment).count() == 2


def test_terms_changed_after_the_person_read_them_are_not_confirmed(client, agreed_round):
    cast = agreed_round
    client.force_login(cast.head.user)
    post(client, cast.somchai_assessment, formset_data(ROWS))
    client.force_login(cast.somchai.user)
    read = dict(HIDDEN.findall(client.get(url(cast.somchai_assessment)).content.decode()))
    client.force_login(cast.head.user)
    changed = [(*ROWS[0][:2], "50", "4"), (*ROWS[1][:2], "50", "5")]
    post(client, cast.somchai_assessment, formset_data(changed))
    client.force_login(cast.somchai.user)
    data = {**read, "action": "confirm", "comment": ""}
    response = client.post(url(cast.somchai_assessment), data)
    assert response.status_code == 400
    assert Assessment.objects.get(pk=cast.somchai_assessment.pk).agreement_confirmed_at is None
