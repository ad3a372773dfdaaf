"""Autosave of the rating pages (issue 12, point 1), the server's side: a background save is
an ordinary draft save, answered in JSON with the page's new version and snapshot; someone
else's save of the same track first is a 409 that writes nothing; the history does not list
every click. The browser's side is in tests/e2e/test_autosave_in_browser.py."""

from datetime import timedelta
from html.parser import HTMLParser

from django.urls import reverse
from django.utils import timezone

from assessments.models import AssessmentEvent, Rating, Role
from tests.factories import all_indicators


class Hidden(HTMLParser):
    def __init__(self):
        super().__init__()
        self.fields = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "input" and attrs.get("type") == "hidden" and attrs.get("name") != "next":
            self.fields.setdefault(attrs["name"], attrs.get("value", ""))


def page_fields(client, url):
    parser = Hidden()
    parser.feed(client.get(url).content.decode())
    return {key: parser.fields[key] for key in ("csrfmiddlewaretoken", "version", "base")}


def urls(assessment):
    return (
        reverse("assessments:self", args=[assessment.pk]),
        reverse("assessments:self_autosave", args=[assessment.pk]),
    )


def test_a_background_save_is_a_draft_save_and_gives_the_new_version(client, round_open):
    assessment = round_open.somchai_assessment
    client.force_login(round_open.somchai.user)
    page, autosave = urls(assessment)
    fields = page_fields(client, page)
    first, second = all_indicators(assessment.cycle.framework)[:2]

    answer = client.post(autosave, {**fields, f"r{first.pk}": "1"})

    assert answer.status_code == 200
    state = answer.json()
    assert state["saved"] is True and state["version"] == int(fields["version"]) + 1
    assert state["message"].startswith("บันทึกแล้ว เวลา ")
    # The next background save goes on from the answer, not from the page as first read
    again = client.post(
        autosave,
        {**fields, "version": state["version"], "base": state["base"], f"r{second.pk}": "0"},
    )
    assert again.json()["saved"] is True
    saved = Rating.objects.filter(assessment=assessment, role=Role.SELF)
    assert sorted(saved.values_list("indicator_id", "value")) == sorted(
        [(first.pk, 1), (second.pk, 0)]
    )


def test_a_background_save_on_top_of_another_save_writes_nothing(client, round_open):
    assessment = round_open.somchai_assessment
    client.force_login(round_open.somchai.user)
    page, autosave = urls(assessment)
    fields = page_fields(client, page)
    first = all_indicators(assessment.cycle.framework)[0]
    client.post(autosave, {**fields, f"r{first.pk}": "1"})  # another tab

    answer = client.post(autosave, {**fields, f"r{first.pk}": "0"})

    assert answer.status_code == 409
    assert answer.json()["conflict"] is True and "บันทึกร่าง" in answer.json()["message"]
    assert Rating.objects.get(assessment=assessment, role=Role.SELF).value == 1


def test_many_background_saves_are_one_line_of_history(client, round_open):
    assessment = round_open.somchai_assessment
    client.force_login(round_open.somchai.user)
    page, autosave = urls(assessment)
    fields = page_fields(client, page)
    for indicator in all_indicators(assessment.cycle.framework)[:5]:
        state = client.post(autosave, {**fields, f"r{indicator.pk}": "1"}).json()
        fields.update(version=state["version"], base=state["base"])
    saves = AssessmentEvent.objects.filter(assessment=assessment, action="saved")
    assert saves.count() == 1
    assert Rating.objects.filter(assessment=assessment, role=Role.SELF).count() == 5


def test_a_bad_value_is_a_400_in_thai(client, round_open):
    assessment = round_open.somchai_assessment
    client.force_login(round_open.somchai.user)
    page, autosave = urls(assessment)
    first = all_indicators(assessment.cycle.framework)[0]
    answer = client.post(autosave, {**page_fields(client, page), f"r{first.pk}": "9"})
    assert answer.status_code == 400
    assert "ไม่ใช่ค่า" in answer.json()["message"] or "มาตร" in answer.json()["message"]
    assert not Rating.objects.exists()


def test_the_page_carries_the_autosave_address_and_the_counters(client, round_open):
    assessment = round_open.somchai_assessment
    client.force_login(round_open.somchai.user)
    page, autosave = urls(assessment)
    html = client.get(page).content.decode()
    assert f'data-autosave-url="{autosave}"' in html
    assert "/static/js/rating.js" in html
    assert 'class="rated-count">๐</strong>/๖๖' in html
    assert "ข้อถัดไปที่ยังไม่ประเมิน" in html


def test_the_one_line_of_history_shows_the_latest_background_save(client, round_open):
    assessment = round_open.somchai_assessment
    client.force_login(round_open.somchai.user)
    page, autosave = urls(assessment)
    fields = page_fields(client, page)
    first, second = all_indicators(assessment.cycle.framework)[:2]
    state = client.post(autosave, {**fields, f"r{first.pk}": "1"}).json()
    line = AssessmentEvent.objects.get(assessment=assessment, action="saved")
    AssessmentEvent.objects.filter(pk=line.pk).update(at=line.at - timedelta(minutes=10))

    fields.update(version=state["version"], base=state["base"])
    client.post(autosave, {**fields, f"r{first.pk}": "1", f"r{second.pk}": "1"})

    line = AssessmentEvent.objects.get(assessment=assessment, action="saved")
    assert timezone.now() - line.at < timedelta(minutes=1)  # when the latest save was made
    assert line.detail == "2"  # and how many ratings it held
