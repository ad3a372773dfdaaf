"""The workflow buttons of the results page: acknowledge, refusal, review, finalise, reopen."""

import re

from django.urls import reverse

from assessments import services
from assessments.models import Assessment, Employee, Role
from tests.factories import rate

REACHED = {"ACH": 1, "COM": 1, "SDEV": 1, "LOCAL": 1}


def rated(cast):
    a = cast.somchai_assessment
    for role, user in [(Role.SELF, cast.somchai.user), (Role.SUPERVISOR, cast.head.user)]:
        rate(a, role, user, REACHED)
    return Assessment.objects.get(pk=a.pk)


def post(client, user, name, assessment, **data):
    client.force_login(user)
    url = reverse(f"assessments:{name}", args=[assessment.pk])
    return client.post(url, {"version": assessment.version, **data})


def test_anonymous_posts_go_to_login(client, round_open):
    response = client.post(
        reverse("assessments:acknowledge", args=[round_open.somchai_assessment.pk])
    )
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_only_the_employee_acknowledges(client, round_open):
    a = rated(round_open)
    assert post(client, round_open.head.user, "acknowledge", a).status_code == 403
    assert post(client, round_open.outsider.user, "acknowledge", a).status_code == 404
    assert Assessment.objects.get(pk=a.pk).acknowledgement == "pending"
    assert post(client, round_open.somchai.user, "acknowledge", a).status_code == 302
    assert Assessment.objects.get(pk=a.pk).acknowledgement == "acknowledged"


def test_the_rater_records_a_refusal_with_a_witness(client, round_open):
    a = rated(round_open)
    post(client, round_open.head.user, "refusal", a, witness="", refusal_date="2026-03-20")
    assert Assessment.objects.get(pk=a.pk).acknowledgement == "pending"
    assert post(client, round_open.somchai.user, "refusal", a, witness="x").status_code == 403
    post(client, round_open.head.user, "refusal", a, witness="นางมาลี", refusal_date="2026-03-20")
    a = Assessment.objects.get(pk=a.pk)
    assert (a.acknowledgement, a.refusal_witness, str(a.refusal_date)) == (
        "refused",
        "นางมาลี",
        "2026-03-20",
    )


def test_the_next_level_supervisor_reviews(client, round_open):
    a = rated(round_open)
    services.acknowledge(assessment=a, by=round_open.somchai.user)
    a = Assessment.objects.get(pk=a.pk)
    assert post(client, round_open.head.user, "review", a, opinion="agree").status_code == 403
    post(client, round_open.palad.user, "review", a, opinion="agree", comment="เห็นด้วย")
    assert Assessment.objects.get(pk=a.pk).review_opinion == "agree"


def test_only_hr_finalises_and_reopens(client, round_open):
    a = rated(round_open)
    services.acknowledge(assessment=a, by=round_open.somchai.user)
    services.review(assessment=a, by=round_open.palad.user, opinion="agree")
    a = Assessment.objects.get(pk=a.pk)
    assert post(client, round_open.head.user, "finalize", a).status_code == 403
    post(client, round_open.hr, "finalize", a)
    a = Assessment.objects.get(pk=a.pk)
    assert a.is_finalized
    assert (
        post(client, round_open.head.user, "reopen", a, step="final", reason="x").status_code == 403
    )
    post(client, round_open.hr, "reopen", a, step="final", reason="")
    assert Assessment.objects.get(pk=a.pk).is_finalized
    post(client, round_open.hr, "reopen", a, step="final", reason="แก้ผลสัมฤทธิ์")
    assert not Assessment.objects.get(pk=a.pk).is_finalized


def test_a_step_with_a_stale_version_changes_nothing(client, round_open):
    a = rated(round_open)
    stale_version = a.version - 1
    client.force_login(round_open.somchai.user)
    url = reverse("assessments:acknowledge", args=[a.pk])
    client.post(url, {"version": stale_version})
    assert Assessment.objects.get(pk=a.pk).acknowledgement == "pending"


