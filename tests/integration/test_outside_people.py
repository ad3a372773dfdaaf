"""Reviewers without a login (the นายก อบต. above the ปลัด): HR names the round's person above the
organisation, or someone for one person; their opinion and the refusal they witness are keyed
in by HR from paper; the forms print them. Refusals tested: staff, a rater already in the
portal, a position without a name."""

from decimal import Decimal

import pytest
from django.urls import reverse

from assessments import services
from assessments.models import Assessment, AssessmentEvent, Role
from assessments.services import outside
from tests.factories import rate
from tests.pdfs import form_pages

NAYOK = ("นายสมหมาย ใจกว้าง", "นายกองค์การบริหารส่วนตำบลคลองขวาง")


def form_text(assessment):
    return "".join(form_pages(assessment)).replace("\n", " ")


@pytest.fixture
def named(round_open):
    cast = round_open
    outside.name_round_outside(cycle=cast.cycle, name=NAYOK[0], position=NAYOK[1])
    cast.palad_assessment = Assessment.objects.get(cycle=cast.cycle, employee=cast.palad)
    cast.head_assessment = Assessment.objects.get(cycle=cast.cycle, employee=cast.head)
    return cast


def test_hr_names_the_person_above_the_organisation_on_the_round_page(client, round_open):
    cast = round_open
    client.force_login(cast.hr)
    url = reverse("assessments:cycle_outside", args=[cast.cycle.pk])
    client.post(url, {"outside-name": NAYOK[0], "outside-position": NAYOK[1]})
    cast.cycle.refresh_from_db()
    assert (cast.cycle.outside_name, cast.cycle.outside_position) == NAYOK
    page = client.get(reverse("assessments:cycle_detail", args=[cast.cycle.pk])).content.decode()
    assert f'value="{NAYOK[0]}"' in page


def test_staff_may_not_name_anyone(client, round_open):
    cast = round_open
    client.force_login(cast.head.user)
    url = reverse("assessments:cycle_outside", args=[cast.cycle.pk])
    assert client.post(url, {"outside-name": "x"}).status_code == 403
    url = reverse("assessments:outside_people", args=[cast.somchai_assessment.pk])
    assert client.post(url, {"reviewer_name": "x"}).status_code == 403
    cast.cycle.refresh_from_db()
    assert cast.cycle.outside_name == ""


def test_the_chief_administrators_form_names_the_outside_rater(named):
    a = named.palad_assessment
    assert a.outside_rater.full_name == NAYOK[0]
    text = form_text(a)
    assert f"ผู้บังคับบัญชา (ผู้ประเมิน) {NAYOK[0]}" in text
    assert f"({NAYOK[0]})" in text and f"ตำแหน่ง {NAYOK[1]}" in text


def test_a_heads_form_has_the_outside_next_level_supervisor_and_the_block_above_blank(named):
    a = named.head_assessment
    assert a.reviewer_id is None and a.outside_reviewer.full_name == NAYOK[0]
    text = form_text(a)
    assert f"ผู้บังคับบัญชาเหนือขึ้นไป {NAYOK[0]}" in text
    assert "ความเห็นของผู้บังคับบัญชาเหนือขึ้นไปอีกชั้นหนึ่ง (ถ้ามี)" in text
    assert text.count(f"({NAYOK[0]})") == 1  # Part 5 only; the block above stays blank


def test_a_staff_members_block_one_level_higher_names_the_person_above(named):
    text = form_text(named.somchai_assessment)
    assert f"({named.palad.full_name})" in text  # the next-level supervisor, in the portal
    assert f"({NAYOK[0]})" in text  # one level higher still: above the ปลัด


def test_hr_keys_in_the_outside_opinion_and_finalising_waits_for_it(client, named):
    cast = named
    a = cast.head_assessment
    rate(a, Role.SELF, cast.head.user, 2)
    rate(a, Role.SUPERVISOR, cast.palad.user, 2, work_results=Decimal("80"))
    services.acknowledge(assessment=a, by=cast.head.user)
    a.refresh_from_db()
    assert services.finalize_blockers(a)  # the opinion is due
    assert "review" in services.allowed_steps(a, cast.hr)
    client.force_login(cast.hr)
    client.post(
        reverse("assessments:review", args=[a.pk]),
        {"opinion": "agree", "comment": "", "version": a.version},
    )
    a.refresh_from_db()
    assert a.review_opinion == "agree"
    assert not services.finalize_blockers(a)


def test_hr_records_a_refusal_witnessed_for_an_outside_rater(client, named):
    cast = named
    a = cast.palad_assessment
    rate(a, Role.SELF, cast.palad.user, 2)
    rate(a, Role.SUPERVISOR, cast.hr, 2, work_results=Decimal("80"))  # keyed in from paper
    a.refresh_from_db()
    url = reverse("assessments:refusal", args=[a.pk])
    data = {"witness": "นายพยาน ทดสอบ", "refusal_date": "2026-03-31", "version": a.version}
    client.force_login(cast.head.user)  # in the portal, but not this person's rater
    assert client.post(url, data).status_code in (403, 404)
    client.force_login(cast.hr)
    assert client.post(url, data).status_code == 302
    a.refresh_from_db()
    assert a.acknowledgement == Assessment.Acknowledgement.REFUSED


def test_hr_names_someone_else_for_one_person_and_the_history_says_so(client, named):
    cast = named
    a = cast.palad_assessment
    client.force_login(cast.hr)
    client.post(
        reverse("assessments:outside_people", args=[a.pk]),
        {"rater_name": "นายรอง ใจดี", "rater_position": "รองนายก", "version": a.version},
    )
    a.refresh_from_db()
    assert a.outside_rater.full_name == "นายรอง ใจดี"
    event = a.events.get(action=AssessmentEvent.Action.RATER_CHANGED)
    assert event.detail == f"{NAYOK[0]} → นายรอง ใจดี"


def test_a_rater_for_someone_rated_in_the_portal_is_refused(client, named):
    cast = named
    a = cast.somchai_assessment
    client.force_login(cast.hr)
    response = client.post(
        reverse("assessments:outside_people", args=[a.pk]),
        {"rater_name": "นายใคร", "version": a.version},
        follow=True,
    )
    assert "ผู้ประเมินของบุคลากรนี้มีบัญชีในระบบแล้ว" in response.content.decode()
    a.refresh_from_db()
    assert a.outside_rater_name == ""


def test_a_position_without_a_name_is_refused(named):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        outside.name_round_outside(cycle=named.cycle, name="", position="นายก")
    named.cycle.refresh_from_db()
    assert named.cycle.outside_name == NAYOK[0]
