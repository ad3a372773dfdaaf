"""Every HR page's URL pattern, one list per namespace; the paths are those HR has always used.

None of these lists is mounted by itself: competency_portal/urls.py wraps each in the HR gate
(403 for anyone but HR, the login page for a visitor) and mounts it under its prefix.
"""

from django.urls import path

from assessments.hr import (
    agreements_import,
    analytics,
    audit,
    cycles,
    dashboard,
    exports,
    methods,
    people,
    preview,
    prints,
    ratings_import,
    workflow,
)

# under assessments/, namespace "assessments"
assessment_patterns = [
    path("<int:pk>/finalize/", workflow.finalize, name="finalize"),
    path("<int:pk>/reopen/", workflow.reopen, name="reopen"),
    path("<int:pk>/rater/", workflow.change_rater, name="change_rater"),
    path("<int:pk>/outside/", workflow.outside_people, name="outside_people"),
    path("preview/<int:version>/", preview.framework_preview, name="preview"),
    path("hr/dashboard/", dashboard.round_dashboard, name="dashboard"),
    path("hr/development-methods/", methods.development_methods, name="development_methods"),
    path(
        "hr/cycles/<int:pk>/reminders/retry/",
        dashboard.reminders_retry,
        name="reminders_retry",
    ),
    path("hr/cycles/", cycles.cycle_list, name="cycle_list"),
    path("hr/cycles/<int:pk>/", cycles.cycle_detail, name="cycle_detail"),
    path("hr/cycles/<int:pk>/open/", cycles.cycle_open, name="cycle_open"),
    path("hr/cycles/<int:pk>/close/", cycles.cycle_close, name="cycle_close"),
    path("hr/cycles/<int:pk>/outside/", cycles.cycle_outside, name="cycle_outside"),
    path("hr/cycles/<int:pk>/scoring/", cycles.cycle_scoring, name="cycle_scoring"),
    path("hr/cycles/<int:pk>/reopen/", cycles.cycle_reopen, name="cycle_reopen"),
    path("hr/cycles/<int:pk>/add-people/", cycles.cycle_add_people, name="cycle_add_people"),
    path("hr/cycles/<int:pk>/print/", prints.print_job_create, name="print_job_create"),
    path("hr/prints/<int:pk>/", prints.print_job_detail, name="print_job"),
    path("hr/prints/<int:pk>/file/", prints.print_job_file, name="print_job_file"),
    path("hr/prints/<int:pk>/status/", prints.print_job_status, name="print_job_status"),
    path("hr/prints/<int:pk>/retry/", prints.print_job_retry, name="print_job_retry"),
    path("hr/audit/", audit.audit_log, name="audit"),
    path("hr/audit.csv", audit.audit_csv, name="audit_csv"),
]

# under hr/people/, namespace "people"
people_patterns = [
    path("", people.people_list, name="list"),
    path("new/", people.person_create, name="create"),
    path("<int:pk>/edit/", people.person_edit, name="edit"),
    path("<int:pk>/password/", people.person_password, name="password"),
    path("<int:pk>/unlock/", people.person_unlock, name="unlock"),
    path("<int:pk>/deactivate/", people.person_deactivate, name="deactivate"),
    path("<int:pk>/reactivate/", people.person_reactivate, name="reactivate"),
    path("import/", people.people_import, name="import"),
    path("import/template.csv", people.people_import_template, name="import_template"),
]

# under hr/ratings/, namespace "ratings_import"
ratings_import_patterns = [
    path("", ratings_import.upload, name="upload"),
    path("template/<int:assessment_pk>/", ratings_import.csv_template, name="template"),
    path("agreements/", agreements_import.upload, name="agreements"),
]

# under hr/exports/, namespace "exports"
export_patterns = [
    path("results/<int:cycle_pk>.<str:fmt>", exports.results, name="results"),
    path("results/<int:cycle_pk>/", exports.results_page, name="results_page"),
]

# under hr/analytics/, namespace "analytics" (a person's history there is not HR's only:
# see assessments/views/history.py)
analytics_patterns = [
    path("", analytics.index, name="index"),
    path("csv/<str:chart>/", analytics.csv_download, name="csv"),
    path("trend/", analytics.trend, name="trend"),
]
