"""Two-factor sign-in (TOTP through django-otp) for HR members and superusers.

After the password, a person with a confirmed device types the six-digit code of their
authenticator app before any other page opens (the Django admin included); with
PORTAL_HR_2FA=1 an HR member or superuser without a device must first set one up. What the
session still owes is read once, at login, into the session (`STEP`), and TwoFactorMiddleware
keeps every other page shut until it is done, as accounts.ForcePasswordChangeMiddleware does
for a password HR set.

Wrong codes: django-otp makes the person wait longer after each (1, 2, 4, 8 … seconds, kept on
the device across logins until a right code), each also counts as a failed login toward the
django-axes lockout, and each is in the audit trail, as are turning the second step on and off.
"""

import base64
import xml.etree.ElementTree as ET
from urllib.parse import urlencode

import qrcode
import qrcode.image.svg
from axes.handlers.proxy import AxesProxyHandler
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.signals import user_logged_in
from django.core.exceptions import ValidationError
from django.db import transaction
from django.dispatch import receiver
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from assessments.models import AuditEntry
from assessments.services import audit
from competency_portal.lib.textguard import GuardedForm
from competency_portal.lib.thai import thai_numbers
from framework.permissions import is_hr

# What the session still owes after the password: {"step": CODE | SETUP | "", "mandatory":
# the PORTAL_HR_2FA it was read under}. Read at login; read again only when the setting changed.
STEP = "two_factor"
CODE = "code"  # type the code of the confirmed device
SETUP = "setup"  # PORTAL_HR_2FA: set up a device first

# The audit trail's actions for the second step.
TWO_FACTOR_ENABLED = AuditEntry.Action.TWO_FACTOR_ENABLED
TWO_FACTOR_DISABLED = AuditEntry.Action.TWO_FACTOR_DISABLED
TWO_FACTOR_FAILED = AuditEntry.Action.TWO_FACTOR_FAILED


# ---------------------------------------------------------------- who, and what is owed


def is_mandatory(user):
    """PORTAL_HR_2FA=1 makes the second step mandatory for HR members and superusers."""
    return bool(settings.PORTAL_HR_2FA) and is_hr(user)


def confirmed_device(user):
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def step_for(user):
    """What a signed-in person must still do: CODE, SETUP or nothing ("")."""
    if not user.is_authenticated:
        return ""
    verified = getattr(user, "is_verified", None)
    if verified is not None and verified():
        return ""
    if confirmed_device(user) is not None:
        return CODE
    return SETUP if is_mandatory(user) else ""


def _remember(session, step):
    session[STEP] = {"step": step, "mandatory": bool(settings.PORTAL_HR_2FA)}


@receiver(user_logged_in, dispatch_uid="two_factor_step")
def remember_the_second_step(sender, request, user, **kwargs):
    """Read once, at login, whether this person owes a code or a device."""
    if request is not None and hasattr(request, "session"):
        _remember(request.session, step_for(user))


def pending_step(request):
    """The step this request's session still owes. Reads the session only, except for a
    session from before the second step existed or from under another PORTAL_HR_2FA."""
    session = getattr(request, "session", None)
    if session is None or "_auth_user_id" not in session:
        return ""
    state = session.get(STEP)
    if not isinstance(state, dict) or state.get("mandatory") != bool(settings.PORTAL_HR_2FA):
        _remember(session, step_for(request.user))
        state = session[STEP]
    return state.get("step") or ""


def _done(request):
    _remember(request.session, "")


