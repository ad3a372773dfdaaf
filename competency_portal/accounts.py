"""Logins: the forced password change after HR set a password, and the password reset that
does not claim a mail was sent when the mail server refused it. Mounted in urls.py before
Django's own auth URLs, under the same names."""

import logging

from axes.backends import AxesStandaloneBackend
from axes.exceptions import AxesBackendPermissionDenied
from axes.helpers import get_cool_off
from axes.signals import user_locked_out
from django.conf import settings
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import views as auth_views
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.core.mail import EmailMultiAlternatives
from django.dispatch import receiver
from django.shortcuts import redirect
from django.template import loader
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from assessments.models import AuditEntry
from assessments.services import audit
from assessments.services import people as staff

logger = logging.getLogger(__name__)


MUST_CHANGE = "must_change_password"


@receiver(user_logged_in)
def remember_a_password_to_change(sender, request, user, **kwargs):
    """Read once, at login, whether HR set this person's password: a password set by HR ends
    the person's other sessions (Django's session hash), so the next login always sees it."""
    if request is not None and hasattr(request, "session"):
        request.session[MUST_CHANGE] = staff.must_change_password(user)


@receiver(user_logged_in, dispatch_uid="audit_login")
def record_login(sender, request, user, **kwargs):
    audit.record(
        action=AuditEntry.Action.LOGIN,
        by=user,
        request=request,
        target=user.get_username(),
        summary=audit.thai(gettext_noop("%(username)s logged in"), username=user.get_username()),
    )


def _tried_username(credentials):
    username = (credentials or {}).get("username") or ""
    return str(username)[:150]


class LockoutBackend(AxesStandaloneBackend):
    """django-axes' lockout, which also marks an attempt it refused because the login was
    already locked: the trail records the lock once, not every refused attempt."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        try:
            return super().authenticate(request, username=username, password=password, **kwargs)
        except AxesBackendPermissionDenied:
            if request is not None:
                request.refused_while_locked = True
            raise


@receiver(user_login_failed, dispatch_uid="audit_login_failed")
def record_login_failure(sender, credentials, request=None, **kwargs):
    """A failed login: the username tried (never the password), from which address. An
    attempt refused while the login is locked is not one: the lock is in the trail once."""
    if getattr(request, "refused_while_locked", False):
        return
    username = _tried_username(credentials)
    audit.record(
        action=AuditEntry.Action.LOGIN_FAILED,
        by=None,
        request=request,
        target=username,
        summary=audit.thai(gettext_noop("Failed login as %(username)s"), username=username),
        detail={"username": username},
    )


def _lockout_recorded(username, ip_address, request):
    """Whether this lock is in the trail already: django-axes signals the lock and again each
    attempt refused while it lasts. A lock is new once the cool-off since the last entry has
    passed, or HR has unlocked the login since."""
    earlier = AuditEntry.objects.filter(
        action=AuditEntry.Action.LOCKED_OUT,
        target=username,
        detail__ip_address=ip_address or "",
    )
    cool_off = get_cool_off(request)
    if cool_off is not None:
        earlier = earlier.filter(at__gte=timezone.now() - cool_off)
    last_unlock = (
        AuditEntry.objects.filter(action=AuditEntry.Action.UNLOCKED, detail__username=username)
        .values_list("at", flat=True)
        .first()  # the newest: the trail is ordered newest first
    )
    if last_unlock is not None:
        earlier = earlier.filter(at__gt=last_unlock)
    return earlier.exists()


@receiver(user_locked_out, dispatch_uid="audit_locked_out")
def record_lockout(sender, request=None, username=None, ip_address=None, **kwargs):
    """django-axes locked a login: one entry per lock, however often it is tried meanwhile."""
    username = str(username or "")[:150]
    if _lockout_recorded(username, ip_address, request):
        return
    audit.record(
        action=AuditEntry.Action.LOCKED_OUT,
        by=None,
        request=request,
        target=username,
        summary=audit.thai(gettext_noop("Login %(username)s locked"), username=username),
        detail={"username": username, "ip_address": ip_address or ""},
    )


class ForcePasswordChangeMiddleware:
    """A person whose password HR set sees nothing but the password change page (and may log
    out) until they choose their own password. Reads the session only: no query per page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = getattr(request, "session", None)
        if (
            session is not None
            and session.get(MUST_CHANGE)
            and not request.path_info.startswith(self.open_paths())
        ):
            return redirect("password_change")
        return self.get_response(request)

    @staticmethod
    def open_paths():
        return (
            reverse("password_change"),
            reverse("password_change_done"),
            reverse("logout"),
            reverse("healthz"),
            settings.STATIC_URL,
            "/i18n/",
        )


def _record_own_password(action, user, request):
    audit.record(
        action=action,
        by=user,
        request=request,
        target=user.get_username(),
        summary=audit.thai(
            gettext_noop("%(username)s chose a new password"), username=user.get_username()
        ),
    )


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's view; a successful change also ends the change HR asked for."""

    def form_valid(self, form):
        response = super().form_valid(form)
        staff.password_changed(form.user)
        self.request.session.pop(MUST_CHANGE, None)
        _record_own_password(AuditEntry.Action.PASSWORD_CHANGED, form.user, self.request)
        return response


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Django's view; a password chosen through the emailed link is the person's own too."""

    def form_valid(self, form):
        response = super().form_valid(form)
        staff.password_changed(form.user)
        _record_own_password(AuditEntry.Action.PASSWORD_RESET, form.user, self.request)
        return response


class PasswordResetForm(auth_forms.PasswordResetForm):
    """Django's form, but a mail that cannot be sent raises (Django's only logs it)."""

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
        body = loader.render_to_string(email_template_name, context)
        message = EmailMultiAlternatives(subject, body, from_email, [to_email])
        if html_email_template_name is not None:
            html = loader.render_to_string(html_email_template_name, context)
            message.attach_alternative(html, "text/html")
        message.send()


class PasswordResetView(auth_views.PasswordResetView):
    """Django's view, but a mail server that refuses the mail is reported, not hidden."""

    form_class = PasswordResetForm

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except OSError:  # smtplib.SMTPException too, a connection refused, a timeout
            logger.exception("the password reset mail could not be sent")
            form.add_error(
                None,
                _(
                    "The email with the reset link could not be sent. Try again later, "
                    "or ask HR to set a password for you."
                ),
            )
            return self.form_invalid(form)
