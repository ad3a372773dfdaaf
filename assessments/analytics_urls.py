from django.urls import path

from assessments import analytics_views

app_name = "analytics"

urlpatterns = [
    path("", analytics_views.index, name="index"),
    path("csv/<str:chart>/", analytics_views.csv_download, name="csv"),
    path("trend/", analytics_views.trend, name="trend"),
    path("people/<int:employee_pk>/", analytics_views.person, name="person"),
    path("people/<int:employee_pk>/csv/", analytics_views.person_csv, name="person_csv"),
]
