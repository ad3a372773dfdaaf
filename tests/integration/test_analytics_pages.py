"""Who may open the analytics pages (assessments/analytics_views.py), and what they show."""

import re

import pytest
from django.urls import reverse

from assessments import services
from assessments.models import Assessment, Role
from tests.factories import rate

HR_PAGES = [
    ("analytics:index", []),
    ("analytics:trend", []),
    ("analytics:csv", ["heatmap"]),
    ("analytics:csv", ["trend"]),
]


def second_round(cast):
    services.close_cycle(cycle=cast.cycle, by=cast.hr)
    cycle = services.create_cycle(code="2569-2", fiscal_year=2569, round_number=2)
    services.open_cycle(cycle=cycle, by=cast.hr)
    return cycle


def svgs(html):
    return re.findall(r"<svg\b[^>]*>.*?</svg>", html, flags=re.S)


def assert_accessible_charts(html, count):
    charts = svgs(html)
    assert len(charts) == count
    for svg in charts:
        opening = svg[: svg.index(">")]
        assert 'role="img"' in opening
        ids = re.search(r'aria-labelledby="([^"]+)"', opening).group(1).split()
        title = re.search(r'<title id="([^"]+)">([^<]+)</title>', svg)
        assert title and title.group(1) in ids and title.group(2).strip()
    assert "ดูเป็นตาราง" in html or "View as a table" in html
    assert "<table" in html
    assert " style=" not in html  # the CSP forbids inline styles


# ---------------------------------------------------------------- HR's pages


@pytest.mark.parametrize(("name", "args"), HR_PAGES)
def test_anonymous_is_sent_to_login(client, round_open, name, args):
    response = client.get(reverse(name, args=args))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize(("name", "args"), HR_PAGES)
def test_staff_may_not_see_the_analytics(client, round_open, name, args):
    client.force_login(round_open.head.user)
    assert client.get(reverse(name, args=args)).status_code == 403


@pytest.mark.parametrize(("name", "args"), HR_PAGES)
def test_hr_sees_the_analytics(client, round_open, name, args):
    client.force_login(round_open.hr)
    assert client.get(reverse(name, args=args)).status_code == 200


def test_the_analytics_page_draws_accessible_charts(client, round_open):
    cast = round_open
    rate(
        cast.somchai_assessment,
        Role.SUPERVISOR,
        cast.head.user,
        {"ACH": 3, "COM": 1, "SDEV": 0, "LOCAL": 2},
    )
    rate(
        cast.somchai_assessment,
        Role.SELF,
        cast.somchai.user,
        {"ACH": 5, "COM": 1, "SDEV": 1, "LOCAL": 2},
    )
    client.force_login(cast.hr)
    response = client.get(reverse("analytics:index"))
    html = response.content.decode()
    # four histograms, four bar charts by division, the heat map, the agreement bars
    assert_accessible_charts(html, 4 + 4 + 1 + 1)
    assert "css/analytics.css" in html
    assert html.count(reverse("analytics:csv", args=["heatmap"])) == 1
    # the person two levels apart is listed, with a link to their history
    assert reverse("analytics:person", args=[cast.somchai.pk]) in html


def test_the_analytics_page_lets_hr_choose_a_round_and_a_division(client, round_open):
    cast = round_open
    client.force_login(cast.hr)
    url = reverse("analytics:index")
    response = client.get(f"{url}?cycle={cast.cycle.pk}&department=กองช่าง")
    assert response.status_code == 200
    assert response.context["report"].department == "กองช่าง"
    assert client.get(f"{url}?cycle=9999").status_code == 404


def test_before_any_round_the_page_says_so(client, cast):
    client.force_login(cast.hr)
    response = client.get(reverse("analytics:index"))
    assert response.status_code == 200
    assert 'class="no-round"' in response.content.decode()
    assert client.get(reverse("analytics:trend")).status_code == 200


def test_the_trend_page_draws_a_line_per_competency(client, round_open):
    cast = round_open
    rate(
        cast.somchai_assessment,
        Role.SUPERVISOR,
        cast.head.user,
        {"ACH": 3, "COM": 1, "SDEV": 0, "LOCAL": 2},
    )
    second = second_round(cast)
    later = Assessment.objects.get(cycle=second, employee=cast.somchai)
    rate(later, Role.SUPERVISOR, cast.head.user, {"ACH": 4, "COM": 2, "SDEV": 1, "LOCAL": 2})
    client.force_login(cast.hr)
    html = client.get(reverse("analytics:trend")).content.decode()
    assert_accessible_charts(html, 2)
    assert html.count('<polyline class="line') == 2 * 4  # two charts, four competencies
    assert "๒๕๖๙-๒" in html


# ---------------------------------------------------------------- one person's history


def history_url(employee):
    return reverse("analytics:person", args=[employee.pk])


