from django.contrib import admin
from django.urls import include, path

from assessments import views as assessment_views

urlpatterns = [
    path("", assessment_views.home, name="home"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("framework/", include("framework.urls")),
    path("assessments/", include("assessments.urls")),
    path("hr/people/", include("assessments.people_urls")),
    path("hr/ratings/", include("assessments.ratings_import_urls")),
    path("hr/exports/", include("assessments.export_urls")),
    path("hr/analytics/", include("assessments.analytics_urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
