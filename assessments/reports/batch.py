"""Many forms at once: HTML is built here (database), PDFs on every core (no database), then
joined into one file with each person starting on a new page and a bookmark per person.

One WeasyPrint document does not use two cores, so the work is spread over processes, never
threads. A form that fails is reported by name; the others are still printed.
"""

import io
import logging
import multiprocessing
import os
from dataclasses import dataclass, field

from assessments.models import Assessment
from assessments.reports import context
from assessments.reports import workers as workers_module

logger = logging.getLogger(__name__)


@dataclass
class BatchResult:
    pdf: bytes | None
    printed: list = field(default_factory=list)
    failed: list = field(default_factory=list)  # (name, reason)


def assessments_to_print(cycle, department=None, employee_code=None):
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
    pdfs = []
    for done, (name, pdf, error) in enumerate(_rendered(items, workers), start=1 + len(failed)):
        if error:
            failed.append((name, error))
        else:
            pdfs.append((name, pdf))
        if progress:
            progress(done, total, name)
    return BatchResult(join(pdfs) if pdfs else None, [n for n, _ in pdfs], failed)


def _rendered(items, workers):
    if workers <= 1 or len(items) <= 2:
        yield from map(workers_module.render_one, items)
        return
    # Spawned, not forked: a worker starts clean and shares no database connection.
    spawn = multiprocessing.get_context("spawn")
    with spawn.Pool(min(workers, len(items)), initializer=workers_module.setup) as pool:
        yield from pool.imap(workers_module.render_one, items, chunksize=2)


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
