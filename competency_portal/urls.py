"""The portal's URLs. Every HR page is reached through one gate, applied here to the lists of
HR patterns (assessments/hr/urls.py, framework/editor/urls.py), whatever their paths: a page
put in one of those lists cannot be opened by anyone but HR."""

from django.contrib import admin
from django.urls import include, path

from assessments import urls as assessment_urls
from assessments.hr import urls as hr_urls
from assessments.views import history, home
from competency_portal import accounts, health, twofactor
from competency_portal.lib.gate import gated
from framework import urls as framework_urls
from framework.editor import urls as editor_urls
from framework.permissions import hr_required


def section(prefix, namespace, *, everyone=(), hr=()):
    """Mount one namespace: the patterns open to everyone signed in (each view checks its own
    object) and the HR patterns behind the gate."""
    return path(prefix, include(([*everyone, *gated(hr, hr_required)], namespace)))


history_patterns = [
    path("people/<int:employee_pk>/", history.person, name="person"),
    path("people/<int:employee_pk>/csv/", history.person_csv, name="person_csv"),
]

# Two-factor sign-in: the code page for whoever owes a code; setting it up for HR only.
two_factor_patterns = [path("code/", twofactor.code, name="code")]
two_factor_hr_patterns = [
    path("", twofactor.setup, name="setup"),
    path("off/", twofactor.disable, name="disable"),
]

urlpatterns = [
    path("", home.home, name="home"),
    path("healthz", health.healthz, name="healthz"),  # load balancers: no login, no data
    # The portal's own versions of three auth views (competency_portal/accounts.py), before
    # Django's, under the same names.
    path(
        "accounts/password_change/",
        accounts.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path("accounts/password_reset/", accounts.PasswordResetView.as_view(), name="password_reset"),
    path(
        "accounts/reset/<uidb64>/<token>/",
        accounts.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    section(
        "accounts/two-factor/",
        "two_factor",
        everyone=two_factor_patterns,
        hr=two_factor_hr_patterns,
    ),
    path("accounts/", include("django.contrib.auth.urls")),
    section(
        "framework/",
        "framework",
        everyone=framework_urls.urlpatterns,
        hr=editor_urls.urlpatterns,
    ),
    section(
        "assessments/",
        "assessments",
        everyone=assessment_urls.urlpatterns,
        hr=hr_urls.assessment_patterns,
    ),
    section("hr/people/", "people", hr=hr_urls.people_patterns),
    section("hr/ratings/", "ratings_import", hr=hr_urls.ratings_import_patterns),
    section("hr/exports/", "exports", hr=hr_urls.export_patterns),
    section("hr/analytics/", "analytics", everyone=history_patterns, hr=hr_urls.analytics_patterns),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]

handler400 = "competency_portal.errors.bad_request"
handler500 = "competency_portal.errors.server_error"
