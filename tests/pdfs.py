"""A person's printed form, as the download makes it, read back with pypdf."""

import io
import os
import shutil
import subprocess
from decimal import Decimal

import pytest
from pypdf import PdfReader

from assessments.models import Role
from assessments.reports import context, render
from tests.factories import rate


def form_pdf(assessment):
    """The PDF bytes of `assessment`'s appraisal form."""
    return render.html_to_pdf(context.person_form_html(context.assessment_for_print(assessment.pk)))


def pages_text(pdf):
    """The text pypdf extracts from each page of `pdf`."""
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def form_pages(assessment):
    """The text of each page of `assessment`'s appraisal form."""
    return pages_text(form_pdf(assessment))


def rated_for_print(cast):
    """somchai's assessment of the open round, rated by himself (level 2) and by head (level
    3, work results 80 %), as the printed forms read it."""
    a = cast.somchai_assessment
    rate(a, Role.SELF, cast.somchai.user, 2)
    rate(a, Role.SUPERVISOR, cast.head.user, 3, work_results=Decimal("80"))
    return context.assessment_for_print(a.pk)


def page_images(pdf, folder, name):
    """Each page of `pdf` as PNG bytes (pdftoppm, 50 dpi): skipped without poppler-utils,
    except on CI."""
    if shutil.which("pdftoppm") is None:
        if os.environ.get("CI"):
            pytest.fail("pdftoppm not found: install poppler-utils")
        pytest.skip("pdftoppm not found: install poppler-utils")
    (folder / f"{name}.pdf").write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-r", "50", "-png", folder / f"{name}.pdf", folder / name], check=True
    )
    return [path.read_bytes() for path in sorted(folder.glob(f"{name}-*.png"))]
