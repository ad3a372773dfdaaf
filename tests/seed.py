"""Reading the seed document itself, to compare the database with it.

The seed was extracted from a table: markup, tabs and line wraps are layout, and in places a
cell's text was moved around. So the comparison ignores white space, and checks that each
title and indicator appears whole in its own level's part of the seed and that, once every
one of them is taken out, nothing of that part is left over.
"""

import re

from django.conf import settings

SEED_NAME = "000_a19369cc96a3edcd.txt"
SEED_COPY = settings.BASE_DIR / "fixtures" / "source" / SEED_NAME
SEED_SHARED = settings.BASE_DIR.parent / "shared" / "seed" / SEED_NAME
CODES = ["ACH", "COM", "SDEV", "LOCAL"]
THAI_DIGITS = "๐๑๒๓๔๕๖๗๘๙"
PAGE_HEADERS = ["สมรรถนะหลัก(CoreCompetency)", "องค์การบริหารส่วนตำบลคลองขวาง"]


def squeeze(text):
    """Drop markup and every kind of white space."""
    return re.sub(r"</?p>|\s+", "", text)


def thai_number(number):
    return "".join(THAI_DIGITS[int(d)] for d in str(number))


def seed_sections():
    """{code: (name line, definition, {level number: squeezed text of that level})}."""
    text = squeeze(SEED_COPY.read_text(encoding="utf-8"))
    for header in PAGE_HEADERS:
        text = text.replace(header, "")
    sections = {}
    for code, part in zip(CODES, text.split("ชื่อสมรรถนะ:")[1:], strict=True):
        head, levels_part = part.split("ความหมายของระดับคำอธิบายพฤติกรรม")
        name, definition = head.split("คำจำกัดความ:")
        chunks = re.split(r"ระดับ([๑-๕])", levels_part)[1:]
        levels = {
            THAI_DIGITS.index(n): body for n, body in zip(chunks[::2], chunks[1::2], strict=True)
        }
        sections[code] = (name, definition, levels)
    return sections


def leftover_of_level(seed_text, title, indicators):
    """Take the title and each numbered indicator out of the level's seed text, once each.

    Returns what is left (empty when the level is complete) or raises AssertionError naming
    the first piece that is not found whole.
    """
    for number, text in indicators:
        piece = thai_number(number) + "." + squeeze(text)
        assert piece in seed_text, f"indicator {number} not found whole: {text}"
        seed_text = seed_text.replace(piece, "", 1)
    piece = squeeze(title)
    assert piece in seed_text, f"title not found whole: {title}"
    return seed_text.replace(piece, "", 1)
