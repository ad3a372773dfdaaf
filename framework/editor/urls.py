"""The editor's URL patterns, relative to framework/ (namespace "framework"). Not mounted by
itself: competency_portal/urls.py puts this list behind the HR gate."""

from django.urls import path

from framework.editor import views as editor

urlpatterns = [
    path("versions/", editor.version_list, name="versions"),
    path("versions/new/", editor.version_new, name="version_new"),
    path("versions/import/", editor.version_import, name="import"),
    path("versions/<int:version>/export.json", editor.version_export, name="export"),
    path(
        "versions/<int:version>/export.csv",
        editor.version_export,
        {"kind": "csv"},
        name="export_csv",
    ),
    path("versions/<int:version>/", editor.version_detail, name="version"),
    path("versions/<int:version>/publish/", editor.version_publish, name="version_publish"),
    path("versions/<int:version>/discard/", editor.version_discard, name="version_discard"),
    path("versions/<int:version>/diff/", editor.version_diff, name="diff"),
    path("versions/<int:version>/scale/", editor.scale_edit, name="scale"),
    path("versions/<int:version>/expected/", editor.expected_edit, name="expected"),
    path("versions/<int:version>/competencies/new/", editor.competency_edit, name="competency_new"),
    path(
        "versions/<int:version>/competencies/<int:pk>/",
        editor.competency_edit,
        name="competency_edit",
    ),
    path(
        "versions/<int:version>/competencies/<int:pk>/delete/",
        editor.competency_delete,
        name="competency_delete",
    ),
    path(
        "versions/<int:version>/competencies/<int:pk>/move/<str:direction>/",
        editor.competency_move,
        name="competency_move",
    ),
]
