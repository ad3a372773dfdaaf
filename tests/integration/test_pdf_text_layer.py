"""The printed forms' text layer keeps Thai as typed (assessments/reports/thai_text.py): what
pypdf and pdftotext extract, and what a PDF reader searches, is the text that was printed,
sara am (ำ) and the tone marks above it included, whichever word comes first on the page; and
the forms look exactly as they did with the untouched Sarabun."""

import io
import os
import shutil
import subprocess
import unicodedata

import fontpkg_sarabun
import pytest
from pypdf import PdfReader

from assessments.reports import render, thai_text

# Words where sara am follows every kind of consonant and tone mark (ป ฝ ฟ take the narrow
# marks), beside sara aa alone and after a tone mark, which must stay sara aa.
SARA_AM = ["สำเร็จ", "น้ำหนัก", "ตำแหน่ง", "คำ", "ค่ำ", "ต่ำ", "ป่ำ", "ฟ้ำ", "ต๊ำ", "ต๋ำ", "ปำ"]
SARA_AA = ["การ", "ข้าว", "ป่า", "องค์การบริหารส่วนตำบล", "นาย"]
ORDERS = {
    "sara aa first": SARA_AA + SARA_AM,
    "sara am first": SARA_AM + SARA_AA,
    "tone and sara am first": ["น้ำหนัก", *SARA_AA, *SARA_AM],
}


def tool(name):
    found = shutil.which(name)
    if found is None:
        if os.environ.get("CI"):
            pytest.fail(f"{name} not found: install poppler-utils")
        pytest.skip(f"{name} not found: install poppler-utils to read PDFs as a reader would")
    return found


def html(words, bold=False):
    text = " ".join(words)
    return f"<p>{text}</p>" + (f"<p><b>{text}</b></p>" if bold else "")


def words_of(text):
    return unicodedata.normalize("NFC", text).split()


@pytest.mark.parametrize("order", ORDERS)
def test_pypdf_gives_back_every_word_as_typed(order):
    words = ORDERS[order]
    pdf = render.html_to_pdf(html(words, bold=True))
    extracted = words_of(PdfReader(io.BytesIO(pdf)).pages[0].extract_text())
    assert extracted == words + words  # regular, then bold


@pytest.mark.parametrize("order", ORDERS)
def test_pdftotext_gives_back_every_word_as_typed(order, tmp_path):
    words = ORDERS[order]
    path = tmp_path / "form.pdf"
    path.write_bytes(render.html_to_pdf(html(words, bold=True)))
    text = subprocess.run(
        [tool("pdftotext"), str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert words_of(text) == words + words


def test_sara_am_typed_in_two_keys_reads_as_sara_am():
    # nikhahit + sara aa looks like sara am; the text layer gives the one character
    pdf = render.html_to_pdf(html(["ต\u0e4d\u0e32แหน่ง"]))
    assert words_of(PdfReader(io.BytesIO(pdf)).pages[0].extract_text()) == ["ตำแหน่ง"]


def test_the_text_layer_has_each_code_point_right():
    pdf = render.html_to_pdf(html(["น้ำ"]))
    extracted = PdfReader(io.BytesIO(pdf)).pages[0].extract_text().strip()
    assert [f"U+{ord(c):04X}" for c in extracted] == ["U+0E19", "U+0E49", "U+0E33"]


def _pixels(pdf, tmp_path, name):
    path = tmp_path / f"{name}.pdf"
    path.write_bytes(pdf)
    subprocess.run(
        [tool("pdftoppm"), "-r", "150", "-gray", "-singlefile", str(path), str(tmp_path / name)],
        check=True,
    )
    return (tmp_path / f"{name}.pgm").read_bytes()


def _faces(url_of):
    return "".join(
        f'@font-face{{font-family:Sarabun;src:url("{url_of(name)}");'
        f"font-weight:{weight};font-style:{style}}}"
        for (weight, style), name in render.FONT_FILES.items()
    )


def test_the_forms_look_exactly_as_with_the_untouched_font(tmp_path):
    from weasyprint import HTML

    words = ORDERS["sara aa first"] + ["ปํา"]
    body = "".join(f"<p{style}>{' '.join(words)}</p>" for style in ["", ' style="font-weight:700"'])
    page = "<style>{faces} body{{font-family:Sarabun;font-size:15pt}}</style>" + body
    original = HTML(
        string=page.format(faces=_faces(lambda n: (fontpkg_sarabun.ROOT / "files" / n).as_uri()))
    ).write_pdf()
    built = HTML(
        string=page.format(faces=_faces(lambda n: render.BUILT_FONTS + n)),
        url_fetcher=render.make_fetcher(),
    ).write_pdf(finisher=thai_text.keep_thai_text)
    assert _pixels(original, tmp_path, "original") == _pixels(built, tmp_path, "built")


def test_a_persons_printed_form_can_be_searched_for_words_with_sara_am(rated_form_pdf):
    text = unicodedata.normalize("NFC", "".join(p.extract_text() for p in rated_form_pdf.pages))
    for word in ["ตำแหน่ง", "สำเร็จ", "องค์การบริหารส่วนตำบล"]:
        assert word in text, word
    assert "ตาแหน่ง" not in text and "สาเร็จ" not in text


@pytest.fixture
def rated_form_pdf(round_open):
    from assessments.reports import context

    html_text = context.person_form_html(round_open.somchai_assessment)
    return PdfReader(io.BytesIO(render.html_to_pdf(html_text)))


def test_bold_italic_text_keeps_sara_am_too():
    # no bold italic face is declared: the font machinery makes one from a declared file
    # (น้ำ first: left to WeasyPrint, the copy of SARA AA would read "้ำ" in คำ as well)
    pdf = render.html_to_pdf("<p><b><i>น้ำ คำ การ</i></b></p>")
    assert words_of(PdfReader(io.BytesIO(pdf)).pages[0].extract_text()) == ["น้ำ", "คำ", "การ"]


def test_every_built_file_gives_the_glyphs_concerned_the_same_ids():
    ids = {name: thai_text.glyph_ids(name) for name in render.FONT_FILES.values()}
    assert len({tuple(sorted(found.items())) for found in ids.values()}) == 1


def test_a_map_without_the_glyphs_concerned_gets_them():
    # a ToUnicode map built from the font's character map (full fonts, form fields) has no
    # entry for SARA AA's copy: the finisher adds one
    class Stream:
        stream = [b"1 beginbfchar", b"<01e8> <0e32>", b"endbfchar", b"endcmap"]

    texts = {0x1E8: "\u0e32", 0x309: "\u0e33"}
    thai_text._rewrite(Stream, texts)
    assert b"<0309> <0e33>" in Stream.stream
    assert Stream.stream.index(b"<0309> <0e33>") < Stream.stream.index(b"endcmap")
