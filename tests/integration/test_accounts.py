"""Accounts (issue 10, point 1): HR sets passwords of ordinary staff only, a password set by HR
must be changed at the next login, idle sessions end, and the password reset never claims a
mail was sent when the mail server refused it."""

import html
import logging
import smtplib

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.mail.backends.base import BaseEmailBackend
from django.test import Client
from django.urls import reverse

from assessments.services import people as staff
from framework.permissions import HR_GROUP
from tests.conftest import assert_message
from tests.factories import PASSWORD, EmployeeFactory, UserFactory

NEW_PASSWORD = "khlong-khwang-2569-secret"
OWN_PASSWORD = "my-own-secret-password-2569"


def page(response):
    return html.unescape(response.content.decode())


def hash_of(user):
    return get_user_model().objects.get(pk=user.pk).password


@pytest.fixture
def clerk(seed_framework):
    return EmployeeFactory(user__username="clerk", user__email="clerk@example.org")


@pytest.fixture(params=["superuser", "staff", "hr"])
def privileged(request, seed_framework):
    """A person whose login is a superuser, a Django admin (is_staff) or in HR."""
    employee = EmployeeFactory(user__username=f"boss-{request.param}")
    user = employee.user
    if request.param == "superuser":
        user.is_superuser = True
    elif request.param == "staff":
        user.is_staff = True
    else:
        user.groups.add(Group.objects.get_or_create(name=HR_GROUP)[0])
    user.save()
    return employee


# ---------------------------------------------------------------- HR sets passwords


