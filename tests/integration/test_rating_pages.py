"""The self-assessment and supervisor rating pages: access, saving, submitting, budgets."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments.models import Assessment, Rating, Track
from framework.models import Indicator, Level
from tests.factories import all_indicators, values_up_to

REACHED = {"ACH": 2, "COM": 1, "SDEV": 1, "LOCAL": 1}


def login(client, person_or_user):
    client.force_login(getattr(person_or_user, "user", person_or_user))
    return client


def post_data(assessment, values, action="save", role="self", **extra):
    """A rating page's post, read at the track's current version (as the page would be)."""
    data = {f"r{pk}": value for pk, value in values.items()}
    version = Assessment.objects.get(pk=assessment.pk).track_version(role)
    return {**data, "version": version, "action": action, **extra}


def self_url(assessment):
    return reverse("assessments:self", args=[assessment.pk])


def rate_url(assessment):
    return reverse("assessments:rate", args=[assessment.pk])


def state(assessment):
    a = Assessment.objects.get(pk=assessment.pk)
    ratings = sorted(
        Rating.objects.filter(assessment=a).values_list("indicator_id", "role", "value")
    )
    return a.version, a.self_state, a.supervisor_state, a.work_results, ratings


# ---------------------------------------------------------------- who may open what


def test_anonymous_is_sent_to_login(client, round_open):
    for url in [self_url(round_open.somchai_assessment), rate_url(round_open.somchai_assessment)]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_staff_open_their_own_self_assessment(client, round_open):
    response = login(client, round_open.somchai).get(self_url(round_open.somchai_assessment))
    assert response.status_code == 200
    assert response.content.decode().count('type="radio"') == 66 * 2


def test_staff_cannot_open_another_persons_assessment(client, round_open):
    login(client, round_open.somchai)
    for url in [
        self_url(round_open.malee_assessment),
        rate_url(round_open.malee_assessment),
        reverse("assessments:results", args=[round_open.malee_assessment.pk]),
    ]:
        assert client.get(url).status_code == 404


def test_staff_cannot_rate_themselves_as_supervisor(client, round_open):
    response = login(client, round_open.somchai).get(rate_url(round_open.somchai_assessment))
    assert response.status_code == 403


def test_a_supervisor_cannot_open_someone_elses_subordinate(client, round_open):
    login(client, round_open.head)
    assert client.get(rate_url(round_open.outsider_assessment)).status_code == 404
    assert client.get(rate_url(round_open.somchai_assessment)).status_code == 200


def test_a_supervisor_cannot_write_someone_elses_subordinate(client, round_open):
    outsider = round_open.outsider_assessment
    before = state(outsider)
    values = values_up_to(outsider.cycle.framework, REACHED)
    response = login(client, round_open.head).post(
        rate_url(outsider), post_data(outsider, values, role="supervisor")
    )
    assert response.status_code == 404
    assert state(outsider) == before


def test_hr_may_view_but_not_rate(client, round_open):
    login(client, round_open.hr)
    assessment = round_open.somchai_assessment
    assert client.get(reverse("assessments:results", args=[assessment.pk])).status_code == 200
    assert client.get(self_url(assessment)).status_code == 403
    assert client.get(rate_url(assessment)).status_code == 403


# ---------------------------------------------------------------- saving and submitting


def test_saving_a_draft_and_submitting(client, round_open):
    assessment = round_open.somchai_assessment
    login(client, round_open.somchai)
    values = values_up_to(assessment.cycle.framework, REACHED)
    some = dict(list(values.items())[:10])
    response = client.post(self_url(assessment), post_data(assessment, some))
    assert response.status_code == 302
    assessment.refresh_from_db()
    assert assessment.self_state == Track.IN_PROGRESS
    assert Rating.objects.filter(assessment=assessment).count() == 10

    response = client.post(self_url(assessment), post_data(assessment, values, "submit"))
    assert response.status_code == 302
    assessment.refresh_from_db()
    assert assessment.self_state == Track.SUBMITTED
    page = client.get(self_url(assessment)).content.decode()
    assert page.count(" disabled") >= 66 * 2
    assert 'value="submit"' not in page


def test_submitting_with_gaps_saves_the_draft_and_lists_the_missing(client, round_open):
    assessment = round_open.somchai_assessment
    values = values_up_to(assessment.cycle.framework, REACHED)
    missing = list(values)[-3:]
    for pk in missing:
        del values[pk]
    response = login(client, round_open.somchai).post(
        self_url(assessment), post_data(assessment, values, "submit")
    )
    assert response.status_code == 200
    html = response.content.decode()
    for pk in missing:
        assert f'href="#i{pk}"' in html
    assessment.refresh_from_db()
    assert assessment.self_state == Track.IN_PROGRESS
    assert Rating.objects.filter(assessment=assessment).count() == 63


def test_any_write_to_a_submitted_track_is_refused(client, round_open):
    assessment = round_open.somchai_assessment
    login(client, round_open.somchai)
    values = values_up_to(assessment.cycle.framework, REACHED)
    client.post(self_url(assessment), post_data(assessment, values, "submit"))
    assessment.refresh_from_db()
    before = state(assessment)
    flipped = {pk: 1 - value for pk, value in values.items()}
    response = client.post(self_url(assessment), post_data(assessment, flipped))
    assert response.status_code == 400
    assert state(assessment) == before


def test_a_post_with_a_value_outside_the_scale_changes_nothing(client, round_open):
    assessment = round_open.somchai_assessment
    first = all_indicators(assessment.cycle.framework)[0]
    before = state(assessment)
    response = login(client, round_open.somchai).post(
        self_url(assessment), post_data(assessment, {first.pk: 5})
    )
    assert response.status_code == 400
    assert state(assessment) == before


def test_a_post_with_a_foreign_indicator_changes_nothing(client, round_open, seed_framework):
    assessment = round_open.somchai_assessment
    from framework.models import Competency, Framework

    other = Framework.objects.create(
        organisation=seed_framework.organisation, version=2, name="ร่าง"
    )
    competency = Competency.objects.create(framework=other, code="ACH", name_th="x", definition="-")
    level = Level.objects.create(competency=competency, number=1, title="-")
    foreign = Indicator.objects.create(level=level, number=1, text="ฉบับร่าง")
    own = all_indicators(assessment.cycle.framework)[0]
    before = state(assessment)
    response = login(client, round_open.somchai).post(
        self_url(assessment), post_data(assessment, {own.pk: 1, foreign.pk: 1})
    )
    assert response.status_code == 400
    assert state(assessment) == before


def test_the_supervisors_save_does_not_make_the_employees_page_stale(client, round_open):
    assessment = round_open.somchai_assessment
    first = all_indicators(assessment.cycle.framework)[0]
    read_earlier = post_data(assessment, {first.pk: 1})
    login(client, round_open.head).post(
        rate_url(assessment), post_data(assessment, {first.pk: 0}, role="supervisor")
    )
    response = login(client, round_open.somchai).post(self_url(assessment), read_earlier)
    assert response.status_code == 302
    ratings = Rating.objects.filter(assessment=assessment, indicator=first)
    assert sorted(ratings.values_list("role", "value")) == [("self", 1), ("supervisor", 0)]


def test_the_supervisor_sees_the_self_ratings_and_enters_work_results(client, round_open):
    assessment = round_open.somchai_assessment
    values = values_up_to(assessment.cycle.framework, REACHED)
    login(client, round_open.somchai).post(
        self_url(assessment), post_data(assessment, values, "submit")
    )
    assessment.refresh_from_db()
    login(client, round_open.head)
    html = client.get(rate_url(assessment)).content.decode()
    assert html.count('class="self-rating') == 66
    response = client.post(
        rate_url(assessment),
        post_data(assessment, values, "submit", role="supervisor", work_results="87.5"),
    )
    assert response.status_code == 302
    assessment.refresh_from_db()
    assert assessment.supervisor_state == Track.SUBMITTED
    assert str(assessment.work_results) == "87.50"


def test_work_results_outside_0_to_100_change_nothing(client, round_open):
    assessment = round_open.somchai_assessment
    before = state(assessment)
    response = login(client, round_open.head).post(
        rate_url(assessment), post_data(assessment, {}, role="supervisor", work_results="120")
    )
    assert response.status_code == 400
    assert state(assessment) == before


# ---------------------------------------------------------------- budgets


def count_queries(client, url):
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_rating_page_queries_do_not_grow_with_the_indicators(client, round_open):
    assessment = round_open.somchai_assessment
    login(client, round_open.head)
    small = count_queries(client, rate_url(assessment))
    for level in Level.objects.filter(competency__framework=assessment.cycle.framework):
        for number in range(10, 15):
            Indicator.objects.create(level=level, number=number, text=f"เพิ่ม {number}")
    large = count_queries(client, rate_url(assessment))
    assert large == small
    assert large <= 16  # 16: with "My team" in the menu


def test_saving_a_full_form_is_one_transaction(client, round_open):
    assessment = round_open.somchai_assessment
    values = values_up_to(assessment.cycle.framework, REACHED)
    login(client, round_open.somchai)
    with CaptureQueriesContext(connection) as queries:
        client.post(self_url(assessment), post_data(assessment, values))
    statements = [q["sql"].upper() for q in queries]
    # one BEGIN / SAVEPOINT ... COMMIT around the writes (SQLite shows BEGIN, PostgreSQL none)
    writes = [s for s in statements if s.startswith(("INSERT", "UPDATE", "DELETE"))]
    assert len(writes) <= 6  # version, bulk ratings, event, session — not one per indicator


def add_subordinates(cast, count):
    from assessments.models import Employee

    for n in range(count):
        person = Employee.objects.create(
            employee_code=f"X{n}",
            first_name=f"คน{n}",
            last_name="เพิ่ม",
            position_title="-",
            position_class=cast.malee.position_class,
            department=cast.malee.department,
            supervisor=cast.head,
        )
        Assessment.objects.create(
            cycle=cast.cycle,
            employee=person,
            supervisor=cast.head,
            position_class=person.position_class,
            expected_levels={},
        )


def test_my_team_queries_do_not_grow_with_the_subordinates(client, round_open):
    login(client, round_open.head)
    url = reverse("assessments:team")
    small = count_queries(client, url)
    add_subordinates(round_open, 12)
    large = count_queries(client, url)
    # the session, the user, the employee, the round, the team, the menu's two checks; the
    # agreements only in a round of agreed indicators (not here)
    assert large == small <= 7
    html = client.get(url).content.decode()
    assert html.count('class="btn btn-sm btn-primary"') == 2 + 12


def test_the_home_page_queries_do_not_grow_with_the_team(client, round_open):
    login(client, round_open.head)
    small = count_queries(client, reverse("home"))
    add_subordinates(round_open, 12)
    assert count_queries(client, reverse("home")) == small


def test_a_refused_save_shows_what_was_entered(client, round_open):
    assessment = round_open.somchai_assessment
    values = values_up_to(assessment.cycle.framework, REACHED)
    competency = assessment.cycle.framework.competencies.first()
    data = post_data(
        assessment,
        values,
        role="supervisor",
        work_results="150",
        **{f"c{competency.pk}": "ข้อความ"},
    )
    response = login(client, round_open.head).post(rate_url(assessment), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert html.count(" checked") == 66
    assert "ข้อความ</textarea>" in html
    assert 'value="150"' in html
    assert not Rating.objects.filter(assessment=assessment).exists()