class TwoFactorMiddleware:
    """A session that owes a code sees only the code page, one that owes a device only the
    set-up page (and both may log out), whatever the path: the admin's too."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        step = pending_step(request)
        if step and not request.path_info.startswith(self.open_paths(step)):
            target = reverse("two_factor:code" if step == CODE else "two_factor:setup")
            if request.method == "GET":
                target += "?" + urlencode({"next": request.get_full_path()})
            return redirect(target)
        return self.get_response(request)

    @staticmethod
    def open_paths(step):
        page = reverse("two_factor:code" if step == CODE else "two_factor:setup")
        return (page, reverse("logout"), reverse("healthz"), settings.STATIC_URL, "/i18n/")


# ---------------------------------------------------------------- codes


class TokenForm(GuardedForm):
    """The six digits of the app (spaces allowed, as apps show "123 456")."""

    token = forms.CharField(
        label=gettext_lazy("Code from the app"),
        max_length=12,
        widget=forms.TextInput(
            attrs={
                "inputmode": "numeric",
                "autocomplete": "one-time-code",
                "autofocus": True,
                "class": "otp-token",
            }
        ),
    )

    def __init__(self, *args, autofocus=True, **kwargs):
        super().__init__(*args, **kwargs)
        if not autofocus:  # the turning-off form: nobody should land in it by chance
            self.fields["token"].widget.attrs.pop("autofocus", None)

    def clean_token(self):
        token = "".join(self.cleaned_data["token"].split())
        if len(token) != 6 or not token.isascii() or not token.isdigit():
            raise ValidationError(_("Enter the six digits that the app shows."))
        return token


WRONG_CODE = gettext_lazy("That code is not right. Enter the code that the app shows now.")


def check_code(device, token):
    """(True, 0) for a right code; (False, seconds) while django-otp makes the person wait after
    wrong codes (the code is not even checked); (False, 0) for a wrong code, which lengthens
    the wait."""
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().get(pk=device.pk)
        allowed, info = device.verify_is_allowed()
        if not allowed:
            until = (info or {}).get("locked_until")
            wait = (until - timezone.now()).total_seconds() if until else 1
            return False, max(1, int(wait + 0.999))
        return device.verify_token(token), 0


def _refuse_code(request, form, device, *, where):
    """A wrong code: said in Thai on the form, written in the audit trail, counted toward the
    login lockout. Returns True when that locked the login (the session is then ended)."""
    user = request.user
    username = user.get_username()
    form.add_error("token", WRONG_CODE)
    device.refresh_from_db()
    audit.record(
        action=TWO_FACTOR_FAILED,
        by=user,
        request=request,
        target=username,
        summary=audit.thai(
            gettext_noop("Wrong two-factor code for %(username)s"), username=username
        ),
        detail={
            "username": username,
            "where": where,
            "wrong_codes_in_a_row": device.throttling_failure_count,
        },
    )
    # Straight to django-axes (not Django's user_login_failed, which would also write a
    # failed password login): one more failure of this username from this address.
    AxesProxyHandler.user_login_failed(
        sender=__name__, credentials={"username": username}, request=request
    )
    if getattr(request, "axes_locked_out", False):
        logout(request)  # AxesMiddleware answers with the lockout page
        return True
    return False


def _refuse_wait(form, seconds):
    form.add_error(
        "token",
        _("Wait %(seconds)s seconds after a wrong code, then enter the code the app shows.")
        % thai_numbers({"seconds": seconds}),
    )


def _next_url(request, default="home"):
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    if wanted and url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return wanted
    return reverse(default)


@login_required
def code(request):
    """The second step of the login: the code of the person's app."""
    step = pending_step(request)
    if step != CODE:
        return redirect("two_factor:setup" if step == SETUP else _next_url(request))
    device = confirmed_device(request.user)
    if device is None:  # removed in the admin meanwhile
        _done(request)
        return redirect(_next_url(request))
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        right, wait = check_code(device, form.cleaned_data["token"])
        if right:
            otp_login(request, device)
            request.session.cycle_key()
            _done(request)
            return redirect(_next_url(request))
        if wait:
            _refuse_wait(form, wait)
        elif _refuse_code(request, form, device, where="login"):
            return redirect("login")
    return render(
        request,
        "registration/two_factor_code.html",
        {"form": form, "next": _next_url(request)},
    )


# ---------------------------------------------------------------- turning it on and off


def _secret_groups(device):
    """The key in base32 as apps take it when typed, in groups of four."""
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


SVG = "http://www.w3.org/2000/svg"


