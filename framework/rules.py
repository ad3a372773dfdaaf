"""The framework's rules, each written once: pure checks on plain values, without the database.

The editor and publishing (framework/services.py) and the JSON import (framework/exchange.py)
all decide here what a valid code, rating scale, set of levels, pass share and expected level
is. Each caller phrases a refusal for its own reader (a sentence on a page, or a problem placed
in a file); a sentence that two callers say word for word is kept here.
"""

import re
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

LEVEL_NUMBERS = range(1, 6)  # a competency has exactly these five levels
EXPECTED_LEVELS = range(0, 6)  # 0: nothing is expected of the position class
CODE_MAX_LENGTH = 20
CODE_PATTERN = r"^[A-Z][A-Z0-9_-]*$"  # a capital Latin letter, then capitals, digits, - or _
SHARE_STEP = Decimal("0.001")  # a pass share has three decimals


def is_whole(value):
    """A whole number (an int, but not True or False)."""
    return isinstance(value, int) and not isinstance(value, bool)


# -- competency codes


def normal_code(raw):
    """A code as HR types it in the editor: spaces around it dropped, letters made capitals."""
    return (raw or "").strip().upper()


def code_is_well_formed(code):
    """A capital Latin letter first, then only capital Latin letters, digits, - or _."""
    return isinstance(code, str) and re.fullmatch(CODE_PATTERN, code) is not None


def code_fits(code):
    """Not longer than CODE_MAX_LENGTH characters."""
    return len(code) <= CODE_MAX_LENGTH


def is_competency_code(code):
    """Well formed and short enough: a code a competency may have."""
    return code_is_well_formed(code) and code_fits(code)


# -- the rating scale


def repeated(values):
    """The values given more than once, each named once, in the order they first repeat.
    None (a value that could not be read) is left out."""
    seen, again = set(), []
    for value in values:
        if value is None:
            continue
        if value in seen and value not in again:
            again.append(value)
        seen.add(value)
    return again


def scale_splits(demonstrated):
    """True when at least one point counts as demonstrated and at least one does not."""
    flags = [bool(flag) for flag in demonstrated]
    return any(flags) and not all(flags)


def scale_problems(points):
    """Why a rating scale cannot be used, as sentences for the editor and for publishing
    (empty when it can). points: (value, Thai label, counts as demonstrated) for each point."""
    points = list(points)
    problems = []
    if repeated(value for value, _label, _flag in points):
        problems.append(_("Two points of the scale have the same value."))
    if any(not (label or "").strip() for _value, label, _flag in points):
        problems.append(_("Every point of the scale needs a Thai label."))
    if not scale_splits(flag for _value, _label, flag in points):
        problems.append(
            _(
                "The rating scale needs at least one point that counts as demonstrated and one "
                "that does not."
            )
        )
    return problems


# -- levels and their indicators


def has_five_levels(numbers):
    """True when the level numbers are exactly 1, 2, 3, 4 and 5, each once."""
    return sorted(numbers) == list(LEVEL_NUMBERS)


def without_indicator(levels):
    """The levels that have no behaviour indicator, in the order given.

    levels: (key, indicators) pairs; the key is what names the level to the caller (its number,
    or its place in a file), and is what comes back.
    """
    return [key for key, indicators in levels if not list(indicators)]


# -- the pass share


def share_in_range(share):
    """True for a finite Decimal above 0 and at most 1."""
    return share.is_finite() and Decimal(0) < share <= 1


def share_is_exact(share):
    """True when the share has no more than three decimals."""
    return share == share.quantize(SHARE_STEP)


def round_share(share):
    """The share with three decimals, as it is stored."""
    return share.quantize(SHARE_STEP)


def parse_share(raw):
    """The pass share as HR types it: "0.8", "0,8" or "80" (per cent) give Decimal("0.800").

    Raises ValidationError for anything else, and for a share that rounds to 0.000.
    """
    refusal = ValidationError(_("The pass share must be a number from 0.001 to 1."))
    try:
        share = Decimal(str(raw).strip().replace(",", "."))
    except (InvalidOperation, ValueError):
        raise refusal from None
    if share.is_finite() and 1 < share <= 100:
        share = share / 100  # "80" means 80 %
    if not share_in_range(share) or not share_in_range(round_share(share)):
        raise refusal
    return round_share(share)


# -- expected levels


def is_expected_level(value):
    """A whole number from 0 to 5: the level a position class is expected to show."""
    return is_whole(value) and value in EXPECTED_LEVELS
