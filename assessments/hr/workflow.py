"""HR's steps on one assessment: finalise, change the rater, reopen a step."""

from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from assessments import forms, permissions, services
from assessments.services import outside
from assessments.views.workflow import workflow_step

# The gate has let only HR in; HR may see every assessment.
ANY_HR = permissions.can_view


@require_POST
def finalize(request, pk):
    success = _("The assessment was finalised.")
    return workflow_step(request, pk, ANY_HR, services.finalize, success)


@require_POST
def change_rater(request, pk):
    success = _("The rater was changed.")
    return workflow_step(request, pk, ANY_HR, services.change_rater, success, forms.RaterForm)


@require_POST
def reopen(request, pk):
    success = _("The step was reopened.")
    return workflow_step(request, pk, ANY_HR, services.reopen, success, forms.ReopenForm)


@require_POST
def outside_people(request, pk):
    success = _("Saved.")
    service = outside.name_outside_people
    return workflow_step(request, pk, ANY_HR, service, success, forms.OutsidePeopleForm)
