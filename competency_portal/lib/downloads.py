"""File-download responses: an attachment with its name, never kept by a shared cache."""

from django.http import HttpResponse

CSV_TYPE = "text/csv; charset=utf-8"
PDF_TYPE = "application/pdf"


def download(content, filename, content_type):
    """`content` (text or bytes) as an attachment called `filename`."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response
