from django.urls import path

from assessments import export_views

app_name = "exports"

urlpatterns = [
    path("results/<int:cycle_pk>.<str:fmt>", export_views.results, name="results"),
]
