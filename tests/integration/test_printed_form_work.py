"""A printed form costs the engine no more work than its content needs (issue 13, item 9):
every page is laid out once, and the dotted lines to write on are one repeated dot, not
thousands of drawn ones. Read from WeasyPrint's own progress log and from the file itself."""

import logging
import re

import pytest

from assessments.models import Role
from assessments.reports import context, render
from tests.pdfs import page_images, pages_text, rated_for_print


@pytest.fixture
def rated(round_open):
    return rated_for_print(round_open)


def layouts_per_page(html, settings, caplog):
    """{page number: how many times WeasyPrint laid that page out} for one form."""
    settings.PORTAL_PDF_TIMEOUT_SECONDS = 0  # in this process, where its log is read
    with caplog.at_level(logging.INFO, logger="weasyprint.progress"):
        pdf = render.html_to_pdf(html)
    pages = [
        int(match[1])
        for record in caplog.records
        if (match := re.fullmatch(r"Step 5 - Creating layout - Page (\d+)", record.getMessage()))
    ]
    return pdf, {page: pages.count(page) for page in pages}


def test_each_page_of_a_persons_form_is_laid_out_once(rated, settings, caplog):
    # a running element per level made WeasyPrint lay out again every page that met a new one
    pdf, layouts = layouts_per_page(context.person_form_html(rated), settings, caplog)
    assert len(layouts) >= 5
    assert set(layouts.values()) == {1}, layouts


@pytest.mark.parametrize("role", [Role.SELF, Role.SUPERVISOR])
def test_each_page_of_a_paper_form_is_laid_out_once(rated, settings, caplog, role):
    pdf, layouts = layouts_per_page(context.blank_form_html(rated, role), settings, caplog)
    assert len(layouts) >= 4
    assert set(layouts.values()) == {1}, layouts


def test_the_lines_to_write_on_keep_the_file_small(rated, settings, caplog):
    # drawn dot by dot (a dotted border), the lines made a person's form 300 KB, a paper form
    # 180 KB; as one repeated dot, each is under 100 KB
    person, _ = layouts_per_page(context.person_form_html(rated), settings, caplog)
    paper, _ = layouts_per_page(context.blank_form_html(rated, Role.SELF), settings, caplog)
    assert len(person) < 100_000
    assert len(paper) < 100_000


def weasyprints_own_parse(html):
    """The PDF as WeasyPrint makes it from the string with its own HTML parser (tinyhtml5): the
    oracle for render.parsed, which gives WeasyPrint a tree parsed by libxml2."""
    from django.conf import settings as django_settings
    from weasyprint import HTML

    from assessments.reports import thai_text

    font_config, stylesheet, fetcher, images = render._engine()
    html = render.clean_text(html, multiline=True)
    document = HTML(string=html, base_url=str(django_settings.BASE_DIR), url_fetcher=fetcher)
    laid_out = document.render(stylesheets=[stylesheet], font_config=font_config, cache=images)
    return laid_out.write_pdf(uncompressed_pdf=False, finisher=thai_text.keep_thai_text)


FORMS = {
    "person": lambda a: context.person_form_html(a),
    "annual": lambda a: context.annual_form_html([a]),
    "paper, self": lambda a: context.blank_form_html(a, Role.SELF),
    "paper, supervisor": lambda a: context.blank_form_html(a, Role.SUPERVISOR),
    "agreement": lambda a: context.agreement_form_html(a),
}


@pytest.mark.parametrize("kind", FORMS)
def test_our_parse_of_a_form_prints_the_pages_weasyprints_own_parse_prints(rated, tmp_path, kind):
    html = FORMS[kind](rated)
    ours = render.make_pdf(html, render.MAX_PAGES, render.MAX_BYTES)
    theirs = weasyprints_own_parse(html)
    assert pages_text(ours) == pages_text(theirs)
    ours_pages = page_images(ours, tmp_path, "ours")
    assert len(ours_pages) >= 1
    assert ours_pages == page_images(theirs, tmp_path, "theirs"), f"{kind}: pages differ"


def test_the_forms_user_agent_stylesheet_is_weasyprints_less_the_notes():
    # the forms have no footnotes, notes or lists: WeasyPrint's rules for them, which styled six
    # pseudo-elements of every element, are left out (::marker kept for list items); every
    # other line is WeasyPrint's own. The pages are the same: the test above compares them.
    from weasyprint.html import UA

    expected = []
    for line in UA.splitlines():
        if line.startswith(("::footnote-", "::note-")):
            continue
        if line.startswith("::marker {"):
            line = ":is(li, summary)" + line
        expected.append(line)
    assert render.user_agent_css().splitlines() == expected
    assert len(UA.splitlines()) - len(expected) == 5


def test_every_form_is_styled_by_that_stylesheet():
    document = render.parsed("<p>ก</p>", render._engine()[2])
    assert document._ua_stylesheets() == [render.user_agent_stylesheet()]
