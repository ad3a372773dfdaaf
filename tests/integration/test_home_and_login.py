from django.urls import reverse

from tests.factories import PASSWORD


def test_login_page_is_thai(client, db):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="th">' in html
    assert "เข้าสู่ระบบ" in html


def test_login_with_the_right_password_reaches_home(client, somchai):
    response = client.post(
        reverse("login"), {"username": "somchai", "password": PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("home")
    assert "สมชาย" in response.content.decode()


def test_a_wrong_password_is_refused_in_thai(client, somchai):
    response = client.post(reverse("login"), {"username": "somchai", "password": "wrong"})
    assert response.status_code == 200
    assert "ชื่อผู้ใช้" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_home_needs_a_login(client, db):
    response = client.get(reverse("home"))
    assert response.status_code == 302


def test_home_shows_the_buddhist_era_date(somchai_client, seed_framework):
    from django.utils import timezone

    html = somchai_client.get(reverse("home")).content.decode()
    be_year = str(timezone.localdate().year + 543)
    thai_year = be_year.translate(str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙"))
    assert thai_year in html


def test_english_switch(somchai_client, seed_framework):
    response = somchai_client.post(
        reverse("set_language"), {"language": "en", "next": reverse("framework:detail")}
    )
    assert response.status_code == 302
    html = somchai_client.get(reverse("framework:detail")).content.decode()
    assert '<html lang="en">' in html
    assert "Expected levels by position class" in html


def test_pages_send_a_content_security_policy(client, db):
    response = client.get(reverse("login"))
    assert "script-src 'self'" in response["Content-Security-Policy"]
