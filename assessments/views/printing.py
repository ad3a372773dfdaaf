"""Printed forms for download: the same access rules as the results page."""

import logging

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.template.response import TemplateResponse

from assessments import permissions
from assessments.models import Assessment, Role
from assessments.reports import context, render
from assessments.services import form_cache
from assessments.views.common import assessment_for
from competency_portal.lib.downloads import PDF_TYPE, download

logger = logging.getLogger(__name__)

# A form stopped for its layout time may print once the server is less busy.
RETRY_AFTER_SECONDS = 120


def pdf_response(pdf, filename):
    return download(pdf, filename, PDF_TYPE)


def printed(request, assessment, html, filename):
    """`html` as a PDF download, or, when the form is over the bounds of a printed form
    (render.FormRenderRefused), a page saying why with status 503: nothing half-written."""
    try:
        # Kept in the storage by its HTML: downloading again does not render again.
        pdf = form_cache.cached_pdf(assessment.pk, filename, html, render.html_to_pdf)
    except render.FormRenderRefused as refused:
        logger.exception("%s was not printed for %s", filename, request.user)
        response = TemplateResponse(
            request,
            "reports/refused.html",
            {"assessment": assessment, "reason": refused.text()},
            status=503,
        )
        if isinstance(refused, render.FormTooSlow):
            response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    return pdf_response(pdf, filename)


@login_required
def person_form(request, pk):
    assessment = assessment_for(request.user, pk)
    html = context.person_form_html(context.assessment_for_print(assessment.pk))
    return printed(request, assessment, html, context.file_name(assessment))


@login_required
def annual_form(request, pk):
    """Both rounds of the fiscal year of this assessment, those the user may see."""
    assessment = assessment_for(request.user, pk)
    rounds = [
        context.assessment_for_print(a.pk)
        for a in Assessment.objects.filter(
            employee=assessment.employee, cycle__fiscal_year=assessment.cycle.fiscal_year
        ).select_related("cycle")
        if permissions.can_view(request.user, a)
    ]
    html = context.annual_form_html(rounds)
    name = f"annual-{assessment.cycle.fiscal_year}-{assessment.employee.employee_code}.pdf"
    return printed(request, assessment, html, name)


@login_required
def blank_form(request, pk):
    """A paper rating form, self or supervisor, for ratings to be keyed in later."""
    role = request.GET.get("role", Role.SELF)
    if role not in Role.values:
        raise Http404
    assessment = assessment_for(request.user, pk)
    html = context.blank_form_html(context.assessment_for_print(assessment.pk), role)
    return printed(request, assessment, html, context.file_name(assessment, f"blank-{role}"))


@login_required
def agreement_form(request, pk):
    """The person's performance agreement of the round, to be signed by both (issue 15)."""
    assessment = assessment_for(request.user, pk)
    html = context.agreement_form_html(context.assessment_for_print(assessment.pk))
    return printed(request, assessment, html, context.file_name(assessment, "agreement"))
