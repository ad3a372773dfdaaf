"""Many forms at once: HTML is built here (database), PDFs on every core (no database), then
joined into one file with each person starting on a new page and a bookmark per person.

One WeasyPrint document does not use two cores, so the work is spread over processes, never
threads: the renderers of workers.py, each bounding its form's layout time. A form that fails,
or that is refused for its length, size or layout time (render.FormRenderRefused), is reported
by name with its reason; the others are still printed.
"""

import io
import logging
import os
from dataclasses import dataclass, field

from assessments.models import Assessment, Track
from assessments.reports import context, render
from assessments.reports import workers as workers_module

logger = logging.getLogger(__name__)


@dataclass
class BatchResult:
    pdf: bytes | None
    printed: list = field(default_factory=list)
    failed: list = field(default_factory=list)  # (name, reason)


def assessments_to_print(cycle, department=None, employee_code=None, only=""):
    """The assessments of a batch, in print order; `only` a PrintJob.Only value: every one
    (""), "submitted" (the supervisor's rating is submitted) or "finalized"."""
    rows = Assessment.objects.filter(cycle=cycle).select_related(
        "cycle__framework",
        "employee__department",
        "position_class",
        "supervisor",
        "reviewer__supervisor",
    )
    if department:
        rows = rows.filter(department_name=department)
    if employee_code:
        rows = rows.filter(employee__employee_code=employee_code)
    if only == "submitted":
        rows = rows.filter(supervisor_state=Track.SUBMITTED)
    elif only == "finalized":
        rows = rows.filter(finalized_at__isnull=False)
    return list(rows.order_by("department_name", "employee__first_name", "employee__last_name"))


def _htmls(assessments, failed):
    for assessment in assessments:
        name = assessment.employee.full_name
        try:
            yield name, context.person_form_html(assessment)
        except Exception as error:  # one bad form must not stop the batch
            logger.exception(
                "The form of %s (assessment %s) could not be built; the batch goes on",
                name,
                assessment.pk,
            )
            failed.append((name, f"{type(error).__name__}: {error}"))


def print_forms(assessments, workers=None, progress=None):
    """Print every assessment's form; `progress(done, total, name)` after each one."""
    workers = workers or os.cpu_count() or 1
    total = len(assessments)
    failed = []
    items = list(_htmls(assessments, failed))
    pdfs = {}
    rendered = workers_module.render_many(
        list(enumerate(html for _name, html in items)), render.limits(), min(workers, len(items))
    )
    for done, (index, pdf, error) in enumerate(rendered, start=1 + len(failed)):
        name = items[index][0]
        if error:
            logger.error(
                "The form of %s could not be made into a PDF; the batch goes on",
                name,
                exc_info=error,
            )
            failed.append((name, reason(error)))
        else:
            pdfs[index] = pdf
        if progress:
            progress(done, total, name)
    printed = [(items[index][0], pdfs[index]) for index in sorted(pdfs)]  # in the batch's order
    return BatchResult(join(printed) if printed else None, [n for n, _ in printed], failed)


def reason(error):
    """Why a form was not printed, as the job page and the command show it."""
    if isinstance(error, render.FormRenderRefused):
        return error.thai()
    return f"{type(error).__name__}: {error}"


def join(named_pdfs):
    """One PDF of several, in order, with a bookmark per person over that form's own."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    for name, pdf in named_pdfs:
        # the form's own bookmarks (its parts) nest under the person's name
        writer.append(io.BytesIO(pdf), outline_item=name)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
