"""Saves that never overwrite (issue 10, point 3): each rating track has its own version; a
save on top of someone else's save of the same track shows both, per indicator and comment,
and writes nothing until the person chooses; a stale page sent again can never overwrite."""

import threading
import time
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.db import close_old_connections, connection, connections, transaction
from django.urls import reverse

from assessments import services
from assessments.models import Assessment, CompetencyComment, Rating, Role
from tests.factories import all_indicators

CONFLICT = "มีผู้อื่นบันทึกก่อน"
NOTHING_SAVED = "ยังไม่ได้บันทึกสิ่งที่ท่านกรอก"
CHOOSE_ALL = "โปรดเลือกฉบับใดฉบับหนึ่งให้ครบทุกข้อที่ขัดกัน"


class FormFields(HTMLParser):
    """The hidden inputs of the page's rating (or conflict) form, as a browser sends them."""

    def __init__(self):
        super().__init__()
        self.forms = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.forms.append({})
        if tag == "input" and attrs.get("type") == "hidden" and self.forms:
            self.forms[-1][attrs["name"]] = attrs.get("value", "")


def hidden_fields(response):
    parser = FormFields()
    parser.feed(response.content.decode())
    [fields] = [form for form in parser.forms if "version" in form]
    return fields


def self_url(assessment):
    return reverse("assessments:self", args=[assessment.pk])


def open_tab(client, url):
    """The hidden fields of a rating page as opened now (a browser tab)."""
    response = client.get(url)
    assert response.status_code == 200
    return hidden_fields(response)


def saved(assessment):
    ratings = Rating.objects.filter(assessment=assessment, role=Role.SELF)
    comments = CompetencyComment.objects.filter(assessment=assessment, role=Role.SELF)
    return dict(ratings.values_list("indicator_id", "value")), dict(
        comments.values_list("competency_id", "text")
    )


@pytest.fixture
def two_tabs(client, round_open):
    """Somchai's self-assessment open in two tabs; tab A saves a rating and evidence first."""
    assessment = round_open.somchai_assessment
    client.force_login(round_open.somchai.user)
    first, second, third = all_indicators(assessment.cycle.framework)[:3]
    competency = first.level.competency
    tab_a, tab_b = open_tab(client, self_url(assessment)), open_tab(client, self_url(assessment))
    response = client.post(
        self_url(assessment),
        {**tab_a, f"r{first.pk}": "1", f"c{competency.pk}": "หลักฐานจากแท็บ A", "action": "save"},
    )
    assert response.status_code == 302
    stale_b = {
        **tab_b,
        f"r{first.pk}": "0",
        f"r{second.pk}": "1",
        f"c{competency.pk}": "หลักฐานจากแท็บ B",
        "action": "save",
    }
    return assessment, client, stale_b, (first, second, third, competency)


def test_a_stale_save_shows_both_sides_and_writes_nothing(two_tabs):
    assessment, client, stale_b, (first, second, _third, competency) = two_tabs
    before = saved(assessment)
    assert before == ({first.pk: 1}, {competency.pk: "หลักฐานจากแท็บ A"})

    response = client.post(self_url(assessment), stale_b)

    assert response.status_code == 409
    html = response.content.decode()
    assert CONFLICT in html and NOTHING_SAVED in html
    # Both sides of the comment, and the rating changed on both sides, are offered
    assert "หลักฐานจากแท็บ A" in html and "หลักฐานจากแท็บ B" in html
    assert f'name="pick_r{first.pk}"' in html and f'name="pick_c{competency.pk}"' in html
    # The rating only tab B changed is not a conflict: it is listed as B's other change
    assert f'name="pick_r{second.pk}"' not in html
    assert f'name="r{second.pk}" value="1"' in html
    assert saved(assessment) == before


def test_the_stale_page_sent_again_still_cannot_overwrite(two_tabs):
    assessment, client, stale_b, _rows = two_tabs
    before = saved(assessment)
    for _attempt in range(3):
        assert client.post(self_url(assessment), stale_b).status_code == 409
    assert saved(assessment) == before