def qr_svg(data):
    """`data` as a QR code in inline SVG markup, drawn by qrcode's SVG path factory. Only the
    drawing (its view box and one path of squares) reaches the markup, escaped: `data` itself,
    the otpauth:// address with the account's name, is in the QR code, not in the markup."""
    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, border=2)
    drawn = ET.fromstring(image.to_string(encoding="unicode"))
    path = drawn.find(f"{{{SVG}}}path")
    return format_html(
        '<svg xmlns="{}" viewBox="{}" width="240" height="240" class="two-factor-qr img-fluid"'
        ' role="img" aria-label="{}" shape-rendering="crispEdges"><path d="{}"/></svg>',
        SVG,
        drawn.get("viewBox"),
        _("QR code for the authenticator app"),
        path.get("d"),
    )


def _setup_device(user):
    """The device being set up (not confirmed yet): the same key on every visit, so that a
    page reloaded after scanning still matches the app."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="authenticator app", confirmed=False)
    return device


def _record(action, request, message):
    username = request.user.get_username()
    audit.record(
        action=action,
        by=request.user,
        request=request,
        target=username,
        summary=audit.thai(message, username=username),
        detail={"username": username},
    )


def confirm_device(*, device, request):
    """The first right code confirms the device: the second step is on from now, and this
    session counts as having passed it."""
    with transaction.atomic():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=device.user, confirmed=False).delete()
        _record(
            TWO_FACTOR_ENABLED, request, gettext_noop("%(username)s turned on two-factor sign-in")
        )
    otp_login(request, device)
    _done(request)


def turn_off(*, request):
    """Remove the person's devices: the password alone signs them in again."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=request.user).delete()
        _record(
            TWO_FACTOR_DISABLED, request, gettext_noop("%(username)s turned off two-factor sign-in")
        )
    _done(request)


def _render_setup(request, *, device=None, form=None, turn_off_form=None):
    confirmed = confirmed_device(request.user)
    context = {
        "confirmed": confirmed,
        "mandatory": is_mandatory(request.user),
        "must_set_up": pending_step(request) == SETUP,
        "next": request.POST.get("next") or request.GET.get("next") or "",
    }
    if confirmed is not None:
        context["turn_off_form"] = turn_off_form or TokenForm(auto_id="off_%s", autofocus=False)
    else:
        device = device or _setup_device(request.user)
        context.update(
            qr=qr_svg(device.config_url),
            secret=_secret_groups(device),
            issuer=settings.OTP_TOTP_ISSUER,
            account=request.user.get_username(),
            form=form or TokenForm(),
        )
    return render(request, "registration/two_factor_setup.html", context)


def setup(request):
    """HR and superusers (behind the HR gate in urls.py): the QR code and key of a new device
    and the code that confirms it; or, once on, how to turn it off."""
    if confirmed_device(request.user) is not None:
        return _render_setup(request)
    device = _setup_device(request.user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        right, wait = check_code(device, form.cleaned_data["token"])
        if right:
            device.refresh_from_db()
            must_set_up = pending_step(request) == SETUP
            confirm_device(device=device, request=request)
            if not must_set_up:
                return redirect("two_factor:setup")  # which says that it is on
            messages.success(request, _("Two-factor sign-in is on."))
            return redirect(_next_url(request))
        if wait:
            _refuse_wait(form, wait)
        else:
            form.add_error("token", WRONG_CODE)
    return _render_setup(request, device=device, form=form)


@require_POST
def disable(request):
    """Turn the second step off with a current code; refused while PORTAL_HR_2FA makes it
    mandatory."""
    if is_mandatory(request.user):
        messages.error(
            request,
            _("Two-factor sign-in is required for HR and administrators here: it stays on."),
        )
        return redirect("two_factor:setup")
    device = confirmed_device(request.user)
    if device is None:
        return redirect("two_factor:setup")
    form = TokenForm(request.POST, auto_id="off_%s", autofocus=False)
    if form.is_valid():
        right, wait = check_code(device, form.cleaned_data["token"])
        if right:
            turn_off(request=request)
            messages.success(request, _("Two-factor sign-in is off."))
            return redirect("two_factor:setup")
        if wait:
            _refuse_wait(form, wait)
        elif _refuse_code(request, form, device, where="turn_off"):
            return redirect("login")
    return _render_setup(request, turn_off_form=form)