def test_anonymous_is_sent_to_login_from_a_history(client, round_open):
    response = client.get(history_url(round_open.somchai))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_an_unrelated_person_finds_no_history(client, round_open):
    cast = round_open
    for outsider in (cast.outsider, cast.malee, cast.palad):  # palad is the head's boss
        client.force_login(outsider.user)
        assert client.get(history_url(cast.somchai)).status_code == 404
        url = reverse("analytics:person_csv", args=[cast.somchai.pk])
        assert client.get(url).status_code == 404


@pytest.mark.parametrize("who", ["hr", "somchai", "head"])
def test_hr_the_person_and_their_supervisor_see_the_history(client, round_open, who):
    cast = round_open
    user = cast.hr if who == "hr" else getattr(cast, who).user
    client.force_login(user)
    assert client.get(history_url(cast.somchai)).status_code == 200
    url = reverse("analytics:person_csv", args=[cast.somchai.pk])
    assert client.get(url).status_code == 200


def test_the_history_lists_every_round_with_links_and_a_trend(client, round_open):
    cast = round_open
    rate(
        cast.somchai_assessment,
        Role.SUPERVISOR,
        cast.head.user,
        {"ACH": 3, "COM": 1, "SDEV": 0, "LOCAL": 2},
    )
    second = second_round(cast)
    later = Assessment.objects.get(cycle=second, employee=cast.somchai)
    rate(later, Role.SUPERVISOR, cast.head.user, {"ACH": 4, "COM": 2, "SDEV": 1, "LOCAL": 2})
    client.force_login(cast.hr)
    response = client.get(history_url(cast.somchai))
    html = response.content.decode()
    assert [s.assessment.cycle.code for s in response.context["history"].rounds] == [
        "2569-1",
        "2569-2",
    ]
    assert html.count('<tr data-cycle="') == 2
    for assessment in (cast.somchai_assessment, later):
        for name in ("assessments:results", "assessments:pdf", "assessments:annual_pdf"):
            assert reverse(name, args=[assessment.pk]) in html
    assert "๙๑.๖๗ %" in html  # round 1: 11 of 12 points
    assert "๑๐๐.๐๐ %" in html  # round 2: every competency at or above expected
    assert_accessible_charts(html, 1)


def test_the_history_links_only_the_rounds_the_viewer_may_open(client, round_open):
    cast = round_open
    # the head supervises somchai now but did not rate him in a round with another rater
    cast.somchai_assessment.supervisor = cast.other_head
    cast.somchai_assessment.save()
    client.force_login(cast.head.user)
    html = client.get(history_url(cast.somchai)).content.decode()
    assert reverse("assessments:results", args=[cast.somchai_assessment.pk]) not in html


def test_a_history_before_any_round_says_so(client, cast):
    client.force_login(cast.hr)
    response = client.get(history_url(cast.somchai))
    assert response.status_code == 200
    assert 'class="no-round"' in response.content.decode()


# ---------------------------------------------------------------- submitted ratings only


def one_submitted_one_draft(cast):
    """somchai rated and submitted by head; malee rated completely by head, not submitted."""
    rate(cast.somchai_assessment, Role.SUPERVISOR, cast.head.user, 2)
    rate(cast.malee_assessment, Role.SUPERVISOR, cast.head.user, 3, submit=False)


def test_the_page_says_that_only_submitted_ratings_count_and_how_many_drafts(client, round_open):
    cast = round_open
    one_submitted_one_draft(cast)
    client.force_login(cast.hr)

    response = client.get(reverse("analytics:index"))

    html = response.content.decode()
    assert 'data-drafts="1" data-include-drafts="0"' in html
    assert "นับเฉพาะผลที่ผู้บังคับบัญชาส่งแล้ว · ฉบับร่าง ๑ คนไม่นับ" in html
    assert "drafts=1" in html  # the link that counts them too
    assert response.context["report"].complete == 1


def test_hr_may_count_the_drafts_and_the_filter_keeps_the_choice(client, round_open):
    cast = round_open
    one_submitted_one_draft(cast)
    client.force_login(cast.hr)

    response = client.get(reverse("analytics:index"), {"drafts": "1"})

    html = response.content.decode()
    assert 'data-drafts="1" data-include-drafts="1"' in html
    assert "รวมฉบับร่างของผู้บังคับบัญชาด้วย" in html
    assert '<input type="hidden" name="drafts" value="1">' in html
    assert (
        f"{reverse('analytics:csv', args=['distribution'])}?cycle={cast.cycle.pk}&amp;drafts=1"
        in html
    )
    assert response.context["report"].complete == 2


def test_the_trend_page_says_how_many_drafts_are_left_out(client, round_open):
    cast = round_open
    one_submitted_one_draft(cast)
    client.force_login(cast.hr)

    html = client.get(reverse("analytics:trend")).content.decode()

    assert "ฉบับร่าง ๑ คนไม่นับ" in html
