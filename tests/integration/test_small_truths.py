"""Small truths of the pages (issue 12, point 9): "My team" only for people who rate or review
someone; /framework/ shows the version the open round rates with, and points to a newer one."""

from django.urls import reverse

from framework import services

ORG = "องค์การบริหารส่วนตำบลคลองขวาง"
TEAM_LINK = 'href="/assessments/team/"'


def home_html(client, user):
    client.force_login(user)
    return client.get(reverse("home")).content.decode()


def test_my_team_is_shown_only_to_who_rates_or_reviews(client, round_open):
    assert TEAM_LINK in home_html(client, round_open.head.user)  # rates somchai and malee
    assert TEAM_LINK in home_html(client, round_open.palad.user)  # reviews them
    assert TEAM_LINK not in home_html(client, round_open.somchai.user)
    assert TEAM_LINK not in home_html(client, round_open.hr)  # HR, nobody to rate


def test_the_framework_page_shows_the_version_the_open_round_uses(client, round_open):
    assert round_open.cycle.framework.version == 1
    draft = services.new_version(organisation=ORG, by=round_open.hr)
    services.publish(framework=draft, by=round_open.hr)
    client.force_login(round_open.somchai.user)

    html = client.get(reverse("framework:detail")).content.decode()

    assert "ใช้กรอบสมรรถนะฉบับที่ ๑ ส่วนฉบับที่ ๒" in html
    assert f'href="/framework/?version={draft.version}"' in html

    newer = client.get(reverse("framework:detail"), {"version": draft.version}).content.decode()
    assert "ฉบับนี้ไม่ใช่ฉบับที่ใช้ประเมินอยู่ในขณะนี้ (ฉบับที่ใช้คือฉบับที่ ๑)" in newer


def test_a_draft_is_not_shown_to_everyone(client, round_open):
    draft = services.new_version(organisation=ORG, by=round_open.hr)
    client.force_login(round_open.somchai.user)
    html = client.get(reverse("framework:detail"), {"version": draft.version}).content.decode()
    assert "ไม่ใช่ฉบับที่ใช้ประเมินอยู่" not in html  # the version in use, as without asking