def test_the_choices_are_saved_on_top_of_the_other_save(two_tabs):
    assessment, client, stale_b, (first, second, _third, competency) = two_tabs
    conflict = client.post(self_url(assessment), stale_b)
    answer = {
        **hidden_fields(conflict),
        f"pick_r{first.pk}": "mine",
        f"pick_c{competency.pk}": "theirs",
    }

    response = client.post(self_url(assessment), answer)

    assert response.status_code == 302
    # Mine where chosen (0), theirs where chosen (A's evidence), B's other change on top
    assert saved(assessment) == (
        {first.pk: 0, second.pk: 1},
        {competency.pk: "หลักฐานจากแท็บ A"},
    )


def test_a_conflict_without_a_choice_for_every_item_writes_nothing(two_tabs):
    assessment, client, stale_b, (first, _second, _third, competency) = two_tabs
    conflict = client.post(self_url(assessment), stale_b)
    before = saved(assessment)

    response = client.post(
        self_url(assessment), {**hidden_fields(conflict), f"pick_r{first.pk}": "mine"}
    )

    assert response.status_code == 409
    html = response.content.decode()
    assert CHOOSE_ALL in html
    # Asked again: both items are still offered, the answered one with its answer
    assert f'name="pick_r{first.pk}"' in html and f'name="pick_c{competency.pk}"' in html
    assert f'id="pick-r{first.pk}-mine" value="mine" required checked' in html
    assert f'id="pick-c{competency.pk}-mine" value="mine" required>' in html
    assert saved(assessment) == before


def test_a_resolution_overtaken_by_a_third_save_asks_again(two_tabs):
    assessment, client, stale_b, (first, _second, third, competency) = two_tabs
    conflict = client.post(self_url(assessment), stale_b)
    answer = {
        **hidden_fields(conflict),
        f"pick_r{first.pk}": "mine",
        f"pick_c{competency.pk}": "mine",
    }
    # Meanwhile tab A saves again (the first indicator back to 1 was already so: change the third)
    tab_a = open_tab(client, self_url(assessment))
    client.post(self_url(assessment), {**tab_a, f"r{third.pk}": "1", "action": "save"})
    before = saved(assessment)

    response = client.post(self_url(assessment), answer)

    assert response.status_code == 409
    assert saved(assessment) == before


def test_the_employees_save_never_makes_the_supervisors_page_stale(client, round_open):
    assessment = round_open.somchai_assessment
    first = all_indicators(assessment.cycle.framework)[0]
    client.force_login(round_open.head.user)
    rate_url = reverse("assessments:rate", args=[assessment.pk])
    supervisor_tab = open_tab(client, rate_url)
    services.save_ratings(
        assessment=assessment, role=Role.SELF, by=round_open.somchai.user, values={first.pk: 1}
    )
    response = client.post(rate_url, {**supervisor_tab, f"r{first.pk}": "0", "action": "save"})
    assert response.status_code == 302
    assert Rating.objects.get(assessment=assessment, role=Role.SUPERVISOR).value == 0


# ---------------------------------------------------------------- two real concurrent saves

on_postgresql = pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
    reason="two connections saving at once need PostgreSQL's row locks",
)


def waiting_on_a_lock():
    with connections["default"].cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity"
            " WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0]


def in_thread(target):
    outcome = {}

    def run():
        try:
            outcome["result"] = target()
        except Exception as error:  # the test reads what happened
            outcome["error"] = error
        finally:
            close_old_connections()
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread, outcome


