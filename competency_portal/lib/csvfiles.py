"""CSV files in: decoding, the header check, rows with their line numbers, and messages that
name the line and column in Thai. Every importer (staff, paper ratings) reads through here."""

import csv
import io
import os
import re
from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from competency_portal.lib.textguard import clean_text
from competency_portal.lib.thai import thai_numbers


class ImportErrors(ValidationError):
    """The file was refused and nothing changed: `messages` lists every problem found, each
    with its line and column; `report` is what was understood of the file."""

    def __init__(self, messages, report=None):
        super().__init__(list(messages))
        self.report = report


def check_header(header, expected, *, exact=False):
    """Refuse a header row that lacks, adds or repeats columns. (`exact` is kept for the
    callers: a repeated column is refused by every importer.)"""
    names = [clean_text(str(name)).strip() for name in header]
    repeated = list(dict.fromkeys(name for name in names if names.count(name) > 1))
    if repeated:
        message = _("The column %(columns)s appears more than once in the header row.") % {
            "columns": ", ".join(repeated)
        }
        raise ImportErrors([line_error(1, message)])
    missing = [column for column in expected if column not in names]
    unknown = [name for name in names if name not in expected]
    if not missing and not unknown:
        return
    message = _("The header row must name the columns %(columns)s.") % {
        "columns": ",".join(expected)
    }
    if missing:
        message += " " + _("Missing: %(columns)s.") % {"columns": ", ".join(missing)}
    if unknown:
        message += " " + _("Unknown: %(columns)s.") % {"columns": ", ".join(unknown)}
    raise ImportErrors([line_error(1, message)])


def read_csv_rows(text, expected, *, exact=False):
    """([(line, {column: stripped value})], [(line, message)]) of a CSV text whose header names
    the `expected` columns; blank lines are skipped, lines of the wrong length reported."""
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader, None)
        if header is None:
            raise ImportErrors([_("The file is empty.")])
        check_header(header, expected, exact=exact)
        names = [clean_text(name).strip() for name in header]
        rows, errors = [], []
        for cells in reader:
            if not any(cell.strip() for cell in cells):
                continue
            if len(cells) != len(names):
                line = reader.line_num
                errors.append((line, cell_count_error(line, len(cells), len(names))))
                continue
            row = dict(zip(names, cells, strict=True))
            rows.append((reader.line_num, {c: clean_cell(row.get(c)) for c in expected}))
    except csv.Error as error:
        raise ImportErrors([line_error(reader.line_num, str(error))]) from error
    return rows, errors


def clean_cell(value):
    """A cell as one line of safe text (competency_portal.lib.textguard), stripped."""
    return "" if value is None else clean_text(str(value)).strip()


def cell_count_error(line, found, expected):
    message = _("this line has %(found)s cells, the header has %(expected)s.") % thai_numbers(
        {"found": found, "expected": expected}
    )
    return line_error(line, message)


def line_error(line, message):
    return _("Line %(line)s: %(message)s") % thai_numbers({"line": line, "message": message})


def cell_error(line, column, message):
    return _("Line %(line)s, column %(column)s: %(message)s") % thai_numbers(
        {"line": line, "column": column, "message": message}
    )


def decode_text(source):
    if isinstance(source, os.PathLike):
        source = Path(source).read_bytes()
    if hasattr(source, "read"):
        source = source.read()
    if isinstance(source, bytes):
        try:
            source = source.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise ImportErrors(
                [_('The file is not UTF-8 text. Save it as "CSV UTF-8" and try again.')]
            ) from error
    return source.removeprefix("\ufeff")


# ---------------------------------------------------------------- CSV out

# A spreadsheet runs a cell that starts with one of these as a formula (OWASP "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBER = re.compile(r"[+-]?\d+(\.\d+)?")


def safe_cell(value):
    """A cell a spreadsheet shows as text: a string that could start a formula gets a leading
    apostrophe; numbers (a gap of -1, as a number or as text) and empty cells stay as they are."""
    if value is None:
        return ""
    formula = isinstance(value, str) and value.startswith(FORMULA_STARTS)
    if formula and not PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


def csv_text(rows, *, bom=True, lineterminator="\r\n"):
    """CSV text of `rows` (header first) with every cell made safe; a byte-order mark by
    default, so that spreadsheets read the Thai as UTF-8."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator=lineterminator)
    for row in rows:
        writer.writerow([safe_cell(value) for value in row])
    return ("\ufeff" if bom else "") + buffer.getvalue()
