"""Moving a framework version in and out of the portal as a file.

Export writes a whole version (scale, competencies, levels, indicators, position classes and
expected levels) as JSON, losslessly, or its indicators as a flat CSV for a spreadsheet. Import
reads such a JSON file back as a NEW DRAFT version: the whole file is checked first and every
problem is reported with its place; only a file without any problem is written, all at once.
The version number and status in a file are ignored: an import is always the next draft.
"""

import json
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from competency_portal.lib.csvfiles import csv_text
from competency_portal.lib.textguard import clean_strings
from competency_portal.lib.thai import thai_numbers
from framework import rules, signals, tree
from framework.models import ExpectedLevel, Framework, FrameworkEvent, PositionClass
from framework.services import record

FORMAT = "khlong-khwang-competency-framework"
FORMAT_VERSION = 1
CSV_HEADER = [
    "competency_code",
    "competency_name",
    "level",
    "level_title",
    "indicator_number",
    "text",
]
SMALL_INT = 32767  # the largest value of a (Positive)SmallIntegerField


class ImportProblems(ValidationError):
    """The file was refused and nothing was written; `messages` lists every problem found."""

    def __init__(self, messages):
        super().__init__(list(messages))


# ---------------------------------------------------------------- export


def export_data(framework):
    """The whole version as a JSON-ready dict, in a fixed order."""
    competencies = list(
        framework.competencies.order_by("order", "code").prefetch_related("levels__indicators")
    )
    expected = (
        ExpectedLevel.objects.filter(competency__framework=framework)
        .select_related("competency", "position_class")
        .order_by(
            "competency__order", "competency__code", "position_class__order", "position_class__code"
        )
    )
    classes = PositionClass.objects.filter(expected_levels__competency__framework=framework)
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "organisation": framework.organisation,
        "name": framework.name,
        "version": framework.version,
        "status": framework.status,
        "required_share": f"{Decimal(framework.required_share):.3f}",
        "scale": [tree.scale_point_data(p) for p in framework.scale_points.order_by("value")],
        "competencies": [tree.competency_data(c) for c in competencies],
        "position_classes": [
            {"code": pc.code, "name_th": pc.name_th, "group": pc.group, "order": pc.order}
            for pc in classes.distinct().order_by("order", "code")
        ],
        "expected_levels": expected_levels_data(competencies, expected),
    }


def expected_levels_data(competencies, expected):
    data = {competency.code: {} for competency in competencies}
    for row in expected:
        data[row.competency.code][row.position_class.code] = row.level
    return data


def export_json(framework):
    """The export as UTF-8 JSON text (Thai kept readable), ending with a newline."""
    return json.dumps(export_data(framework), ensure_ascii=False, indent=2) + "\n"


def export_csv(framework):
    """One row per indicator, with a byte-order mark and CRLF so that Excel reads the Thai;
    a cell that a spreadsheet would run as a formula is written as text (csvfiles.safe_cell)."""
    rows = [CSV_HEADER]
    for competency in export_data(framework)["competencies"]:
        for level in competency["levels"]:
            for indicator in level["indicators"]:
                rows.append(
                    [
                        competency["code"],
                        competency["name_th"],
                        level["number"],
                        level["title"],
                        indicator["number"],
                        indicator["text"],
                    ]
                )
    return csv_text(rows)


# ---------------------------------------------------------------- import


MAX_JSON_BYTES = 5 * 1024 * 1024  # a whole framework is a few hundred kilobytes
MAX_JSON_DEPTH = 20  # an export nests six deep


def json_depth_problem(text):
    """A Thai message when `text` nests arrays and objects deeper than MAX_JSON_DEPTH (checked
    before parsing, so that a hostile file cannot exhaust the parser's stack), else None."""
    depth, in_string, escaped = 0, False, False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            if depth > MAX_JSON_DEPTH:
                return _("The file nests lists and objects more than %(n)s deep.") % thai_numbers(
                    {"n": MAX_JSON_DEPTH}
                )
        elif char in "]}":
            depth -= 1
    return None


