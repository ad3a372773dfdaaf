from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from framework.models import Indicator, Level


def test_anonymous_is_sent_to_login(client, seed_framework):
    response = client.get(reverse("framework:detail"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_staff_read_every_level_and_indicator(somchai_client, seed_framework):
    response = somchai_client.get(reverse("framework:detail"))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="th">' in html
    for level in Level.objects.all():
        assert level.title in html
    for indicator in Indicator.objects.all():
        assert indicator.text in html
    # Thai numerals as in the seed
    assert "ระดับ ๕" in html
    assert "๔.</span>" in html


def test_the_page_shows_expected_levels_by_position_class(somchai_client, seed_framework):
    html = somchai_client.get(reverse("framework:detail")).content.decode()
    assert "บริหารท้องถิ่น ระดับสูง" in html
    assert 'id="expected-levels"' in html


def test_queries_do_not_grow_with_the_framework(somchai_client, seed_framework):
    url = reverse("framework:detail")
    somchai_client.get(url)  # warm the session and translations
    with CaptureQueriesContext(connection) as small:
        somchai_client.get(url)
    for level in Level.objects.all():
        Indicator.objects.create(level=level, number=99, text="พฤติกรรมเพิ่มเติม")
    with CaptureQueriesContext(connection) as large:
        response = somchai_client.get(url)
    assert response.content.decode().count("พฤติกรรมเพิ่มเติม") == 20
    assert len(large) == len(small)
    assert len(large) <= 14  # + the open round's version, + "My team" in the menu


def test_without_a_framework_the_page_says_so(somchai_client, no_framework):
    response = somchai_client.get(reverse("framework:detail"))
    assert response.status_code == 200
    assert "ยังไม่มี" in response.content.decode()
