"""HTML → PDF with WeasyPrint. No database access: safe in worker processes."""

import atexit
from functools import cache
from pathlib import Path

import fontpkg_sarabun
from django.conf import settings

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


@cache
def _engine():
    """One FontConfiguration, stylesheet and fetcher per process, reused for every form."""
    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration
    from weasyprint.urls import URLFetcher

    font_config = FontConfiguration()
    fetcher = URLFetcher(allowed_protocols={"file", "data"})
    css = font_faces() + "\n" + PRINT_CSS.read_text(encoding="utf-8")
    stylesheet = CSS(string=css, font_config=font_config, url_fetcher=fetcher)
    return font_config, stylesheet, fetcher, {}


# Release WeasyPrint's fonts before the interpreter tears its modules down.
atexit.register(_engine.cache_clear)


def html_to_pdf(html):
    """PDF bytes of one HTML document, A4, Sarabun embedded."""
    from weasyprint import HTML

    font_config, stylesheet, fetcher, images = _engine()
    document = HTML(string=html, base_url=str(settings.BASE_DIR), url_fetcher=fetcher)
    return document.write_pdf(
        stylesheets=[stylesheet], font_config=font_config, cache=images, uncompressed_pdf=False
    )