def import_json(text, *, by, organisation=None):
    """Parse JSON text (str, or UTF-8 bytes) and import it as a new draft version. A file larger
    than MAX_JSON_BYTES or nested deeper than MAX_JSON_DEPTH is refused before parsing."""
    size = len(text) if isinstance(text, bytes) else len(text.encode("utf-8", "surrogatepass"))
    if size > MAX_JSON_BYTES:
        raise ImportProblems(
            [
                _("The file is too large (at most %(mb)s MB).")
                % thai_numbers({"mb": MAX_JSON_BYTES // (1024 * 1024)})
            ]
        )
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError:
            raise ImportProblems([_("The file is not UTF-8 text.")]) from None
    text = text.removeprefix("\ufeff")
    problem = json_depth_problem(text)
    if problem:
        raise ImportProblems([problem])
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        message = _("The file is not valid JSON (line %(line)s, column %(column)s).")
        params = thai_numbers({"line": error.lineno, "column": error.colno})
        raise ImportProblems([message % params]) from None
    except RecursionError:
        raise ImportProblems(
            [
                _("The file nests lists and objects more than %(n)s deep.")
                % thai_numbers({"n": MAX_JSON_DEPTH})
            ]
        ) from None
    return import_data(data, by=by, organisation=organisation)


def import_data(data, *, by, organisation=None):
    """Check the whole of `data` (an export_data dict), then write it as a new draft version
    of `organisation` (default: this portal's). Raises ImportProblems and writes nothing when
    anything is wrong."""
    organisation = organisation or settings.PORTAL_ORGANISATION
    data = clean_strings(data)
    clean, problems = check(data)
    with transaction.atomic():
        draft = Framework.objects.filter(organisation=organisation, status="draft").first()
        if draft is not None:
            problems.append(
                _("Version %(v)s is already a draft; publish or discard it before importing.")
                % {"v": draft.version}
            )
        if problems:
            raise ImportProblems(problems)
        framework = write(clean, organisation)
        record(framework, by, FrameworkEvent.Action.IMPORTED, **source_of(data))
        signals.imported.send(sender=Framework, framework=framework, by=by)
    return framework


def source_of(data):
    """Where the file says it comes from, for the version's history: record()'s message and
    parameters, or nothing."""
    version, organisation = data.get("version"), data.get("organisation")
    if isinstance(version, int) and isinstance(organisation, str) and organisation.strip():
        return {
            "message": gettext_noop("from version %(v)s of %(organisation)s"),
            "v": version,
            "organisation": organisation.strip()[:200],
        }
    return {}


class Problems(list):
    """Thai (translated) messages, each starting with the place it is about."""

    def add(self, place, problem):
        self.append(f"{place}: {problem}")


def check(data):
    """(clean data, problems): every part of the file checked, cleaned data ready to write."""
    problems = Problems()
    if not isinstance(data, dict):
        problems.append(_("The file does not hold a competency framework."))
        return None, problems
    file = _("The file")
    check_format(data, file, problems)
    clean = {
        "name": text_field(data, "name", file, problems, max_length=200),
        "required_share": share_field(data, file, problems),
        "scale": check_scale(list_field(data, "scale", file, problems), problems),
        "competencies": check_competencies(
            list_field(data, "competencies", file, problems), problems
        ),
    }
    codes = {c["code"] for c in clean["competencies"]}
    expected = check_expected_levels(data, codes, problems)
    described = check_position_classes(
        list_field(data, "position_classes", file, problems, required=False), problems
    )
    clean["expected_levels"] = expected
    clean["new_classes"] = new_position_classes(expected, described, problems)
    return clean, problems


def check_format(data, place, problems):
    if data.get("format") != FORMAT:
        problems.add(
            place,
            _("this is not a competency framework export (format %(found)s, expected %(expected)s)")
            % {"found": json.dumps(data.get("format"), ensure_ascii=False), "expected": FORMAT},
        )
    elif data.get("format_version") != FORMAT_VERSION:
        problems.add(
            place,
            _("format version %(found)s is not supported (expected %(expected)s)")
            % {"found": json.dumps(data.get("format_version")), "expected": FORMAT_VERSION},
        )


def share_field(data, place, problems):
    share = to_decimal(data.get("required_share", "1.000"))
    if share is None or not rules.share_in_range(share):
        problems.add(place, _("the pass share must be a number from 0.001 to 1"))
        return None
    if not rules.share_is_exact(share):
        problems.add(place, _("the pass share has more than three decimals"))
    return rules.round_share(share)


def to_decimal(raw):
    if isinstance(raw, bool) or not isinstance(raw, str | int | float):
        return None
    try:
        return Decimal(str(raw).strip())
    except InvalidOperation:
        return None


# -- the rating scale


def check_scale(entries, problems):
    place = _("Rating scale")
    points = []
    for index, entry in enumerate(entries, start=1):
        point_place = _("Rating scale, point %(n)s") % {"n": index}
        if not object_entry(entry, point_place, problems):
            continue
        value = number_field(
            entry, "value", point_place, problems, low=-SMALL_INT - 1, high=SMALL_INT
        )
        points.append(
            {
                "value": value,
                "label_th": text_field(entry, "label_th", point_place, problems, max_length=100),
                "label_en": text_field(
                    entry, "label_en", point_place, problems, max_length=100, required=False
                ),
                "demonstrated": bool_field(entry, "demonstrated", point_place, problems),
            }
        )
    for value in rules.repeated(p["value"] for p in points):
        problems.add(place, _("value %(value)s appears more than once") % {"value": value})
    flags = [p["demonstrated"] for p in points]
    if None not in flags and not rules.scale_splits(flags):
        problems.add(
            place,
            _("needs at least one point that counts as demonstrated and one that does not"),
        )
    return points


# -- competencies, levels and indicators


def check_competencies(entries, problems):
    if not entries:
        problems.add(_("The file"), _("there is no competency"))
    competencies, seen = [], set()
    for index, entry in enumerate(entries, start=1):
        place = competency_place(entry, index)
        if not object_entry(entry, place, problems):
            continue
        competency = check_competency(entry, index, place, problems)
        if competency["code"] in seen:
            problems.add(place, _("the code appears more than once"))
        seen.add(competency["code"])
        competencies.append(competency)
    return competencies


def competency_place(entry, index):
    code = entry.get("code") if isinstance(entry, dict) else None
    if not isinstance(code, str) or not code.strip():
        code = _("no. %(index)s") % {"index": index}
    return _("Competency %(code)s") % {"code": code.strip()}


def check_competency(entry, index, place, problems):
    code = text_field(entry, "code", place, problems, max_length=rules.CODE_MAX_LENGTH)
    if code and not rules.code_is_well_formed(code):
        problems.add(place, _("the code must be capital Latin letters, digits, - or _ (e.g. ACH)"))
    return {
        "code": code,
        "name_th": text_field(entry, "name_th", place, problems, max_length=200),
        "name_en": text_field(entry, "name_en", place, problems, max_length=200, required=False),
        "definition": text_field(entry, "definition", place, problems),
        "order": number_field(entry, "order", place, problems, low=0, default=index),
        "levels": check_levels(entry, code or str(index), place, problems),
    }


def check_levels(entry, code, place, problems):
    levels, listed = [], []
    for index, level in enumerate(list_field(entry, "levels", place, problems), start=1):
        number = level.get("number") if isinstance(level, dict) else None
        shown = number if rules.is_whole(number) else _("no. %(index)s") % {"index": index}
        level_place = _("Competency %(code)s, level %(level)s") % {"code": code, "level": shown}
        if object_entry(level, level_place, problems):
            checked = check_level(level, code, level_place, problems)
            levels.append(checked)
            if isinstance(level.get("indicators"), list):  # else "indicators" is reported
                listed.append((level_place, checked["indicators"]))
    for level_place in rules.without_indicator(listed):
        problems.add(level_place, _("needs at least one behaviour indicator"))
    numbers = sorted(level["number"] for level in levels if level["number"] is not None)
    if not rules.has_five_levels(numbers):
        found = ", ".join(str(n) for n in numbers) or "-"
        problems.add(
            place,
            _("needs exactly five levels, numbered 1 to 5 (found %(found)s)") % {"found": found},
        )
    return levels


def check_level(entry, code, place, problems):
    first, last = rules.LEVEL_NUMBERS[0], rules.LEVEL_NUMBERS[-1]
    number = number_field(entry, "number", place, problems, low=first, high=last)
    indicators, seen = [], set()
    for index, item in enumerate(list_field(entry, "indicators", place, problems), start=1):
        raw = item.get("number") if isinstance(item, dict) else None
        shown = raw if rules.is_whole(raw) else _("no. %(index)s") % {"index": index}
        item_place = _("Competency %(code)s, level %(level)s, indicator %(number)s") % {
            "code": code,
            "level": number if number is not None else "?",
            "number": shown,
        }
        if not object_entry(item, item_place, problems):
            continue
        item_number = number_field(item, "number", item_place, problems, low=1)
        if item_number is not None and item_number in seen:
            problems.add(
                place, _("indicator %(number)s appears more than once") % {"number": item_number}
            )
        seen.add(item_number)
        indicators.append(
            {"number": item_number, "text": text_field(item, "text", item_place, problems)}
        )
    return {
        "number": number,
        "title": text_field(entry, "title", place, problems),
        "indicators": indicators,
    }


# -- position classes and expected levels


def check_position_classes(entries, problems):
    """{code: description} of the classes the file describes."""
    described = {}
    groups = PositionClass.Group.values
    for index, entry in enumerate(entries, start=1):
        code = entry.get("code") if isinstance(entry, dict) else None
        shown = (
            code
            if isinstance(code, str) and code.strip()
            else _("no. %(index)s") % {"index": index}
        )
        place = _("Position class %(code)s") % {"code": str(shown).strip()}
        if not object_entry(entry, place, problems):
            continue
        code = text_field(entry, "code", place, problems, max_length=20)
        group = text_field(entry, "group", place, problems)
        if group and group not in groups:
            problems.add(
                place, _("group must be one of %(choices)s") % {"choices": ", ".join(groups)}
            )
        if code in described:
            problems.add(place, _("the code appears more than once"))
        described[code] = {
            "name_th": text_field(entry, "name_th", place, problems, max_length=200),
            "group": group,
            "order": number_field(entry, "order", place, problems, low=0, default=0),
        }
    return described


def check_expected_levels(data, competency_codes, problems):
    """{competency code: {position class code: level}} as given in the file."""
    raw = data.get("expected_levels", {})
    if not isinstance(raw, dict):
        problems.add(_("The file"), _("%(field)s must be an object") % {"field": "expected_levels"})
        return {}
    expected = {}
    for code, cells in raw.items():
        place = _("Expected levels of %(code)s") % {"code": code}
        if code not in competency_codes:
            problems.add(place, _("there is no competency %(code)s in the file") % {"code": code})
        if not isinstance(cells, dict):
            problems.add(place, _("%(field)s must be an object") % {"field": code})
            continue
        expected[code] = {}
        for class_code, level in cells.items():
            if not rules.is_expected_level(level):
                found = json.dumps(level, ensure_ascii=False)
                problems.add(
                    place,
                    _("%(position_class)s: must be a whole number from 0 to 5 (found %(found)s)")
                    % {"position_class": class_code, "found": found},
                )
                continue
            expected[code][class_code] = level
    return expected


def new_position_classes(expected, described, problems):
    """The classes to create: used by the expected levels, not in the portal yet."""
    used = {class_code for cells in expected.values() for class_code in cells}
    known = set(PositionClass.objects.filter(code__in=used).values_list("code", flat=True))
    new = {}
    for code in sorted(used - known):
        if code in described:
            new[code] = described[code]
        else:
            problems.add(
                _("Position class %(code)s") % {"code": code},
                _("not in the portal and not described under position_classes"),
            )
    return new


# -- small field checks


def object_entry(entry, place, problems):
    if isinstance(entry, dict):
        return True
    problems.add(place, _("each entry must be an object"))
    return False


def list_field(entry, key, place, problems, required=True):
    value = entry.get(key)
    if value is None and not required:
        return []
    if not isinstance(value, list):
        problems.add(place, field_problem(key, value))
        return []
    return value


def field_problem(key, value, kind="list"):
    if value is None:
        return _("%(field)s is missing") % {"field": key}
    messages = {
        "list": _("%(field)s must be a list"),
        "text": _("%(field)s must be text"),
        "bool": _("%(field)s must be true or false"),
    }
    return messages[kind] % {"field": key}


def text_field(entry, key, place, problems, *, max_length=None, required=True):
    value = entry.get(key)
    if value is None and not required:
        return ""
    if not isinstance(value, str):
        problems.add(place, field_problem(key, value, "text"))
        return ""
    value = value.strip()
    if required and not value:
        problems.add(place, _("%(field)s is empty") % {"field": key})
    if max_length and len(value) > max_length:
        problems.add(
            place,
            _("%(field)s is too long (at most %(max)s characters)")
            % {"field": key, "max": max_length},
        )
    return value


def bool_field(entry, key, place, problems):
    value = entry.get(key)
    if not isinstance(value, bool):
        problems.add(place, field_problem(key, value, "bool"))
        return None
    return value


def number_field(entry, key, place, problems, *, low, high=None, default=None):
    """A whole number from low to high (or, without high, as large as the database holds)."""
    value = entry.get(key)
    if value is None and default is not None:
        return default
    if rules.is_whole(value) and low <= value <= (high or SMALL_INT):
        return value
    if high is None:
        problem = _("%(field)s must be a whole number, %(low)s or more")
    else:
        problem = _("%(field)s must be a whole number from %(low)s to %(high)s")
    problems.add(place, problem % {"field": key, "low": low, "high": high})
    return None


# -- writing


def write(clean, organisation):
    """Create the draft and all its parts from checked data (inside the caller's transaction)."""
    framework = tree.create_draft(
        organisation, name=clean["name"], required_share=clean["required_share"]
    )
    tree.write_scale(framework, clean["scale"])
    competencies = tree.write_competencies(framework, clean["competencies"])
    for code, description in clean["new_classes"].items():
        PositionClass.objects.create(code=code, **description)
    classes = dict(PositionClass.objects.values_list("code", "pk"))
    tree.write_expected_levels(
        competencies,
        (
            (code, classes[class_code], level)
            for code, cells in clean["expected_levels"].items()
            for class_code, level in cells.items()
        ),
    )
    return framework
