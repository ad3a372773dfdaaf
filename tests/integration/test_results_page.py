from decimal import Decimal

from django.urls import reverse

from assessments import services
from assessments.models import Role
from tests.factories import all_indicators, rate, values_up_to


def results_html(client, user, assessment):
    client.force_login(user)
    response = client.get(reverse("assessments:results", args=[assessment.pk]))
    assert response.status_code == 200
    return response


def test_the_results_follow_the_scoring_rules(client, round_open):
    cast = round_open
    a = cast.head_assessment  # DIR-1: expected 3 everywhere
    rate(a, Role.SELF, cast.head.user, {"ACH": 5, "COM": 5, "SDEV": 5, "LOCAL": 5})
    rate(
        a,
        Role.SUPERVISOR,
        cast.palad.user,
        {"ACH": 4, "COM": 2, "SDEV": 1, "LOCAL": 0},
        work_results=Decimal("85"),
    )
    response = results_html(client, cast.head.user, a)
    rows = {row.code: row for _block, row in response.context["results"].rows}
    assert [(r.self_level, r.supervisor_level, r.gap, r.points) for r in rows.values()] == [
        (5, 4, 1, 3),
        (5, 2, -1, 2),
        (5, 1, -2, 1),
        (5, 0, -3, 0),
    ]
    results = response.context["results"]
    assert results.score == Decimal("50.00")  # 6 of 12 points
    assert results.weighted == Decimal("15.00")
    assert results.total == Decimal("74.50")  # 15 + 85 × 0.7
    assert results.band == ("good", "ดี")
    html = response.content.decode()
    assert "๗๔.๕๐" in html


def test_a_level_shown_above_a_failed_one_gets_a_warning(client, round_open):
    cast = round_open
    a = cast.somchai_assessment
    values = values_up_to(a.cycle.framework, {"ACH": 5, "COM": 1, "SDEV": 1, "LOCAL": 1})
    ach = a.cycle.framework.competencies.get(code="ACH")
    level_2 = list(ach.levels.get(number=2).indicators.values_list("pk", flat=True))
    values[level_2[0]] = 0  # ACH level 2 fails; 3, 4, 5 still pass
    services.save_ratings(assessment=a, role=Role.SUPERVISOR, by=cast.head.user, values=values)
    services.submit_track(assessment=a, role=Role.SUPERVISOR, by=cast.head.user)
    response = results_html(client, cast.head.user, a)
    rows = {row.code: row for _block, row in response.context["results"].rows}
    assert rows["ACH"].supervisor_level == 1
    assert rows["ACH"].warning_levels == (3, 4, 5)
    assert 'class="text-warning-emphasis small level-warning"' in response.content.decode()


def test_results_wait_for_a_complete_supervisor_rating(client, round_open):
    cast = round_open
    response = results_html(client, cast.somchai.user, cast.somchai_assessment)
    assert response.context["results"].complete is False
    assert response.context["results"].score is None


def test_the_reviewer_may_see_the_results_but_an_outsider_may_not(client, round_open):
    cast = round_open
    results_html(client, cast.palad.user, cast.somchai_assessment)
    client.force_login(cast.outsider.user)
    url = reverse("assessments:results", args=[cast.somchai_assessment.pk])
    assert client.get(url).status_code == 404


def test_the_history_speaks_the_readers_language(client, round_open):
    assessment = round_open.somchai_assessment
    first, second = all_indicators(assessment.cycle.framework)[:2]
    services.save_ratings(
        assessment=assessment,
        role=Role.SELF,
        by=round_open.somchai.user,
        values={first.pk: 1, second.pk: 0},
    )
    client.force_login(round_open.somchai.user)
    page = reverse("assessments:results", args=[assessment.pk])
    assert "บันทึกผลการประเมิน ๒ ข้อ" in client.get(page).content.decode()
    client.post(reverse("set_language"), {"language": "en", "next": page})
    english = client.get(page).content.decode()
    assert "2 ratings saved" in english and "บันทึกผลการประเมิน" not in english
