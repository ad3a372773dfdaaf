"""Security headers, the page language and idle sessions, on top of Django's own middleware."""

import time

from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_vary_headers

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


class ContentSecurityPolicyMiddleware:
    """Every asset comes from the portal itself; no inline scripts or styles."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        return response


class ThaiFirstLocaleMiddleware:
    """Thai unless the person chose English with the switch (the language cookie).

    Django's LocaleMiddleware would follow the browser's Accept-Language; a Thai office's
    portal speaks Thai whatever language the computer was set up in.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if chosen not in dict(settings.LANGUAGES):
            chosen = settings.LANGUAGE_CODE
        translation.activate(chosen)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", request.LANGUAGE_CODE)
        patch_vary_headers(response, ["Cookie"])
        return response


class PrivateNoStoreMiddleware:
    """Nothing shown to someone signed in is kept by a browser or a shared cache.

    Every page and download of a signed-in person may carry personal data (names, ratings,
    results), so each response to them gets `Cache-Control: private, no-store` unless the view
    set its own Cache-Control. Static files never reach it: WhiteNoise, earlier in the chain,
    answers them with their own long caching.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and "Cache-Control" not in response:
            response["Cache-Control"] = "private, no-store"
        return response


class IdleSessionMiddleware:
    """Idle sessions end after PORTAL_SESSION_IDLE_MINUTES (SESSION_COOKIE_AGE): a session's
    expiry moves on while its person uses the portal, at most once every REFRESH_SECONDS (or a
    tenth of the idle time, when that is shorter).

    Django's SESSION_SAVE_EVERY_REQUEST wrote the session row at every request: a write
    transaction on every page (three queries, and SQLite's one write lock) to move an expiry
    that needs no finer step. A session now ends between IDLE minutes less that step and IDLE
    minutes after its last request, never later.
    """

    KEY = "_refreshed_at"
    REFRESH_SECONDS = 60

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = request.session
        if session.session_key and session.keys():  # a session with something in it
            now = int(time.time())
            step = min(self.REFRESH_SECONDS, settings.SESSION_COOKIE_AGE // 10)
            if now - session.get(self.KEY, 0) >= step:
                session[self.KEY] = now  # saved by SessionMiddleware, with a new expiry
        return response
