"""The printed forms' text layer keeps Thai as typed: copying or searching a form gives "สำเร็จ",
"น้ำหนัก", "ตำแหน่ง", not "สาเร็จ", "นาหนัก", "ตาแหน่ง".

Why it went wrong: HarfBuzz draws SARA AM (ำ) as two glyphs, NIKHAHIT (moved before any tone
mark, with which Sarabun joins it into one glyph, "uni0E4D0E49" for ้ำ) and SARA AA. A PDF
maps each glyph to one text (its ToUnicode map), and WeasyPrint takes that text from the
first place it meets the glyph: the same SARA AA glyph stands for "า" in "การ" and for the
"ำ" in "สำเร็จ", so one of the two comes back wrong, and the tone mark of ้ำ is lost.

The fix, in two parts, leaves every glyph where it was:
- the forms use a build of Sarabun (made here in memory from the fontpkg-sarabun files, once
  per process) with one more glyph, "uni0E32.am": SARA AA drawn after a NIKHAHIT, a copy of
  "uni0E32". A chained substitution appended to the font's 'ccmp' feature puts it wherever
  SARA AA follows a NIKHAHIT glyph;
- `keep_thai_text`, WeasyPrint's finisher, gives those glyphs a fixed text: "uni0E32.am" is
  "ำ", a NIKHAHIT glyph is its tone mark or nothing, "uni0E32" is "า".
A NIKHAHIT typed on its own (Pali, never in these forms) is left out of the text layer; one
typed with SARA AA ("ํา", a sara am typed in two keys) comes back as "ำ".
"""

import copy
import io
import re
from functools import cache

import fontpkg_sarabun
from fontTools.ttLib import TTFont
from fontTools.ttLib.tables import otTables

SARA_AA = "uni0E32"
SARA_AA_AFTER_NIKHAHIT = "uni0E32.am"
TONES = {"0E48": "\u0e48", "0E49": "\u0e49", "0E4A": "\u0e4a", "0E4B": "\u0e4b"}
# the NIKHAHIT glyphs of Sarabun (alone, joined with a tone mark; ".narrow" over ป ฝ ฟ)
NIKHAHIT_TEXT = {
    f"uni0E4D{tone}{variant}": TONES.get(tone, "")
    for tone in ["", *TONES]
    for variant in ["", ".narrow"]
}
TONE_GLYPHS = [f"uni{tone}{variant}" for tone in TONES for variant in ["", ".narrow", ".small"]]
# What each glyph concerned stands for in the text layer, whatever WeasyPrint met first.
GLYPH_TEXT = {SARA_AA: "\u0e32", SARA_AA_AFTER_NIKHAHIT: "\u0e33", **NIKHAHIT_TEXT}


@cache
def font_bytes(file_name):
    """The TrueType bytes of Sarabun's `file_name` ("Sarabun-Bold.ttf") with SARA AM's glyph."""
    # no new modification time: the same form gives the same PDF bytes in every process
    font = TTFont(str(fontpkg_sarabun.ROOT / "files" / file_name), recalcTimestamp=False)
    _add_sara_aa_copy(font)
    _substitute_after_nikhahit(font)
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


@cache
def glyph_ids(file_name):
    """{glyph id: text} of the glyphs concerned, in the build of `file_name`."""
    font = TTFont(io.BytesIO(font_bytes(file_name)), lazy=True)
    order = font.getGlyphOrder()
    return {order.index(name): text for name, text in GLYPH_TEXT.items() if name in order}


def _add_sara_aa_copy(font):
    glyf, hmtx = font["glyf"], font["hmtx"]
    order = list(font.getGlyphOrder())
    glyf[SARA_AA_AFTER_NIKHAHIT] = copy.deepcopy(glyf[SARA_AA])
    hmtx[SARA_AA_AFTER_NIKHAHIT] = hmtx[SARA_AA]
    font.setGlyphOrder([*order, SARA_AA_AFTER_NIKHAHIT])
    glyf.glyphOrder = font.getGlyphOrder()


def _coverage(font, names):
    coverage = otTables.Coverage()
    present = set(font.getGlyphOrder())
    coverage.glyphs = sorted((n for n in names if n in present), key=font.getGlyphID)
    return coverage


def _lookup(lookup_type, subtables):
    lookup = otTables.Lookup()
    lookup.LookupType = lookup_type
    lookup.LookupFlag = 0
    lookup.SubTable = subtables
    lookup.SubTableCount = len(subtables)
    return lookup


