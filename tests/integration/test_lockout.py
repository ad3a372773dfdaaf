"""Login lockout with django-axes (issue 10, point 1): five failed logins of one account from
one address lock that account there for 15 minutes, before any password is checked; HR ends
the lock from the person's page. The suite runs with django-axes off (settings_test.py): these
tests switch it on."""

import html
from datetime import timedelta

import pytest
from django.contrib.auth.backends import ModelBackend
from django.test import Client
from django.urls import reverse

from tests.factories import PASSWORD, EmployeeFactory

ADDRESS = "203.0.113.7"


@pytest.fixture(autouse=True)
def axes_on(settings):
    settings.AXES_ENABLED = True


@pytest.fixture
def clerk(seed_framework):
    return EmployeeFactory(user__username="clerk")


def log_in(client, password, address=ADDRESS):
    return client.post(
        reverse("login"),
        {"username": "clerk", "password": password},
        REMOTE_ADDR=address,
    )


def test_the_settings_asked_for(settings):
    assert settings.AXES_FAILURE_LIMIT == 5
    assert timedelta(minutes=15) == settings.AXES_COOLOFF_TIME
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]
    assert settings.AUTHENTICATION_BACKENDS[0] == "axes.backends.AxesStandaloneBackend"


def test_five_failures_lock_the_account_before_its_password_is_checked(
    clerk, hr_client, monkeypatch
):
    attacker = Client()
    for _ in range(4):
        response = log_in(attacker, "guess")
        assert response.status_code == 200  # the login page again
    response = log_in(attacker, "guess")  # the fifth
    assert response.status_code == 429

    checked = []
    original = ModelBackend.authenticate

    def spy(self, request, username=None, password=None, **kwargs):
        checked.append(username)
        return original(self, request, username=username, password=password, **kwargs)

    monkeypatch.setattr(ModelBackend, "authenticate", spy)
    response = log_in(attacker, PASSWORD)  # the right password, too late
    assert response.status_code == 429
    assert checked == []  # refused before the password hash was computed
    assert "_auth_user_id" not in attacker.session
    text = html.unescape(response.content.decode())
    assert '<html lang="th">' in text
    assert "ถูกล็อก" in text or "locked" in text

    # the same account from another address is not locked
    assert log_in(Client(), PASSWORD, address="198.51.100.9").status_code == 302

    # HR ends the lock from the person's page
    edit = html.unescape(hr_client.get(reverse("people:edit", args=[clerk.pk])).content.decode())
    assert reverse("people:unlock", args=[clerk.pk]) in edit
    response = hr_client.post(reverse("people:unlock", args=[clerk.pk]))
    assert response.status_code == 302
    assert log_in(attacker, PASSWORD).status_code == 302
    assert "_auth_user_id" in attacker.session


def test_unlocking_is_for_hr_only(clerk, somchai_client):
    response = somchai_client.post(reverse("people:unlock", args=[clerk.pk]))
    assert response.status_code == 403


def test_unlock_is_a_post(clerk, hr_client):
    assert hr_client.get(reverse("people:unlock", args=[clerk.pk])).status_code == 405


def test_force_login_still_works_with_axes_on(clerk):
    client = Client()
    client.force_login(clerk.user)
    assert client.get(reverse("home")).status_code == 200
