"""Login lockout with django-axes (issue 10, point 1): five failed logins of one account from
one address lock that account there for 15 minutes, before any password is checked; HR ends
the lock from the person's page. The suite runs with django-axes off (settings_test.py): these
tests switch it on."""

import html
from datetime import timedelta

import pytest
from axes.backends import AxesStandaloneBackend
from django.contrib.auth.backends import ModelBackend
from django.test import Client
from django.urls import reverse
from django.utils.module_loading import import_string

from assessments.models import AuditEntry
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
    first = import_string(settings.AUTHENTICATION_BACKENDS[0])
    assert issubclass(first, AxesStandaloneBackend)


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


def test_a_lockout_is_recorded_once_however_often_it_is_tried(clerk, hr_user, monkeypatch):
    from types import SimpleNamespace

    from django.utils import timezone

    from assessments.models import AuditEntry
    from assessments.services import people as staff
    from competency_portal import accounts

    def lockouts():
        return AuditEntry.objects.filter(action=AuditEntry.Action.LOCKED_OUT).count()

    attacker = Client()
    for _ in range(9):  # the fifth locks; four more tries while locked
        log_in(attacker, "guess")
    assert lockouts() == 1

    # HR ends the lock: the next lock is a new one
    staff.unlock_login(employee=clerk, by=hr_user)
    for _ in range(6):
        log_in(attacker, "guess")
    assert lockouts() == 2

    # a lock signalled after the cool-off of the last entry is a new one too
    later = timezone.now() + timedelta(minutes=16)
    monkeypatch.setattr(accounts, "timezone", SimpleNamespace(now=lambda: later))
    accounts.record_lockout("axes", username="clerk", ip_address=ADDRESS)
    assert lockouts() == 3


def test_behind_a_proxy_each_client_is_locked_out_alone(clerk, settings):
    """Behind nginx every request comes from 127.0.0.1: the lockout must still tell clients
    apart by the address nginx forwards, or one guesser would lock everybody out."""
    settings.PORTAL_PROXY_COUNT = 1

    def through_proxy(client, password, address):
        return client.post(
            reverse("login"),
            {"username": "clerk", "password": password},
            REMOTE_ADDR="127.0.0.1",
            HTTP_X_FORWARDED_FOR=address,
        )

    attacker = Client()
    for _ in range(5):
        response = through_proxy(attacker, "guess", ADDRESS)
    assert response.status_code == 429
    assert through_proxy(Client(), PASSWORD, "198.51.100.20").status_code == 302
    # A forged header does not get the attacker round the lock either
    forged = through_proxy(attacker, PASSWORD, f"198.51.100.99, {ADDRESS}")
    assert forged.status_code == 429


def test_attempts_refused_during_a_lock_are_not_written_again(clerk):
    attacker = Client()
    for _ in range(5):
        log_in(attacker, "guess")
    for _ in range(10):
        assert log_in(attacker, "guess").status_code == 429
    actions = AuditEntry.objects.filter(target="clerk").values_list("action", flat=True)
    assert sorted(actions) == ["locked_out"] + ["login_failed"] * 5
