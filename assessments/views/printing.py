"""Printed forms for download: the same access rules as the results page."""

from django.contrib.auth.decorators import login_required
from django.http import Http404

from assessments import permissions
from assessments.models import Assessment, Role
from assessments.reports import context, render
from assessments.views.common import assessment_for
from competency_portal.lib.downloads import PDF_TYPE, download


def pdf_response(pdf, filename):
    return download(pdf, filename, PDF_TYPE)


@login_required
def person_form(request, pk):
    assessment = assessment_for(request.user, pk)
    html = context.person_form_html(context.assessment_for_print(assessment.pk))
    return pdf_response(render.html_to_pdf(html), context.file_name(assessment))


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
    return pdf_response(render.html_to_pdf(html), name)


@login_required
def blank_form(request, pk):
    """A paper rating form, self or supervisor, for ratings to be keyed in later."""
    role = request.GET.get("role", Role.SELF)
    if role not in Role.values:
        raise Http404
    assessment = assessment_for(request.user, pk)
    html = context.blank_form_html(context.assessment_for_print(assessment.pk), role)
    return pdf_response(render.html_to_pdf(html), context.file_name(assessment, f"blank-{role}"))
