"""Two-factor sign-in (issue 10, point 1): HR members and superusers may turn on a TOTP
authenticator app (mandatory with PORTAL_HR_2FA=1); after the password, whoever has a device
types its code before anything opens; wrong codes are refused, slowed down, counted toward the
lockout and recorded.

The codes are computed here, by RFC 6238 over the device's key, not by django-otp."""

import base64
import hashlib
import hmac
import html
import re
import struct
import time
from datetime import timedelta
from urllib.parse import parse_qs, urlparse

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from assessments.models import AuditEntry
from competency_portal import twofactor
from framework.permissions import HR_GROUP
from tests.conftest import assert_message
from tests.factories import PASSWORD, EmployeeFactory, UserFactory

ADDRESS = "203.0.113.7"
SETUP = reverse("two_factor:setup")
CODE = reverse("two_factor:code")


def totp(key, at=None, step=30, digits=6):
    """RFC 6238: HMAC-SHA1 over the number of 30-second steps, dynamic truncation (RFC 4226)."""
    counter = int((time.time() if at is None else at) // step)
    mac = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = mac[-1] & 0x0F
    number = struct.unpack(">I", mac[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{number % 10**digits:0{digits}d}"


def test_the_oracle_gives_the_rfc_6238_test_vectors():
    key = b"12345678901234567890"
    assert totp(key, at=59, digits=8) == "94287082"
    assert totp(key, at=1111111109, digits=8) == "07081804"
    assert totp(key, at=2000000000, digits=8) == "69279037"


def code_for(device, later=0):
    """The code the device's app shows now (or `later` steps on)."""
    return totp(device.bin_key, at=time.time() + 30 * later)


def wrong_code(device):
    """A code that is none of those the device accepts around now."""
    near = {code_for(device, later) for later in (-2, -1, 0, 1, 2)}
    return next(c for c in ("000000", "111111", "222222", "333333") if c not in near)


def page(response):
    return html.unescape(response.content.decode())


def entries(action):
    return list(AuditEntry.objects.filter(action=action))


def lands_on(response, url):
    return response.status_code == 302 and response["Location"].split("?")[0] == url


@pytest.fixture(autouse=True)
def no_waiting(settings):
    """django-otp's wait after a wrong code is tested on its own (test_wrong_codes_...)."""
    settings.OTP_TOTP_THROTTLE_FACTOR = 0


@pytest.fixture
def hr(db):
    return UserFactory(username="hr_officer", hr=True)


@pytest.fixture
def admin(db):
    return UserFactory(username="root", is_superuser=True, is_staff=True)


@pytest.fixture
def clerk(seed_framework):
    return EmployeeFactory(user__username="clerk").user


def device_of(user, confirmed=True):
    return TOTPDevice.objects.create(user=user, name="phone", confirmed=confirmed)


def signed_in(user):
    """A browser past the password step (the code, if owed, still to come)."""
    client = Client()
    client.force_login(user)
    return client


# ---------------------------------------------------------------- setting it up


def test_the_setup_page_confirms_the_device_only_with_the_right_code(hr):
    client = signed_in(hr)
    response = client.get(SETUP)
    assert response.status_code == 200
    device = TOTPDevice.objects.get(user=hr)
    assert not device.confirmed

    text = page(response)
    secret = base64.b32encode(device.bin_key).decode()
    assert " ".join(secret[i : i + 4] for i in range(0, 32, 4)) in text  # grouped for typing
    # an inline SVG QR code, drawn by the portal, with nothing the CSP would block in it
    svg = re.search(r"<svg\b.*?</svg>", text, re.S).group(0)
    assert "<path" in svg and 'role="img"' in svg
    assert "style=" not in svg and "<script" not in svg.lower()
    assert "otpauth" not in svg and "hr_officer" not in svg  # encoded in the QR, not markup
    assert "<script>" not in response.content.decode()  # no inline script on the page
    # the device's address names the portal and the account
    uri = urlparse(device.config_url)
    assert (uri.scheme, uri.netloc) == ("otpauth", "totp")
    assert parse_qs(uri.query)["secret"] == [secret]
    assert parse_qs(uri.query)["issuer"] == ["Khlong Khwang Competency Portal"]

    # reloading keeps the key the app has scanned
    client.get(SETUP)
    assert list(TOTPDevice.objects.filter(user=hr).values_list("key", flat=True)) == [device.key]

    response = client.post(SETUP, {"token": wrong_code(device)})
    assert response.status_code == 200
    assert_message(page(response), "รหัสไม่ถูกต้อง", "not right")
    device.refresh_from_db()
    assert not device.confirmed
    assert entries(twofactor.TWO_FACTOR_ENABLED) == []

    response = client.post(SETUP, {"token": "12345"})  # not six digits
    assert_message(page(response), "ตัวเลข 6 หลัก", "six digits")

    response = client.post(SETUP, {"token": code_for(device)})
    assert lands_on(response, SETUP)
    device.refresh_from_db()
    assert device.confirmed
    [entry] = entries(twofactor.TWO_FACTOR_ENABLED)
    assert (entry.actor, entry.target) == (hr, "hr_officer")
    # this session has passed the second step already
    assert client.get(reverse("home")).status_code == 200
    # the page now says it is on and offers to turn it off
    text = page(client.get(SETUP))
    assert reverse("two_factor:disable") in text
    assert "<svg" not in text


def test_a_code_with_a_space_is_taken_as_apps_show_it(hr):
    client = signed_in(hr)
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=hr)
    code = code_for(device)
    response = client.post(SETUP, {"token": f"{code[:3]} {code[3:]}"})
    assert lands_on(response, SETUP)
    assert TOTPDevice.objects.get(user=hr).confirmed


def test_staff_cannot_open_the_setup_page(clerk):
    client = signed_in(clerk)
    assert client.get(SETUP).status_code == 403
    assert client.post(SETUP, {"token": "123456"}).status_code == 403
    assert client.post(reverse("two_factor:disable"), {"token": "123456"}).status_code == 403
    assert not TOTPDevice.objects.filter(user=clerk).exists()


def test_a_visitor_is_sent_to_log_in(db):
    for url in (SETUP, CODE):
        response = Client().get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


# ---------------------------------------------------------------- logging in


def test_a_login_with_a_device_asks_for_the_code_before_anything_opens(hr):
    device = device_of(hr)
    client = Client()
    response = client.post(
        reverse("login"),
        {"username": "hr_officer", "password": PASSWORD, "next": reverse("people:list")},
    )
    response = client.get(response["Location"])
    assert lands_on(response, CODE)
    for url in (reverse("home"), reverse("people:list"), SETUP, "/admin/", reverse("login")):
        assert lands_on(client.get(url), CODE), url
    code_page = client.get(response["Location"])
    assert code_page.status_code == 200
    assert '<html lang="th">' in code_page.content.decode()

    response = client.post(CODE, {"token": code_for(device), "next": reverse("people:list")})
    assert response.status_code == 302
    assert response["Location"] == reverse("people:list")  # back to the page asked for
    assert client.get(reverse("people:list")).status_code == 200
    # once past, the code page sends on
    assert lands_on(client.get(CODE), reverse("home"))


def test_a_wrong_code_is_refused_in_thai_and_nothing_opens(hr):
    device = device_of(hr)
    client = signed_in(hr)
    response = client.post(CODE, {"token": wrong_code(device)}, REMOTE_ADDR=ADDRESS)
    assert response.status_code == 200
    assert_message(page(response), "รหัสไม่ถูกต้อง", "not right")
    assert lands_on(client.get(reverse("home")), CODE)

    [entry] = entries(twofactor.TWO_FACTOR_FAILED)
    assert (entry.actor, entry.target, entry.address) == (hr, "hr_officer", ADDRESS)
    assert entry.detail == {"username": "hr_officer", "where": "login", "wrong_codes_in_a_row": 1}
    assert entries(AuditEntry.Action.LOGIN_FAILED) == []  # not a wrong password


def test_a_code_is_taken_once_only(hr):
    device = device_of(hr)
    code = code_for(device)
    first = signed_in(hr)
    assert first.post(CODE, {"token": code}).status_code == 302
    second = signed_in(hr)
    response = second.post(CODE, {"token": code})
    assert response.status_code == 200
    assert lands_on(second.get(reverse("home")), CODE)


def test_wrong_codes_make_the_person_wait(hr, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 1  # as in production: 1, 2, 4 … seconds
    device = device_of(hr)
    client = signed_in(hr)
    client.post(CODE, {"token": wrong_code(device)})
    response = client.post(CODE, {"token": code_for(device)})  # right, but too soon
    assert response.status_code == 200
    assert_message(page(response), "รอ", "Wait")
    assert lands_on(client.get(reverse("home")), CODE)
    assert len(entries(twofactor.TWO_FACTOR_FAILED)) == 1  # the wait is no new wrong code

    device.refresh_from_db()
    device.throttling_failure_timestamp -= timedelta(seconds=5)
    device.save()
    assert client.post(CODE, {"token": code_for(device)}).status_code == 302
    assert client.get(reverse("home")).status_code == 200


def test_wrong_codes_count_toward_the_lockout(hr, settings):
    settings.AXES_ENABLED = True
    device = device_of(hr)
    client = Client(REMOTE_ADDR=ADDRESS)
    response = client.post(reverse("login"), {"username": "hr_officer", "password": PASSWORD})
    assert response.status_code == 302
    for _ in range(4):
        assert client.post(CODE, {"token": wrong_code(device)}).status_code == 200
    response = client.post(CODE, {"token": wrong_code(device)})  # the fifth
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session  # the half-done login is ended
    # and the password alone no longer gets in from there
    response = client.post(reverse("login"), {"username": "hr_officer", "password": PASSWORD})
    assert response.status_code == 429
    assert len(entries(twofactor.TWO_FACTOR_FAILED)) == 5
    assert len(entries(AuditEntry.Action.LOCKED_OUT)) == 1


def test_a_superuser_with_a_device_needs_the_code_for_the_admin(admin):
    device = device_of(admin)
    client = signed_in(admin)
    assert lands_on(client.get("/admin/"), CODE)
    client.post(CODE, {"token": code_for(device)})
    assert client.get("/admin/").status_code == 200


def test_logging_out_is_allowed_before_the_code(hr):
    device_of(hr)
    client = signed_in(hr)
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert not lands_on(response, CODE)
    assert "_auth_user_id" not in client.session


# ---------------------------------------------------------------- PORTAL_HR_2FA=1


@pytest.fixture
def mandatory(settings):
    settings.PORTAL_HR_2FA = True


@pytest.mark.parametrize("who", ["hr", "admin"])
def test_mandatory_hr_and_superusers_must_set_it_up_first(request, mandatory, who):
    user = request.getfixturevalue(who)
    client = signed_in(user)
    for url in (reverse("home"), reverse("framework:detail"), "/admin/", CODE):
        assert lands_on(client.get(url), SETUP), url
    response = client.get(SETUP + "?next=" + reverse("framework:detail"))
    assert response.status_code == 200
    assert_message(page(response), "ต้องใช้การยืนยันตัวตนสองขั้นตอน", "must use two-factor")

    device = TOTPDevice.objects.get(user=user)
    response = client.post(SETUP, {"token": code_for(device), "next": reverse("framework:detail")})
    assert response["Location"] == reverse("framework:detail")
    assert client.get(reverse("home")).status_code == 200


def test_ordinary_staff_are_never_asked(mandatory, clerk):
    client = Client()
    client.post(reverse("login"), {"username": "clerk", "password": PASSWORD})
    assert client.get(reverse("home")).status_code == 200
    assert client.get(reverse("framework:detail")).status_code == 200


def test_the_setting_reaches_sessions_begun_before_it(hr, settings):
    client = signed_in(hr)
    assert client.get(reverse("home")).status_code == 200
    settings.PORTAL_HR_2FA = True
    assert lands_on(client.get(reverse("home")), SETUP)


# ---------------------------------------------------------------- turning it off


def past_the_code(user, device):
    client = signed_in(user)
    assert client.post(CODE, {"token": code_for(device)}).status_code == 302
    return client


def test_turning_it_off_needs_a_right_code(hr):
    device = device_of(hr)
    client = past_the_code(hr, device)
    off = reverse("two_factor:disable")

    response = client.post(off, {"token": wrong_code(device)})
    assert response.status_code == 200
    assert_message(page(response), "รหัสไม่ถูกต้อง", "not right")
    assert TOTPDevice.objects.filter(user=hr).exists()
    [failed] = entries(twofactor.TWO_FACTOR_FAILED)
    assert failed.detail["where"] == "turn_off"

    response = client.post(off, {"token": code_for(device, later=1)})
    assert lands_on(response, SETUP)
    assert not TOTPDevice.objects.filter(user=hr).exists()
    [entry] = entries(twofactor.TWO_FACTOR_DISABLED)
    assert (entry.actor, entry.target) == (hr, "hr_officer")
    # the next login is the password alone
    assert signed_in(hr).get(reverse("home")).status_code == 200


def test_turning_it_off_is_refused_when_mandatory(hr, settings):
    device = device_of(hr)
    client = past_the_code(hr, device)
    settings.PORTAL_HR_2FA = True
    assert reverse("two_factor:disable") not in page(client.get(SETUP))  # not offered
    response = client.post(reverse("two_factor:disable"), {"token": code_for(device, later=1)})
    assert lands_on(response, SETUP)
    assert_message(page(client.get(SETUP)), "ปิดไม่ได้", "stays on")
    assert TOTPDevice.objects.filter(user=hr, confirmed=True).exists()
    assert entries(twofactor.TWO_FACTOR_DISABLED) == []


def test_a_former_hr_member_keeps_the_code_but_not_the_setup_page(hr):
    device = device_of(hr)
    hr.groups.remove(Group.objects.get(name=HR_GROUP))
    client = signed_in(hr)
    assert lands_on(client.get(reverse("home")), CODE)
    client.post(CODE, {"token": code_for(device)})
    assert client.get(SETUP).status_code == 403


def test_a_superuser_removes_a_lost_device_in_the_admin(hr, admin):
    device = device_of(hr)
    root = signed_in(admin)  # no device of their own
    listing = page(root.get("/admin/otp_totp/totpdevice/"))
    assert "hr_officer" in listing
    edit = page(root.get(f"/admin/otp_totp/totpdevice/{device.pk}/change/"))
    assert device.key not in edit  # the key is not shown
    response = root.post(f"/admin/otp_totp/totpdevice/{device.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    # the password alone signs the officer in again
    assert signed_in(hr).get(reverse("home")).status_code == 200
