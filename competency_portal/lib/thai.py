"""Thai presentation: Thai digits, Buddhist Era dates (Gregorian on English pages) and the
display width of Thai text."""

import contextlib
import contextvars
import datetime
import unicodedata
from decimal import Decimal

from django.conf import settings
from django.utils import timezone
from django.utils.translation import get_language

THAI_DIGITS = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")
BE_OFFSET = 543
THAI_MONTHS = [
    "มกราคม",
    "กุมภาพันธ์",
    "มีนาคม",
    "เมษายน",
    "พฤษภาคม",
    "มิถุนายน",
    "กรกฎาคม",
    "สิงหาคม",
    "กันยายน",
    "ตุลาคม",
    "พฤศจิกายน",
    "ธันวาคม",
]


# False inside plain_digits(): what the management commands print stays in Arabic digits,
# for the scripts that read it
_digits_wanted = contextvars.ContextVar("thai_digits_wanted", default=True)


@contextlib.contextmanager
def people_digits(wanted=True):
    """Within the block, numbers in the interface's digits (Thai on Thai pages), or, with
    wanted=False, in Arabic digits whatever the language."""
    token = _digits_wanted.set(wanted)
    try:
        yield
    finally:
        _digits_wanted.reset(token)


def plain_digits():
    """Numbers in Arabic digits within the block: a command's output, read by scripts."""
    return people_digits(False)


def thai_digits(value, enabled=None):
    """'12' → '๑๒' on Thai pages (unless PORTAL_THAI_DIGITS is off, the code runs inside
    plain_digits() or `enabled` says no)."""
    if value is None:
        return ""
    if enabled is None:
        enabled = (
            settings.PORTAL_THAI_DIGITS
            and _digits_wanted.get()
            and (get_language() or "th").startswith("th")
        )
    text = str(value)
    return text.translate(THAI_DIGITS) if enabled else text


ENGLISH_MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


def thai_numbers(params):
    """A message's parameters with their numbers in the interface's digits, for messages
    whose placeholders are %(name)s: "ยังไม่ได้ประเมิน ๓๑ ข้อ", not "31"."""
    return {
        key: thai_digits(value)
        if isinstance(value, int | float | Decimal) and not isinstance(value, bool)
        else value
        for key, value in params.items()
    }


def be_date(value, with_digits=None):
    """A date in the Thai style, '24 พฤศจิกายน 2569' (Buddhist Era year); on English pages
    in the English style, '24 November 2026' (the printed forms are always Thai)."""
    if value is None or value == "":
        return ""
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        value = value.date()
    if (get_language() or "th").startswith("en"):
        return f"{value.day} {ENGLISH_MONTHS[value.month - 1]} {value.year}"
    text = f"{value.day} {THAI_MONTHS[value.month - 1]} {value.year + BE_OFFSET}"
    return thai_digits(text, with_digits)


def be_year(value):
    """Christian Era year (or date) → Buddhist Era year."""
    year = value.year if hasattr(value, "year") else int(value)
    return year + BE_OFFSET


def display_width(value):
    """Columns a text takes on screen: Thai vowel and tone marks above or below take none."""
    if value is None:
        return 0
    return sum(1 for char in str(value) if unicodedata.category(char) not in ("Mn", "Me"))


def signed(value):
    """A number with its sign, in the interface's digits: +1, 0, −2; +0.50, 0.00, −1.25.
    A dash where there is no number yet."""
    if value is None:
        return "–"
    text = f"+{value}" if value > 0 else (f"−{abs(value)}" if value < 0 else f"{abs(value)}")
    return thai_digits(text)