def _chain_rule(font, backtrack, substitution_index):
    """SARA AA preceded by `backtrack` (nearest first) → lookup `substitution_index`."""
    rule = otTables.ChainContextSubst()
    rule.Format = 3
    rule.BacktrackCoverage = [_coverage(font, names) for names in backtrack]
    rule.BacktrackGlyphCount = len(backtrack)
    rule.InputCoverage = [_coverage(font, [SARA_AA])]
    rule.InputGlyphCount = 1
    rule.LookAheadCoverage = []
    rule.LookAheadGlyphCount = 0
    record = otTables.SubstLookupRecord()
    record.SequenceIndex = 0
    record.LookupListIndex = substitution_index
    rule.SubstLookupRecord = [record]
    rule.SubstCount = 1
    return rule


def _substitute_after_nikhahit(font):
    """Append to GSUB, after Sarabun's own lookups: SARA AA right after a NIKHAHIT glyph (or
    after a NIKHAHIT and a tone mark the font did not join) becomes SARA_AA_AFTER_NIKHAHIT."""
    gsub = font["GSUB"].table
    lookups = gsub.LookupList.Lookup
    single = otTables.SingleSubst()
    single.mapping = {SARA_AA: SARA_AA_AFTER_NIKHAHIT}
    lookups.append(_lookup(1, [single]))
    single_index = len(lookups) - 1
    nikhahit = list(NIKHAHIT_TEXT)
    rules = [
        _chain_rule(font, [nikhahit], single_index),
        _chain_rule(font, [TONE_GLYPHS, nikhahit], single_index),
    ]
    lookups.append(_lookup(6, rules))
    chain_index = len(lookups) - 1
    gsub.LookupList.LookupCount = len(lookups)
    for record in gsub.FeatureList.FeatureRecord:
        if record.FeatureTag == "ccmp":
            record.Feature.LookupListIndex.append(chain_index)
            record.Feature.LookupCount = len(record.Feature.LookupListIndex)


# ---------------------------------------------------------------- the PDF's text layer

BASE_FONT_FILES = {
    "Sarabun": "Sarabun-Regular.ttf",
    "Sarabun-Bold": "Sarabun-Bold.ttf",
    "Sarabun-Italic": "Sarabun-Italic.ttf",
}
_ENTRY = re.compile(rb"^<([0-9a-f]{4})> <([0-9a-f]*)>$")


def keep_thai_text(document, pdf):
    """WeasyPrint's finisher (Document.write_pdf(finisher=…)): the fixed text of every glyph
    in GLYPH_TEXT, in the ToUnicode map of each Sarabun font of `pdf` (a pydyf.PDF)."""
    for font in pdf.objects:
        file_name = _sarabun_file(font)
        if file_name is None or "ToUnicode" not in font:
            continue
        number = int(font["ToUnicode"].split()[0])
        _rewrite(pdf.objects[number], glyph_ids(file_name))


def _sarabun_file(font):
    """The Sarabun file a PDF font comes from, by the name WeasyPrint gives it ("ABCDEF+Sarabun",
    "…+Sarabun-Bold"); a style the forms do not declare (bold italic, synthesised by the font
    machinery from one of them) is read with the regular file's glyph ids, which every Sarabun
    file shares (tests/integration/test_pdf_text_layer.py checks it)."""
    if not hasattr(font, "get") or font.get("Subtype") != "/Type0":
        return None
    base_font = font.get("BaseFont", b"")
    base_font = base_font.decode() if isinstance(base_font, bytes) else str(base_font)
    name = base_font.rpartition("+")[2]
    if not name.startswith("Sarabun"):
        return None
    return BASE_FONT_FILES.get(name, BASE_FONT_FILES["Sarabun"])


def _rewrite(stream, texts):
    """Set the text of every glyph of `texts` in a ToUnicode stream: the entries WeasyPrint
    wrote are changed in place, and those it did not write (a map built from the font's own
    character map, with full fonts or form fields) are added before its end."""
    lines = stream.stream
    missing = dict(texts)
    for index, line in enumerate(lines):
        match = _ENTRY.match(line) if isinstance(line, bytes) else None
        if match and int(match[1], 16) in texts:
            glyph = int(match[1], 16)
            lines[index] = _entry(glyph, texts[glyph])
            missing.pop(glyph, None)
    if missing and b"endcmap" in lines:
        block = [f"{len(missing)} beginbfchar".encode()]
        block += [_entry(glyph, text) for glyph, text in sorted(missing.items())]
        block.append(b"endbfchar")
        at = lines.index(b"endcmap")
        lines[at:at] = block


def _entry(glyph, text):
    return f"<{glyph:04x}> <{text.encode('utf-16-be').hex()}>".encode()
