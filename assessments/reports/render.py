"""HTML → PDF with WeasyPrint. No database access: safe in worker processes."""

import atexit
from functools import cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

import fontpkg_sarabun
from django.conf import settings

from competency_portal.lib.textguard import clean_text

PRINT_CSS = Path(settings.BASE_DIR) / "static" / "reports" / "print.css"
FONT_FILES = {
    (400, "normal"): "Sarabun-Regular.ttf",
    (700, "normal"): "Sarabun-Bold.ttf",
    (400, "italic"): "Sarabun-Italic.ttf",
}


def font_faces():
    """@font-face rules for the Sarabun files shipped by fontpkg-sarabun (local files only)."""
    rules = []
    for (weight, style), name in FONT_FILES.items():
        url = (fontpkg_sarabun.ROOT / "files" / name).as_uri()
        rules.append(
            f'@font-face {{ font-family: "Sarabun"; src: url("{url}"); '
            f"font-weight: {weight}; font-style: {style}; }}"
        )
    return "\n".join(rules)


def allowed_roots():
    """The only folders a printed form may read: the Sarabun font files and the app's static
    files."""
    return (
        (fontpkg_sarabun.ROOT / "files").resolve(),
        (Path(settings.BASE_DIR) / "static").resolve(),
    )


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
    from weasyprint.urls import URLFetcher

    class StaticOnlyFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            if allowed_file(url) is None:
                raise ValueError(f"Printed forms may not load {url[:80]!r}")
            return super().fetch(url, headers)

    return StaticOnlyFetcher(allowed_protocols={"file"}, allow_redirects=False, timeout=5)


@cache
def _engine():
    """One FontConfiguration, stylesheet and fetcher per process, reused for every form."""
    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration

    font_config = FontConfiguration()
    fetcher = make_fetcher()
    css = font_faces() + "\n" + PRINT_CSS.read_text(encoding="utf-8")
    stylesheet = CSS(string=css, font_config=font_config, url_fetcher=fetcher)
    return font_config, stylesheet, fetcher, {}


# Release WeasyPrint's fonts before the interpreter tears its modules down.
atexit.register(_engine.cache_clear)


def html_to_pdf(html):
    """PDF bytes of one HTML document, A4, Sarabun embedded."""
    from weasyprint import HTML

    font_config, stylesheet, fetcher, images = _engine()
    # Text stored before the input guard existed may hold control characters (a form feed in a
    # name): they have no glyph and spoil the PDF's text layer, so they go here too.
    html = clean_text(html, multiline=True)
    document = HTML(string=html, base_url=str(settings.BASE_DIR), url_fetcher=fetcher)
    return document.write_pdf(
        stylesheets=[stylesheet], font_config=font_config, cache=images, uncompressed_pdf=False
    )
