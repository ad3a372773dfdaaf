"""HTML → PDF with WeasyPrint. No database access: safe in worker processes.

A printed form is bounded (issue 10): after layout, a form of more than PORTAL_PDF_MAX_PAGES
pages is refused before any PDF is written, and a PDF of more than PORTAL_PDF_MAX_BYTES bytes
is refused too (FormTooLarge); the layout itself runs in a child process (workers.py) that is
stopped after PORTAL_PDF_TIMEOUT_SECONDS (FormTooSlow). A refusal carries its reason for people,
in the portal's language.
"""

import atexit
import contextlib
import logging
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_noop

from assessments.reports import kept_rows, thai_text
from competency_portal.lib.textguard import clean_text
from competency_portal.lib.thai import thai_digits

# Defaults of the three bounds (competency_portal/settings_pdf.py reads them from the
# environment). The longest form the text guard allows (every comment at 4,000 characters) has
# 13 pages, the largest file (the blank paper form) about 0.3 MB, and none takes 2 s to lay out.
MAX_PAGES = 40
MAX_BYTES = 5 * 1024 * 1024
TIMEOUT_SECONDS = 20.0


@dataclass(frozen=True)
class Limits:
    max_pages: int
    max_bytes: int
    timeout: float  # seconds; 0 lays the form out in this process, with no time bound


def limits():
    """The bounds in force (read at each form, so that tests may override them)."""
    return Limits(
        max_pages=getattr(settings, "PORTAL_PDF_MAX_PAGES", MAX_PAGES),
        max_bytes=getattr(settings, "PORTAL_PDF_MAX_BYTES", MAX_BYTES),
        timeout=getattr(settings, "PORTAL_PDF_TIMEOUT_SECONDS", TIMEOUT_SECONDS),
    )


class FormRenderRefused(Exception):
    """The portal will not make this printed form. `message` (English source, marked with
    gettext_noop) and `params` say why; `text()` gives it in words for people."""

    def __init__(self, message, **params):
        super().__init__(message % params)  # English, for the log
        self.message = message
        self.params = params

    def text(self, language=None):
        """The reason in the active language, or in `language`."""
        with translation.override(language) if language else contextlib.nullcontext():
            shown = {name: thai_digits(value) for name, value in self.params.items()}
            return translation.gettext(self.message) % shown

    def thai(self):
        """The reason in the portal's language (Thai), to be stored (a batch's failed forms)."""
        return self.text(settings.LANGUAGE_CODE)


class FormTooLarge(FormRenderRefused):
    """More pages or bytes than a printed form may have."""

    @classmethod
    def pages(cls, pages, limit):
        return cls(
            gettext_noop(
                "The form would have %(pages)s pages; a printed form may have at most "
                "%(limit)s pages."
            ),
            pages=pages,
            limit=limit,
        )

    @classmethod
    def size(cls, size, limit):
        return cls(
            gettext_noop(
                "The form would be a file of %(size)s MB; a printed form may be at most "
                "%(limit)s MB."
            ),
            size=megabytes(size),
            limit=megabytes(limit),
        )


class FormTooSlow(FormRenderRefused):
    """Layout did not finish in time; the process laying the form out was stopped."""

    @classmethod
    def after(cls, seconds):
        return cls(
            gettext_noop(
                "Laying out the form took longer than %(seconds)s seconds, so it was stopped. "
                "Try again later."
            ),
            seconds=f"{seconds:g}",
        )


def megabytes(size):
    """Bytes as megabytes, three significant digits: 5 MB as "5", 180,000 bytes as "0.172"."""
    return f"{size / (1024 * 1024):.3g}"


PRINT_CSS = Path(settings.BASE_DIR) / "static" / "reports" / "print.css"
FONT_FILES = {
    (400, "normal"): "Sarabun-Regular.ttf",
    (700, "normal"): "Sarabun-Bold.ttf",
    (400, "italic"): "Sarabun-Italic.ttf",
}


# The forms' Sarabun is built in memory from fontpkg-sarabun's files (thai_text.py: the text
# layer keeps ำ); the fetcher answers these addresses with it, and reads no file for them.
BUILT_FONTS = "file:///competency-portal/fonts/"


def font_faces():
    """@font-face rules for the forms' build of the Sarabun files of fontpkg-sarabun."""
    rules = []
    for (weight, style), name in FONT_FILES.items():
        url = BUILT_FONTS + name
        rules.append(
            f'@font-face {{ font-family: "Sarabun"; src: url("{url}"); '
            f"font-weight: {weight}; font-style: {style}; }}"
        )
    return "\n".join(rules)