def test_workflow_steps_refuse_get(client, round_open):
    client.force_login(round_open.somchai.user)
    url = reverse("assessments:acknowledge", args=[round_open.somchai_assessment.pk])
    assert client.get(url).status_code == 405


def test_hr_changes_the_rater_before_the_rating(client, round_open):
    a = Assessment.objects.get(cycle=round_open.cycle, employee=round_open.palad)
    assert a.supervisor is None  # nobody rates the head of the office yet
    head = round_open.head.user
    refused = post(client, head, "change_rater", a, supervisor=round_open.other_head.pk)
    assert refused.status_code == 403  # an HR page: the HR gate refuses her
    post(client, round_open.hr, "change_rater", a, supervisor=round_open.other_head.pk)
    a = Assessment.objects.get(pk=a.pk)
    assert (a.supervisor, a.reviewer) == (round_open.other_head, round_open.palad)
    assert a.events.filter(action="rater").exists()
    # nobody may rate themself
    post(client, round_open.hr, "change_rater", a, supervisor=round_open.palad.pk)
    assert Assessment.objects.get(pk=a.pk).supervisor == round_open.other_head


def test_hr_keys_in_the_next_level_opinion_from_paper(client, round_open):
    a = rated(round_open)
    services.acknowledge(assessment=a, by=round_open.somchai.user)
    a = Assessment.objects.get(pk=a.pk)
    post(client, round_open.hr, "review", a, opinion="differ", comment="ตามแบบกระดาษ")
    a = Assessment.objects.get(pk=a.pk)
    assert (a.review_opinion, a.review_comment) == ("differ", "ตามแบบกระดาษ")
    assert a.events.get(action="reviewed").actor == round_open.hr


def test_hr_reopens_with_a_reason_as_long_as_any_comment(client, round_open):
    # The form took 1,000 characters at most while the service and every comment take 4,000.
    a = rated(round_open)
    services.acknowledge(assessment=a, by=round_open.somchai.user)
    services.review(assessment=a, by=round_open.palad.user, opinion="agree")
    services.finalize(assessment=Assessment.objects.get(pk=a.pk), by=round_open.hr)
    a = Assessment.objects.get(pk=a.pk)
    reason = ("แก้ผลสัมฤทธิ์ของงาน" * 100)[:1500]
    assert len(reason) == 1500
    post(client, round_open.hr, "reopen", a, step="final", reason=reason)
    a = Assessment.objects.get(pk=a.pk)
    assert not a.is_finalized
    assert a.events.filter(action="reopened").get().detail == reason


def rater_options(page):
    """The employee codes the change-rater select offers (its options end in "(CODE)")."""
    select = page.split('name="supervisor"', 1)[1].split("</select>", 1)[0]
    return re.findall(r"\(([A-Z0-9]+)\)</option>", select)


def test_the_rater_choice_offers_a_few_people_and_finds_anyone(client, round_open):
    cast = round_open
    department = cast.malee.department
    for n in range(60):  # an organisation bigger than a select should list
        Employee.objects.create(
            employee_code=f"R{n:03d}",
            first_name=f"คนที่{n:03d}",
            last_name="เพิ่ม",
            position_title="-",
            position_class=cast.malee.position_class,
            department=department,
        )
    a = cast.somchai_assessment
    client.force_login(cast.hr)
    url = reverse("assessments:results", args=[a.pk])
    offered = rater_options(client.get(url).content.decode())
    assert cast.head.employee_code in offered  # the current rater, with the division's raters
    assert "R000" not in offered and len(offered) <= 21
    found = rater_options(client.get(url, {"rater_q": "R042"}).content.decode())
    assert found == [cast.head.employee_code, "R042"]
    # anyone active may be chosen, listed or not
    chosen = Employee.objects.get(employee_code="R059")
    post(client, cast.hr, "change_rater", a, supervisor=chosen.pk)
    assert Assessment.objects.get(pk=a.pk).supervisor == chosen
