from django.urls import path

from assessments import print_views, views

app_name = "assessments"

urlpatterns = [
    path("<int:pk>/", views.results, name="results"),
    path("<int:pk>/self/", views.self_assessment, name="self"),
    path("<int:pk>/form.pdf", print_views.person_form, name="pdf"),
    path("<int:pk>/annual.pdf", print_views.annual_form, name="annual_pdf"),
    path("<int:pk>/blank.pdf", print_views.blank_form, name="blank_pdf"),
    path("<int:pk>/rate/", views.supervisor_rating, name="rate"),
    path("<int:pk>/acknowledge/", views.acknowledge, name="acknowledge"),
    path("<int:pk>/refusal/", views.record_refusal, name="refusal"),
    path("<int:pk>/review/", views.review, name="review"),
    path("<int:pk>/finalize/", views.finalize, name="finalize"),
    path("<int:pk>/reopen/", views.reopen, name="reopen"),
    path("<int:pk>/rater/", views.change_rater, name="change_rater"),
    path("team/", views.team, name="team"),
    path("preview/<int:version>/", views.framework_preview, name="preview"),
    path("hr/dashboard/", views.round_dashboard, name="dashboard"),
    path("hr/cycles/", views.cycle_list, name="cycle_list"),
    path("hr/cycles/<int:pk>/", views.cycle_detail, name="cycle_detail"),
    path("hr/cycles/<int:pk>/open/", views.cycle_open, name="cycle_open"),
    path("hr/cycles/<int:pk>/close/", views.cycle_close, name="cycle_close"),
    path("hr/cycles/<int:pk>/reopen/", views.cycle_reopen, name="cycle_reopen"),
    path("hr/cycles/<int:pk>/add-people/", views.cycle_add_people, name="cycle_add_people"),
    path("hr/cycles/<int:pk>/print/", views.print_job_create, name="print_job_create"),
    path("hr/prints/<int:pk>/", views.print_job_detail, name="print_job"),
    path("hr/prints/<int:pk>/file/", views.print_job_file, name="print_job_file"),
]
