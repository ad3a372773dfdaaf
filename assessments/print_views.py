"""Printed forms for download: the same access rules as the results page."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse

from assessments import permissions
from assessments.models import Assessment, Role
from assessments.reports import context, render


def pdf_response(pdf, filename):
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def person_form(request, pk):
    assessment = permissions.assessment_for(request.user, pk)
    html = context.person_form_html(context.assessment_for_print(assessment.pk))
    return pdf_response(render.html_to_pdf(html), context.file_name(assessment))


@login_required
def annual_form(request, pk):
    """Both rounds of the fiscal year of this assessment, those the user may see."""
    assessment = permissions.assessment_for(request.user, pk)
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
    assessment = permissions.assessment_for(request.user, pk)
    html = context.blank_form_html(context.assessment_for_print(assessment.pk), role)
    return pdf_response(render.html_to_pdf(html), context.file_name(assessment, f"blank-{role}"))
