from django.urls import path

from assessments import views

app_name = "assessments"

urlpatterns = [
    path("<int:pk>/", views.results, name="results"),
    path("<int:pk>/self/", views.self_assessment, name="self"),
    path("<int:pk>/rate/", views.supervisor_rating, name="rate"),
    path("<int:pk>/acknowledge/", views.acknowledge, name="acknowledge"),
    path("<int:pk>/refusal/", views.record_refusal, name="refusal"),
    path("<int:pk>/review/", views.review, name="review"),
    path("<int:pk>/finalize/", views.finalize, name="finalize"),
    path("<int:pk>/reopen/", views.reopen, name="reopen"),
    path("team/", views.team, name="team"),
    path("hr/cycles/", views.cycle_list, name="cycle_list"),
    path("hr/cycles/<int:pk>/", views.cycle_detail, name="cycle_detail"),
    path("hr/cycles/<int:pk>/open/", views.cycle_open, name="cycle_open"),
    path("hr/cycles/<int:pk>/close/", views.cycle_close, name="cycle_close"),
]
