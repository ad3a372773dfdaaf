"""The framework page everyone reads, mounted at framework/ (namespace "framework"). The
editor's patterns are in framework/editor/urls.py."""

from django.urls import path

from framework import views

urlpatterns = [
    path("", views.framework_detail, name="detail"),
]
