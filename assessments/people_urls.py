"""HR's pages for people, mounted at hr/people/."""

from django.urls import path

from assessments import people_views

app_name = "people"

urlpatterns = [
    path("", people_views.people_list, name="list"),
    path("new/", people_views.person_create, name="create"),
    path("<int:pk>/edit/", people_views.person_edit, name="edit"),
    path("<int:pk>/password/", people_views.person_password, name="password"),
    path("<int:pk>/deactivate/", people_views.person_deactivate, name="deactivate"),
    path("<int:pk>/reactivate/", people_views.person_reactivate, name="reactivate"),
    path("import/", people_views.people_import, name="import"),
]