def test_hr_cannot_set_an_admin_or_hr_password_through_the_page(hr_client, privileged):
    before = hash_of(privileged.user)
    url = reverse("people:password", args=[privileged.pk])

    shown = hr_client.get(url)
    assert shown.status_code == 403
    assert 'name="password1"' not in shown.content.decode()  # no form offered
    assert_message(page(shown), "Django admin", "Django admin")

    response = hr_client.post(url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 403
    assert hash_of(privileged.user) == before
    assert not Client().login(username=privileged.user.username, password=NEW_PASSWORD)
    privileged.refresh_from_db()
    assert not privileged.must_change_password

    edit = page(hr_client.get(reverse("people:edit", args=[privileged.pk])))
    assert reverse("people:password", args=[privileged.pk]) not in edit


def test_the_service_refuses_too(privileged, hr_user):
    before = hash_of(privileged.user)
    with pytest.raises(ValidationError):
        staff.set_password(employee=privileged, password=NEW_PASSWORD, by=hr_user)
    assert hash_of(privileged.user) == before


def test_a_password_set_by_hr_is_logged_and_must_be_changed(hr_client, hr_user, clerk, caplog):
    url = reverse("people:password", args=[clerk.pk])
    with caplog.at_level(logging.INFO, logger="assessments.services.people"):
        response = hr_client.post(url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 302
    clerk.refresh_from_db()
    assert clerk.must_change_password
    assert any(
        "hr_officer" in record.getMessage() and clerk.employee_code in record.getMessage()
        for record in caplog.records
    )

    person = Client()
    response = person.post(
        reverse("login"), {"username": "clerk", "password": NEW_PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("password_change")
    # every page leads to the password change, except logging out and static files
    for name in ("home", "framework:detail"):
        response = person.get(reverse(name))
        assert response.status_code == 302
        assert response["Location"] == reverse("password_change")
    assert person.get(reverse("password_change")).status_code == 200

    response = person.post(
        reverse("password_change"),
        {
            "old_password": NEW_PASSWORD,
            "new_password1": OWN_PASSWORD,
            "new_password2": OWN_PASSWORD,
        },
    )
    assert response.status_code == 302
    clerk.refresh_from_db()
    assert not clerk.must_change_password
    assert person.get(reverse("home")).status_code == 200


def test_logging_out_is_allowed_before_the_change(clerk, hr_user):
    staff.set_password(employee=clerk, password=NEW_PASSWORD, by=hr_user)
    person = Client()
    person.force_login(clerk.user)
    response = person.post(reverse("logout"))
    assert response.status_code == 302
    assert response["Location"] != reverse("password_change")


# ---------------------------------------------------------------- idle sessions


def test_idle_sessions_end_after_the_configured_minutes():
    assert settings.SESSION_COOKIE_AGE == settings.PORTAL_SESSION_IDLE_MINUTES * 60


def stored_expiry(client):
    from django.contrib.sessions.models import Session

    return Session.objects.get(session_key=client.session.session_key).expire_date


def test_a_session_in_use_moves_its_expiry_on_once_a_minute(client, somchai, seed_framework):
    """Each request of the first minute writes nothing; the first one after it moves the
    expiry to IDLE minutes from now (so a session ends at most IDLE minutes after its last
    request, and at least IDLE minus one)."""
    import time
    from datetime import timedelta

    from django.contrib.sessions.models import Session
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from competency_portal.middleware import IdleSessionMiddleware

    client.force_login(somchai)
    page = reverse("framework:detail")
    client.get(page)  # the first request of the session marks when it was refreshed
    before = stored_expiry(client)
    with CaptureQueriesContext(connection) as queries:
        client.get(page)
    assert not [q for q in queries if q["sql"].startswith("UPDATE")]
    assert stored_expiry(client) == before
    session = client.session  # as if the last refresh were 61 seconds ago
    session[IdleSessionMiddleware.KEY] = int(time.time()) - 61
    session.save()
    Session.objects.filter(session_key=session.session_key).update(
        expire_date=timezone.now() + timedelta(minutes=5)  # and its row said so
    )
    client.get(page)
    idle = timedelta(minutes=settings.PORTAL_SESSION_IDLE_MINUTES)
    assert abs(stored_expiry(client) - (timezone.now() + idle)) < timedelta(seconds=30)


@pytest.mark.parametrize("raw", ["0", "-5", "half an hour", "1.5"])
def test_a_bad_idle_setting_stops_the_start(monkeypatch, raw):
    from django.core.exceptions import ImproperlyConfigured

    from competency_portal.settings import env_minutes

    monkeypatch.setenv("PORTAL_SESSION_IDLE_MINUTES", raw)
    with pytest.raises(ImproperlyConfigured):
        env_minutes("PORTAL_SESSION_IDLE_MINUTES", 30)


def test_the_idle_setting_is_read(monkeypatch):
    from competency_portal.settings import env_minutes

    monkeypatch.setenv("PORTAL_SESSION_IDLE_MINUTES", "45")
    assert env_minutes("PORTAL_SESSION_IDLE_MINUTES", 30) == 45
    monkeypatch.delenv("PORTAL_SESSION_IDLE_MINUTES")
    assert env_minutes("PORTAL_SESSION_IDLE_MINUTES", 30) == 30


def test_an_expired_session_logs_in_again_and_keeps_the_page(client, somchai, seed_framework):
    client.force_login(somchai)
    client.session.set_expiry(-1)  # as if idle too long
    session = client.session
    session.set_expiry(-1)
    session.save()
    target = reverse("framework:detail")
    response = client.get(target)
    assert response.status_code == 302
    assert f"next={target}" in response["Location"].replace("%2F", "/")
    response = client.post(
        response["Location"],
        {"username": "somchai", "password": PASSWORD, "next": target},
    )
    assert response["Location"] == target
    assert client.get(target).status_code == 200


# ---------------------------------------------------------------- password reset


class RefusingBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise smtplib.SMTPConnectError(421, "down")


def test_the_reset_page_is_thai(client, db):
    response = client.get(reverse("password_reset"))
    assert response.status_code == 200
    assert '<html lang="th">' in response.content.decode()


def test_a_reset_mail_is_sent(client, clerk, mailoutbox):
    response = client.post(reverse("password_reset"), {"email": "clerk@example.org"})
    assert response.status_code == 302
    assert response["Location"] == reverse("password_reset_done")
    assert len(mailoutbox) == 1


def test_a_refused_reset_mail_is_not_claimed_sent(client, clerk, settings, caplog):
    settings.EMAIL_BACKEND = f"{__name__}.RefusingBackend"
    with caplog.at_level(logging.ERROR):
        response = client.post(reverse("password_reset"), {"email": "clerk@example.org"})
    assert response.status_code == 200
    assert_message(page(response), "ส่งอีเมล", "could not be sent")
    assert any(record.exc_info for record in caplog.records)


def test_a_password_chosen_through_the_reset_link_ends_the_forced_change(
    client, clerk, hr_user, mailoutbox
):
    import re

    staff.set_password(employee=clerk, password=NEW_PASSWORD, by=hr_user)
    client.post(reverse("password_reset"), {"email": "clerk@example.org"})
    link = re.search(r"https?://[^/\s]+(/accounts/reset/\S+)", mailoutbox[0].body).group(1)
    form_url = client.get(link)["Location"]
    response = client.post(form_url, {"new_password1": OWN_PASSWORD, "new_password2": OWN_PASSWORD})
    assert response.status_code == 302
    clerk.refresh_from_db()
    assert not clerk.must_change_password
    assert UserFactory._meta.model.objects.get(pk=clerk.user.pk).check_password(OWN_PASSWORD)