def save_holding_the_transaction(holding, release, **kwargs):
    """save_ratings inside a transaction that stays open (`holding`) until `release`."""

    def target():
        with transaction.atomic():
            services.save_ratings(**kwargs)
            holding.set()
            release.wait(10)

    return target


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_two_saves_of_the_same_track_at_once_one_wins_whole(round_open):
    assessment = Assessment.objects.get(pk=round_open.somchai_assessment.pk)
    indicators = all_indicators(assessment.cycle.framework)[:6]
    read = assessment.self_version
    user = round_open.somchai.user
    holding, release = threading.Event(), threading.Event()
    first, first_out = in_thread(
        save_holding_the_transaction(
            holding,
            release,
            assessment=assessment,
            role=Role.SELF,
            by=user,
            values={i.pk: 1 for i in indicators},
            expected_version=read,
        )
    )
    assert holding.wait(10)
    second, second_out = in_thread(
        lambda: services.save_ratings(
            assessment=assessment,
            role=Role.SELF,
            by=user,
            values={i.pk: 0 for i in indicators},
            expected_version=read,
        )
    )
    _wait_for(lambda: waiting_on_a_lock() >= 1)  # the second save waits for the first's lock
    release.set()
    first.join(10)
    second.join(10)

    assert "error" not in first_out
    assert isinstance(second_out.get("error"), services.StaleAssessment)
    values = Rating.objects.filter(assessment=assessment, role=Role.SELF).values_list(
        "value", flat=True
    )
    assert sorted(values) == [1] * 6  # the first save, whole; nothing of the second
    assert Assessment.objects.get(pk=assessment.pk).self_version == read + 1


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_two_saves_of_different_tracks_at_once_both_land(round_open):
    assessment = Assessment.objects.get(pk=round_open.somchai_assessment.pk)
    indicators = all_indicators(assessment.cycle.framework)[:6]
    holding, release = threading.Event(), threading.Event()
    first, first_out = in_thread(
        save_holding_the_transaction(
            holding,
            release,
            assessment=assessment,
            role=Role.SELF,
            by=round_open.somchai.user,
            values={i.pk: 1 for i in indicators},
            expected_version=assessment.self_version,
        )
    )
    assert holding.wait(10)
    second, second_out = in_thread(
        lambda: services.save_ratings(
            assessment=assessment,
            role=Role.SUPERVISOR,
            by=round_open.head.user,
            values={i.pk: 0 for i in indicators},
            expected_version=assessment.supervisor_version,
        )
    )
    _wait_for(lambda: waiting_on_a_lock() >= 1 or not second.is_alive())
    release.set()
    first.join(10)
    second.join(10)

    assert "error" not in first_out and "error" not in second_out
    pairs = Rating.objects.filter(assessment=assessment).values_list("role", "value")
    assert sorted(pairs) == [("self", 1)] * 6 + [("supervisor", 0)] * 6


def _wait_for(condition, seconds=10):
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def test_work_results_typed_on_both_sides_are_a_conflict_too(client, round_open):
    assessment = round_open.somchai_assessment
    client.force_login(round_open.head.user)
    url = reverse("assessments:rate", args=[assessment.pk])
    tab_a, tab_b = open_tab(client, url), open_tab(client, url)
    assert client.post(url, {**tab_a, "work_results": "80", "action": "save"}).status_code == 302

    response = client.post(url, {**tab_b, "work_results": "92.5", "action": "save"})

    assert response.status_code == 409
    html = response.content.decode()
    assert 'name="pick_w"' in html and "80.00" in html and "92.50" in html
    answer = {**hidden_fields(response), "pick_w": "mine"}
    assert client.post(url, answer).status_code == 302
    assert str(Assessment.objects.get(pk=assessment.pk).work_results) == "92.50"


def test_a_page_without_its_snapshot_treats_every_difference_as_a_conflict(two_tabs):
    assessment, client, stale_b, (first, second, _third, competency) = two_tabs
    del stale_b["base"]
    before = saved(assessment)

    html = client.post(self_url(assessment), stale_b).content.decode()

    # Nothing can be told apart without the snapshot: every difference must be chosen
    for key in (f"r{first.pk}", f"r{second.pk}", f"c{competency.pk}"):
        assert f'name="pick_{key}"' in html
    assert saved(assessment) == before


def test_a_stale_page_that_matches_what_is_saved_goes_through(client, round_open):
    """A background save of this very page got there first: nothing differs, nothing to ask."""
    assessment = round_open.somchai_assessment
    client.force_login(round_open.somchai.user)
    first = all_indicators(assessment.cycle.framework)[0]
    tab = open_tab(client, self_url(assessment))
    client.post(self_url(assessment), {**tab, f"r{first.pk}": "1", "action": "save"})

    response = client.post(self_url(assessment), {**tab, f"r{first.pk}": "1", "action": "save"})

    assert response.status_code == 302
    assert saved(assessment) == ({first.pk: 1}, {})
