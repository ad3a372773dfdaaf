"""HR's import of ratings keyed in from paper forms, mounted at hr/ratings/."""

from django.urls import path

from assessments import ratings_import_views

app_name = "ratings_import"

urlpatterns = [
    path("", ratings_import_views.upload, name="upload"),
    path("template/<int:assessment_pk>/", ratings_import_views.csv_template, name="template"),
]
