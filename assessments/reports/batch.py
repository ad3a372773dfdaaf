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
    """Print every assessment's form; `progress(done, total, name)` after each one. Each form's
    HTML is built while the renderers lay out the forms before it."""
    workers = workers or os.cpu_count() or 1
    total = len(assessments)
    failed = []
    names = []

    def numbered():
        for name, html in _htmls(assessments, failed):
            names.append(name)
            yield len(names) - 1, html

    pdfs = {}
    rendered = workers_module.render_many(numbered(), render.limits(), max(min(workers, total), 1))
    for index, pdf, error in rendered:
        name = names[index]
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
            progress(len(pdfs) + len(failed), total, name)
    printed = [(names[index], pdfs[index]) for index in sorted(pdfs)]  # in the batch's order
    return BatchResult(join(printed) if printed else None, [n for n, _ in printed], failed)


def reason(error):
    """Why a form was not printed, as the job page and the command show it."""
    if isinstance(error, render.FormRenderRefused):
        return error.thai()
    return f"{type(error).__name__}: {error}"


def join(named_pdfs):
    """One PDF of several, in order, with a bookmark per person over that form's own. Joined by
    qpdf (pikepdf): the forms' compressed streams are copied as they are, not read and written
    again (pypdf took 3.5 s for 50 forms, 70 ms each)."""
    import pikepdf

    joined = pikepdf.Pdf.new()
    with joined.open_outline() as outline:
        for name, pdf in named_pdfs:
            form = pikepdf.Pdf.open(io.BytesIO(pdf))
            first = len(joined.pages)
            joined.pages.extend(form.pages)
            pages = {page.objgen: joined.pages[first + n].obj for n, page in enumerate(form.pages)}
            person = pikepdf.OutlineItem(name, first)
            with form.open_outline() as own:  # the form's own bookmarks (its parts) nest under it
                person.children.extend(_bookmark(item, pages) for item in own.root)
            outline.root.append(person)
    out = io.BytesIO()
    joined.save(out, stream_decode_level=pikepdf.StreamDecodeLevel.none)
    return out.getvalue()


def _bookmark(item, pages):
    """A copy of a form's bookmark (and those under it) that points at the joined file's copy
    of its page (`pages`: the form's page → the joined page), at the same place on it."""
    import pikepdf

    target = item.destination
    if isinstance(target, pikepdf.Array) and len(target) and target[0].objgen in pages:
        target = pikepdf.Array([pages[target[0].objgen], *list(target)[1:]])
    copy = pikepdf.OutlineItem(item.title, target)
    copy.children.extend(_bookmark(child, pages) for child in item.children)
    return copy
