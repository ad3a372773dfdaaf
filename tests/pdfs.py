"""A person's printed form, as the download makes it, read back with pypdf."""

import io

from pypdf import PdfReader

from assessments.reports import context, render


def form_pdf(assessment):
    """The PDF bytes of `assessment`'s appraisal form."""
    return render.html_to_pdf(context.person_form_html(context.assessment_for_print(assessment.pk)))


def pages_text(pdf):
    """The text pypdf extracts from each page of `pdf`."""
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def form_pages(assessment):
    """The text of each page of `assessment`'s appraisal form."""
    return pages_text(form_pdf(assessment))
