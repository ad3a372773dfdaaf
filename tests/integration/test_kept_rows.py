"""The annex's rows are laid out once a process and copied into later forms
(assessments/reports/kept_rows.py, issue 13 item 9). The oracle is WeasyPrint laying the same
HTML out whole: every page of a form made from kept rows must be the same picture, with the
same text, as that form laid out whole, for the person whose rows were kept and for another
person whose ratings differ."""

import logging
import re

import pytest

from assessments.models import Role
from assessments.reports import context, kept_rows, render, thai_text
from tests.factories import rate
from tests.pdfs import page_images, pages_text, rated_for_print


@pytest.fixture(autouse=True)
def nothing_kept():
    kept_rows.forget()
    yield
    kept_rows.forget()


def whole(html):
    return pdf_of(render.laid_out(render.clean_text(html, multiline=True), keep_rows=False))


def pdf_of(document):
    return document.write_pdf(uncompressed_pdf=False, finisher=thai_text.keep_thai_text)


def from_kept_rows(html):
    """(PDF, rows placed from what was kept, rows marked) of one form, laid out as make_pdf
    does, step by step."""
    font_config, stylesheet, fetcher, images = render._engine()
    document = render.parsed(render.clean_text(html, multiline=True), fetcher)
    rows = kept_rows.prepare(document)
    laid_out = document.render(stylesheets=[stylesheet], font_config=font_config, cache=images)
    kept_rows.finish(laid_out, rows)
    return pdf_of(laid_out), sum(row.placed for row in rows), len(rows)


def assert_same_pages(ours, theirs, folder):
    assert pages_text(ours) == pages_text(theirs)
    our_pages = page_images(ours, folder, "kept")
    assert len(our_pages) >= 5
    assert our_pages == page_images(theirs, folder, "whole")


def test_a_form_made_from_kept_rows_is_the_form_laid_out_whole(round_open, tmp_path):
    html = context.person_form_html(rated_for_print(round_open))
    first, placed, marked = from_kept_rows(html)
    assert placed == 0 and marked == 66  # the 66 indicators
    again, placed, marked = from_kept_rows(html)
    assert placed == marked  # every row from what the first form kept
    assert_same_pages(again, whole(html), tmp_path)
    assert_same_pages(first, whole(html), tmp_path)


def test_another_persons_ratings_are_their_own(round_open, tmp_path):
    somchai = context.person_form_html(rated_for_print(round_open))
    from_kept_rows(somchai)
    malee = round_open.malee_assessment
    rate(malee, Role.SELF, round_open.malee.user, 4)
    rate(malee, Role.SUPERVISOR, round_open.head.user, 1)
    html = context.person_form_html(context.assessment_for_print(malee.pk))
    ours, placed, marked = from_kept_rows(html)
    # the indicators' lines are kept; malee's ratings (4 and 1) were never laid out before
    assert 0 < placed < marked
    assert "มาลี" in "\n".join(pages_text(ours))  # her form, not somchai's
    assert_same_pages(ours, whole(html), tmp_path)
    again, placed, marked = from_kept_rows(html)
    assert placed == marked
    assert_same_pages(again, whole(html), tmp_path)


def test_a_kept_row_that_does_not_fit_its_place_gives_the_form_laid_out_whole(
    round_open, caplog, tmp_path
):
    html = context.person_form_html(rated_for_print(round_open))
    render.make_pdf(html, render.MAX_PAGES, render.MAX_BYTES)
    key, laid = next(iter(kept_rows._lines.items()))
    kept_rows._lines[key] = kept_rows._Laid(
        laid.x, laid.y, laid.width + 30, laid.height, laid.boxes
    )
    with caplog.at_level(logging.ERROR, logger="assessments.reports.render"):
        pdf = render.make_pdf(html, render.MAX_PAGES, render.MAX_BYTES)
    assert "laid out whole instead" in caplog.text
    assert_same_pages(pdf, whole(html), tmp_path)


def test_rows_of_other_markup_are_laid_out_as_they_are():
    # a marked element holding more than a text and one box is laid out, never kept
    html = (
        '<div class="rrow" data-keep>ก <b>ข</b> ค <i>ง</i></div>'
        '<div class="rrow" data-keep>จ<span>๑</span> tail</div>'
    )
    for _ in range(2):
        _pdf, placed, marked = from_kept_rows(html)
        assert (placed, marked) == (0, 2)
    assert not kept_rows._lines


def text_boxes(document):
    """(page, text, x, y) of every text on the pages, in tree order."""
    from weasyprint.formatting_structure import boxes
    from weasyprint.layout.absolute import AbsolutePlaceholder

    found = []
    for number, page in enumerate(document.pages):
        stack = [page._page_box]
        while stack:
            box = stack.pop()
            box = box._box if isinstance(box, AbsolutePlaceholder) else box
            if isinstance(box, boxes.TextBox):
                found.append((number, box.text, round(box.position_x, 3), round(box.position_y, 3)))
            stack.extend(reversed(getattr(box, "children", ())))
    return found


def last_row_gap(document):
    """How far the first page of rows leaves its last row's text above the page's end (px)."""
    from weasyprint.formatting_structure import boxes

    for page in document.pages:
        rows = [
            box
            for box in page._page_box.descendants()
            if isinstance(box, boxes.BlockBox)
            and box.element_tag == "div"
            and box.element.get(kept_rows.KEEP) is not None
        ]
        if rows:
            end = page._page_box.content_box_y() + page._page_box.height
            return end - (rows[-1].content_box_y() + rows[-1].height)
    raise AssertionError("no rows")


def test_rows_at_the_foot_of_a_page_break_as_when_laid_out_whole(round_open):
    # a comment's length moves every row below it. Where a row's text still fits on a page but
    # its bottom padding and border do not, WeasyPrint moves it to the next page; an empty
    # block of the row's height was left on the page, and the form could have a page more.
    # Shifted so that the first page's last row ends 1 px (and a little more, or less) above
    # the page's end, and by a few amounts besides
    html = render.clean_text(context.person_form_html(rated_for_print(round_open)), multiline=True)
    heading = re.search(r'<div class="annex-part">\s*<h2[^>]*>.*?</h2>', html, re.S)
    gap = last_row_gap(render.laid_out(html, keep_rows=False))  # and keeps the rows
    render.laid_out(html)
    shifts = [gap - 1.5, gap - 1, gap - 0.5, 5, 17, 29]
    for shift in shifts:
        spacer = f'<div style="height: {shift!r}px"></div>'
        shifted = html.replace(heading[0], heading[0] + spacer)
        whole_boxes = text_boxes(render.laid_out(shifted, keep_rows=False))
        assert text_boxes(render.laid_out(shifted)) == whole_boxes, f"shifted by {shift} px"