def allowed_roots():
    """The only folder a printed form may read: the app's static files (its fonts are built
    in memory, BUILT_FONTS)."""
    return ((Path(settings.BASE_DIR) / "static").resolve(),)


def allowed_file(url):
    """The local path of a file:// URL inside allowed_roots(), else None."""
    parts = urlsplit(url)
    if parts.scheme.lower() != "file" or parts.netloc not in ("", "localhost"):
        return None
    path = Path(unquote(parts.path)).resolve()
    for root in allowed_roots():
        if path.is_relative_to(root) and path.is_file():
            return path
    return None


def make_fetcher():
    """A WeasyPrint URL fetcher that serves only the app's own static files and fonts and
    refuses every other URL (http, https, ftp, data, file:// elsewhere …): text typed into the
    portal can never make a form read /etc/passwd or call out to the network."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticOnlyFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            name = url.removeprefix(BUILT_FONTS)
            if url.startswith(BUILT_FONTS) and name in FONT_FILES.values():
                body = thai_text.font_bytes(name)
                return URLFetcherResponse(url, body=body, headers={"Content-Type": "font/ttf"})
            if allowed_file(url) is None:
                raise ValueError(f"Printed forms may not load {url[:80]!r}")
            return super().fetch(url, headers)

    return StaticOnlyFetcher(allowed_protocols={"file"}, allow_redirects=False, timeout=5)


class _RunningHeadStrings(logging.Filter):
    """The running head's first line is the named string of its level (print.css, .arun .rh):
    WeasyPrint fills it in on each page, and says once per form, while it builds the head from
    the document, that a string belongs in a page margin. Only that warning is left out."""

    def filter(self, record):
        message = record.getMessage()
        return not (message.startswith('"string(annexlevel') and "page margins" in message)


@cache
def _engine():
    """One FontConfiguration, stylesheet and fetcher per process, reused for every form."""
    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration

    logging.getLogger("weasyprint").addFilter(_RunningHeadStrings())
    if not fonts_subset_by_harfbuzz():
        logging.getLogger(__name__).warning(SLOW_FONT_SUBSET)
    font_config = FontConfiguration()
    fetcher = make_fetcher()
    css = font_faces() + "\n" + PRINT_CSS.read_text(encoding="utf-8")
    base_url = PRINT_CSS.as_uri()  # print.css's own url(…), dot.svg, are beside it
    stylesheet = CSS(string=css, base_url=base_url, font_config=font_config, url_fetcher=fetcher)
    for name in FONT_FILES.values():  # the fonts were built above; their glyph ids too, now
        thai_text.glyph_ids(name)
    user_agent_stylesheet()
    return font_config, stylesheet, fetcher, {}


# The fonts of a form are cut down to the glyphs it uses. HarfBuzz-Subset (Debian:
# libharfbuzz-subset0) does it in 1-2 ms a form; without it WeasyPrint falls back to fontTools,
# 0.3-0.45 s a six-page form on this project's 2-core machine (+50 % of its whole time).
# Debian's Chromium depends on that library, so a machine with the browser tests had it, and a
# server installed without Chromium did not (docs/performance.md).
SLOW_FONT_SUBSET = (
    "WeasyPrint finds no HarfBuzz-Subset (libharfbuzz-subset0): every printed form cuts its "
    "fonts down with fontTools, about 0.3 s more a form. Install it: apt-get install "
    "libharfbuzz-subset0"
)


def fonts_subset_by_harfbuzz():
    """Whether WeasyPrint cuts our forms' fonts down with HarfBuzz-Subset (the condition of
    weasyprint.pdf.fonts.Font.subset: the library, version 4.1 or newer)."""
    from weasyprint.pdf import fonts

    return bool(fonts.harfbuzz_subset) and bool(fonts.harfbuzz.hb_version_atleast(4, 1, 0))


def parsed(html, fetcher):
    """WeasyPrint's HTML document of one of our forms, its tree parsed by libxml2 (lxml).

    WeasyPrint's own parser (tinyhtml5, pure Python) took 20-25 ms of a six-page form, a
    twentieth of its time; libxml2 takes under 1 ms. Our templates' markup is well-formed, so
    both give the same tree: tests/integration/test_printed_form_work.py lays every kind of
    form out both ways and compares the pages. The document is made as HTML.__init__ makes it
    after its parse (the tree, its wrapper, the base URL, the fetcher, the media type)."""
    import cssselect2
    import lxml.html
    from weasyprint import HTML
    from weasyprint.urls import ensure_url

    parser = lxml.html.HTMLParser(encoding="utf-8", remove_comments=True, no_network=True)
    root = lxml.html.document_fromstring(html.encode("utf-8"), parser=parser)
    document = HTML.__new__(HTML)
    document.base_url = ensure_url(str(settings.BASE_DIR))
    document.url_fetcher = fetcher
    document.media_type = "print"
    document.wrapper_element = cssselect2.ElementWrapper.from_html_root(root, content_language=None)
    document.etree_element = document.wrapper_element.etree_element
    document._ua_stylesheets = _user_agent_stylesheets
    return document


# WeasyPrint's own user-agent stylesheet (html5_ua.css) gives every element six pseudo-elements
# to style: ::marker, and ::footnote-call, ::footnote-marker, ::note-call, ::note-marker and
# ::note-callback, which only an element floated to a footnote or a note uses. Our forms have
# neither lists nor notes, so those rules styled 2,160 pseudo-elements of a six-page form for
# nothing. The forms use that stylesheet with those rules left out (::marker kept for list
# items); the pages are the same (tests/integration/test_printed_form_work.py compares them
# with WeasyPrint's own), and a WeasyPrint whose stylesheet lacks one of them is refused.
# Each rule's selector, and what the forms use instead (None: nothing):
NARROWED_USER_AGENT_RULES = {
    "::marker": ":is(li, summary)::marker",
    "::footnote-call": None,
    "::footnote-marker": None,
    "::note-call": None,
    "::note-marker": None,
    "::note-callback": None,
}


def user_agent_css():
    """WeasyPrint's HTML user-agent stylesheet, as text, without the rules our forms never use
    (each of them is one line of it)."""
    from weasyprint.html import UA

    lines, seen = [], set()
    for line in UA.splitlines(keepends=True):
        selector, brace, rest = line.partition(" {")
        if not brace or selector not in NARROWED_USER_AGENT_RULES:
            lines.append(line)
            continue
        seen.add(selector)
        if narrowed := NARROWED_USER_AGENT_RULES[selector]:
            lines.append(f"{narrowed} {{{rest}")
    if missing := NARROWED_USER_AGENT_RULES.keys() - seen:
        raise RuntimeError(f"WeasyPrint's user-agent stylesheet has no rule {sorted(missing)}")
    return "".join(lines)


@cache
def user_agent_stylesheet():
    """user_agent_css(), read once per process."""
    from weasyprint import CSS
    from weasyprint.css.counters import CounterStyle

    # its @counter-style rules are WeasyPrint's, already read into the counter styles every
    # document starts from (HTML._ua_counter_style): read again, into a dictionary of their own
    return CSS(string=user_agent_css(), counter_style=CounterStyle())


def _user_agent_stylesheets(forms=False):
    """HTML._ua_stylesheets of our forms (they have no form fields: `forms` stays false)."""
    return [user_agent_stylesheet()]


# Release WeasyPrint's fonts before the interpreter tears its modules down.
atexit.register(_engine.cache_clear)


def html_to_pdf(html):
    """PDF bytes of one HTML document, A4, Sarabun embedded, within the bounds in force:
    raises FormTooLarge or FormTooSlow (both FormRenderRefused) instead."""
    bounds = limits()
    if not bounds.timeout:
        return make_pdf(html, bounds.max_pages, bounds.max_bytes)
    from assessments.reports import workers

    return workers.render(html, bounds)


def laid_out(html, keep_rows=True):
    """WeasyPrint's laid-out document of `html`, its marked rows laid out once a process
    (kept_rows.py) unless `keep_rows` is false."""
    font_config, stylesheet, fetcher, images = _engine()
    document = parsed(html, fetcher)
    rows = kept_rows.prepare(document) if keep_rows else []
    pages = document.render(stylesheets=[stylesheet], font_config=font_config, cache=images)
    try:
        kept_rows.finish(pages, rows)
    except Exception:  # Mismatch, or a WeasyPrint the copies do not suit: never a lost form
        if not rows:
            raise
        logging.getLogger(__name__).exception("kept rows: the form is laid out whole instead")
        kept_rows.forget()
        return laid_out(html, keep_rows=False)
    return pages


def make_pdf(html, max_pages, max_bytes):
    """html_to_pdf in this process, with no time bound (workers.py runs it in a child)."""
    # Text stored before the input guard existed may hold control characters (a form feed in a
    # name): they have no glyph and spoil the PDF's text layer, so they go here too.
    html = clean_text(html, multiline=True)
    document = laid_out(html)
    if len(document.pages) > max_pages:  # refused before a byte of PDF is written
        raise FormTooLarge.pages(len(document.pages), max_pages)
    pdf = document.write_pdf(uncompressed_pdf=False, finisher=thai_text.keep_thai_text)
    if len(pdf) > max_bytes:
        raise FormTooLarge.size(len(pdf), max_bytes)
    return pdf
