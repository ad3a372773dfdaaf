from django.urls import path

from framework import views

app_name = "framework"

urlpatterns = [
    path("", views.framework_detail, name="detail"),
]
