"""Pages of staff and supervisors, mounted at assessments/ (namespace "assessments").

HR's pages in the same namespace are in assessments/hr/urls.py; competency_portal/urls.py joins
the two lists and puts the HR one behind the gate.
"""

from django.urls import path

from assessments.views import agreement, home, printing, rating, workflow

urlpatterns = [
    path("<int:pk>/", workflow.results, name="results"),
    path("<int:pk>/self/", rating.self_assessment, name="self"),
    path("<int:pk>/self/autosave/", rating.self_autosave, name="self_autosave"),
    path("<int:pk>/form.pdf", printing.person_form, name="pdf"),
    path("<int:pk>/annual.pdf", printing.annual_form, name="annual_pdf"),
    path("<int:pk>/blank.pdf", printing.blank_form, name="blank_pdf"),
    path("<int:pk>/rate/", rating.supervisor_rating, name="rate"),
    path("<int:pk>/rate/autosave/", rating.supervisor_autosave, name="rate_autosave"),
    path("<int:pk>/acknowledge/", workflow.acknowledge, name="acknowledge"),
    path("<int:pk>/refusal/", workflow.record_refusal, name="refusal"),
    path("<int:pk>/review/", workflow.review, name="review"),
    path("<int:pk>/plan/", workflow.save_plan, name="plan"),
    path("<int:pk>/agreement/", agreement.agreement, name="agreement"),
    path("<int:pk>/agreement.pdf", printing.agreement_form, name="agreement_pdf"),
    path("team/", home.team, name="team"),
]
