"""Printed forms and hostile text (issue 10, point 5): no stored text inside the form's CSS
(the footer is a WeasyPrint running element, escaped HTML), and a URL fetcher that reads only
the app's own static files and the Sarabun font."""

import io
import re
import unicodedata
from pathlib import Path

import fontpkg_sarabun
import pytest
from django.conf import settings
from pypdf import PdfReader

from assessments.models import Employee
from assessments.reports import render
from tests.cast import open_round
from tests.pdfs import form_pdf

CSS_BREAKOUT = "\x0c}}body{display:none}@page{x:"
FILE_FETCH = "body{background:url(file:///etc/passwd)}"
PASSWD = Path("/etc/passwd")


def searchable(text):
    return re.sub(r"\s+", "", unicodedata.normalize("NFC", text))


def named(cast, last_name):
    """somchai's round, opened after his last name was set to `last_name` (as old data)."""
    Employee.objects.filter(pk=cast.somchai.pk).update(last_name=last_name)
    open_round(cast)
    return cast.somchai_assessment


def test_a_name_that_breaks_out_of_a_css_string_prints_normally(cast):
    assessment = named(cast, "ใจดี" + CSS_BREAKOUT)
    pdf = form_pdf(assessment)
    pages = PdfReader(io.BytesIO(pdf)).pages
    assert len(pages) > 1  # body{display:none} would leave one empty page
    texts = [searchable(page.extract_text()) for page in pages]
    for number, text in enumerate(texts, start=1):
        # the footer still names the person on every page, the injected CSS shown as text
        assert "สมชายใจดี" in text, f"page {number}"
        assert "}}body{display:none}@page{x:" in text, f"page {number}"
    assert "การมุ่งมั่นสู่ความสำเร็จ" in texts[0]  # the body is there


@pytest.mark.skipif(not PASSWD.exists(), reason="no /etc/passwd on this machine")
def test_a_name_that_asks_for_a_local_file_does_not_embed_it(cast):
    assessment = named(cast, "ใจดี" + FILE_FETCH)
    pdf = form_pdf(assessment)
    assert b"root:x:0:0" not in pdf
    reader = PdfReader(io.BytesIO(pdf))
    assert not reader.attachments
    assert "สมชายใจดี" in searchable(reader.pages[0].extract_text())


@pytest.mark.skipif(not PASSWD.exists(), reason="no /etc/passwd on this machine")
def test_the_fetcher_refuses_files_outside_the_app_even_in_html():
    # A PDF attachment is the way WeasyPrint would copy a file's bytes into the PDF.
    html = (
        '<html><head><link rel="attachment" href="file:///etc/passwd"></head>'
        '<body><p>ทดสอบ</p><img src="file:///etc/passwd">'
        '<img src="http://127.0.0.1:9/x.png"><img src="data:image/png;base64,iVBORw0KGgo="></body>'
        "</html>"
    )
    pdf = render.html_to_pdf(html)
    reader = PdfReader(io.BytesIO(pdf))
    assert not reader.attachments
    assert b"root:x:0:0" not in pdf


def test_only_the_built_fonts_and_static_files_may_be_fetched():
    font = (fontpkg_sarabun.ROOT / "files" / "Sarabun-Regular.ttf").as_uri()
    css = (Path(settings.BASE_DIR) / "static" / "reports" / "print.css").as_uri()
    assert render.allowed_file(font) is None  # the forms use their build, made in memory
    built = render.make_fetcher().fetch(render.BUILT_FONTS + "Sarabun-Regular.ttf")
    assert built.read(4) == b"\x00\x01\x00\x00"  # a TrueType font
    with pytest.raises(ValueError):
        render.make_fetcher().fetch(render.BUILT_FONTS + "../../etc/passwd")
    assert render.allowed_file(css) is not None
    for url in [
        "file:///etc/passwd",
        css.replace("/static/reports/print.css", "/static/../manage.py"),
        css.replace("/print.css", "/%2e%2e/%2e%2e/manage.py"),
        "http://127.0.0.1/",
        "https://example.org/font.ttf",
        "ftp://example.org/x",
        "data:text/plain,root:x:0:0",
        "file://evil.example.org/etc/passwd",
    ]:
        assert render.allowed_file(url) is None, url
    fetcher = render.make_fetcher()
    with pytest.raises(ValueError):
        fetcher.fetch("file:///etc/passwd")
    with pytest.raises(ValueError):
        fetcher.fetch("http://127.0.0.1:9/")
