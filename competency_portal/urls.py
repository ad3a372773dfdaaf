from django.contrib import admin
from django.urls import include, path

from framework import views as framework_views

urlpatterns = [
    path("", framework_views.home, name="home"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("framework/", include("framework.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
