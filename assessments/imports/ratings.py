"""Paper ratings keyed in by HR: the ratings CSV of DOMAIN.md, all rows or none.

`employee_code,role,competency,level,indicator,value`: one line per behaviour indicator rated,
on a person's self-assessment (`self`) or their supervisor's rating (`supervisor`) in one round.
A last column `indicator_text` may follow (the blank CSV of `csv_template` carries the
indicator's words for whoever keys the paper form in); it is read by people, never checked.
Every line is checked against the round's framework, its rating scale and the state of each
track before anything is written (the file's assessments locked as they are read). Then, in one
transaction, the whole file is written by services.write_tracks, which leaves each track as
services.save_ratings (and submit_track) would: versions, states, stored levels and history
lines, in a few queries for the whole file. Tracks are left as drafts unless `submit` asks to
submit the complete ones.
Reading and decoding the file, the line and cell messages and ImportErrors come from
competency_portal/lib/csvfiles.py.
"""

import csv
import io
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from assessments import services
from assessments.models import Assessment, AuditEntry, Cycle, Employee, Rating, Role, Track
from assessments.services import audit
from competency_portal.lib.csvfiles import (
    ImportErrors,
    cell_error,
    check_header,
    clean_cell,
    csv_text,
    decode_text,
    read_csv_rows,
)
from competency_portal.lib.thai import thai_digits, thai_numbers
from framework.models import Indicator, ScalePoint
from framework.selectors import competency_tree

__all__ = [
    "HEADER",
    "TEMPLATE_HEADER",
    "ImportErrors",
    "RatingsImportReport",
    "TrackPreview",
    "ValueChange",
    "import_ratings",
]

HEADER = ["employee_code", "role", "competency", "level", "indicator", "value"]
# The blank CSV adds the indicator's words at the end; a file may keep or drop that column.
TEXT_COLUMN = "indicator_text"
TEMPLATE_HEADER = [*HEADER, TEXT_COLUMN]
ROLES = [Role.SELF.value, Role.SUPERVISOR.value]


@dataclass(frozen=True)
class ValueChange:
    """One rating the file changes: the indicator (e.g. "ACH 2.1") and the value saved now
    and in the file, each with its scale label."""

    indicator: str
    before: int
    before_label: str
    after: int
    after_label: str


@dataclass
class TrackPreview:
    """What the file does to one track (a person's self-assessment or their supervisor's
    rating): ratings it holds, of which new, changed and the same as already saved; how many
    indicators of the round stay unrated afterwards; whether it is submitted (in a dry run:
    would be)."""

    line: int
    employee_code: str
    full_name: str
    role: str
    role_label: str
    ratings: int = 0
    new: int = 0
    changed: int = 0
    same: int = 0
    missing: int = 0
    submitted: bool = False
    changes: list = field(default_factory=list)  # ValueChange of each changed rating

    @property
    def complete(self):
        return self.missing == 0


@dataclass
class RatingsImportReport:
    cycle: Cycle
    dry_run: bool = False
    submit: bool = False
    rows: list = field(default_factory=list)  # TrackPreview, in the order of the file
    errors: list = field(default_factory=list)

    @property
    def people(self):
        return len({row.employee_code for row in self.rows})

    @property
    def ratings(self):
        return sum(row.ratings for row in self.rows)

    @property
    def new(self):
        return sum(row.new for row in self.rows)

    @property
    def changed(self):
        return sum(row.changed for row in self.rows)

    @property
    def same(self):
        return sum(row.same for row in self.rows)

    @property
    def submitted(self):
        return [row for row in self.rows if row.submitted]

    @property
    def incomplete(self):
        """Tracks that stay drafts because some indicators are still unrated."""
        return [row for row in self.rows if not row.complete]


def import_ratings(*, rows_or_file, cycle, by, dry_run=False, submit=False):
    """Save the ratings of the CSV into the tracks of round `cycle`, as keyed in by `by` (HR).

    `rows_or_file` is the file's bytes or text (UTF-8, with or without BOM, Windows or Unix
    line endings), an open file, a path, or a list of dicts keyed by the header's columns.
    Every line is checked first; on any problem ImportErrors lists them all (each with its line
    and column) and nothing changes. With `dry_run` nothing is written either: the report says
    what would happen. With `submit`, every track of the file that is then complete is
    submitted too; the report's `incomplete` names the others.
    """
    if by is None and not dry_run:
        raise ValueError("import_ratings needs the user who keys the ratings in (`by`).")
    with transaction.atomic():
        # The round as it is now, held so that it cannot close halfway through
        cycle = Cycle.objects.select_for_update().get(pk=cycle.pk)
        report = RatingsImportReport(cycle=cycle, dry_run=dry_run, submit=submit)
        rows, errors = _rows(rows_or_file)
        checker = _Checker(cycle, errors)
        groups = checker.check(rows, report)
        if report.errors:
            raise ImportErrors(report.errors, report)
        if not groups:
            raise ImportErrors([_("No line of the file has a value: nothing to import.")], report)
        _preview(groups, cycle, submit, checker)
        report.rows = [group.preview for group in groups]
        if not dry_run:
            _apply(groups, cycle, by, submit)
            audit.record(
                action=AuditEntry.Action.RATINGS_IMPORTED,
                by=by,
                target=cycle.code,
                summary=audit.thai(
                    gettext_noop("Paper ratings of round %(code)s: %(ratings)s ratings"),
                    code=cycle.code,
                    ratings=report.ratings,
                ),
                detail={
                    "cycle": cycle.code,
                    "people": report.people,
                    "ratings": report.ratings,
                    "new": report.new,
                    "changed": report.changed,
                    "submitted": len(report.submitted),
                },
            )
    return report


def csv_template(assessment, role=Role.SELF):
    """The ratings CSV for one person's round and one role (`self` or `supervisor`) with every
    indicator, its words and no values: a form for HR to key a paper form into. With a
    byte-order mark, so that a spreadsheet shows the Thai words."""
    role = Role(role).value
    rows = [TEMPLATE_HEADER]
    code = assessment.employee.employee_code
    for competency in competency_tree(assessment.cycle.framework):
        for level in competency.levels.all():
            for indicator in level.indicators.all():
                rows.append(
                    [
                        code,
                        role,
                        competency.code,
                        level.number,
                        indicator.number,
                        "",
                        _one_line(indicator.text),
                    ]
                )
    return csv_text(rows)


def _one_line(text):
    """The indicator's words on one line (a spreadsheet row stays one row high)."""
    return " ".join(text.split())


# Reading the file


def _rows(source):
    """[(line number, {column: stripped value})] for every non-empty line after the header,
    and [(line number, message)] for the lines whose cells do not match the header."""
    if isinstance(source, list | tuple):
        if source:
            header = list(source[0])
            check_header(header, _expected(header), exact=True)
        rows, errors = [(number, _stripped(row)) for number, row in enumerate(source, start=2)], []
    else:
        text = decode_text(source)
        rows, errors = read_csv_rows(text, _expected(_first_row(text)), exact=True)
    if not rows and not errors:
        raise ImportErrors([_("The file has a header row but no ratings.")])
    return rows, errors


def _first_row(text):
    """The cells of the header row (none for an empty file; a broken one is reported by
    read_csv_rows)."""
    try:
        return next(csv.reader(io.StringIO(text, newline="")), [])
    except csv.Error:
        return []


def _expected(header):
    """The columns a file must have: those of DOMAIN.md, and `indicator_text` when the header
    names it (the blank CSV's; it may also be deleted)."""
    names = {clean_cell(name) for name in header}
    return TEMPLATE_HEADER if TEXT_COLUMN in names else HEADER


def _stripped(row):
    return {column: _cell(row.get(column)) for column in HEADER}


def _cell(value):
    return clean_cell(value)


# Checking the rows


@dataclass
class _Group:
    """The lines of one track: {indicator id: value} and, once checked, its preview."""

    assessment: Assessment
    role: str
    values: dict
    preview: TrackPreview
    changes: dict = field(default_factory=dict)  # the new and changed values only
    saved: dict = field(default_factory=dict)  # the track's ratings before the import


class _Checker:
    """Checks every line against the round, its framework and scale, and the rest of the file."""

    def __init__(self, cycle, errors=()):
        self.cycle = cycle
        self.errors = list(errors)  # (line, message); line 0 for the file as a whole
        framework_id = cycle.framework_id
        indicators = Indicator.objects.filter(level__competency__framework_id=framework_id)
        self.indicators = {
            (code, level, number): pk
            for code, level, number, pk in indicators.values_list(
                "level__competency__code", "level__number", "number", "pk"
            )
        }
        self.indicator_keys = {pk: key for key, pk in self.indicators.items()}
        self.competencies = {code for code, _level, _number in self.indicators}
        self.levels = {(code, level) for code, level, _number in self.indicators}
        self.scale_labels = dict(
            ScalePoint.objects.filter(framework_id=framework_id).values_list("value", "label_th")
        )
        self.scale = sorted(self.scale_labels)
        self.assessments = {}
        self.known_codes = set()
        self.groups = {}  # (assessment id, role) → _Group, in the order of the file
        self.line_of = {}  # (assessment id, role, indicator id) → first line

    def error(self, line, column, message):
        self.errors.append((line, cell_error(line, column, message)))

    def check(self, rows, report):
        self.check_round()
        self.load_people({values["employee_code"] for _line, values in rows})
        for line, values in rows:
            self.check_row(line, values)
        self.errors.sort(key=lambda error: error[0])
        report.errors = [message for _line, message in self.errors]
        return list(self.groups.values())

    def check_round(self):
        if self.cycle.status != Cycle.Status.OPEN:
            message = _(
                "Round %(code)s is not open: ratings can be imported into an open round only."
            )
            self.errors.append((0, message % {"code": self.cycle.code}))

    def load_people(self, codes):
        # locked until the import ends: what is checked and previewed here is what is written
        found = Assessment.objects.filter(cycle=self.cycle, employee__employee_code__in=codes)
        self.assessments = {
            assessment.employee.employee_code: assessment
            for assessment in found.select_related("employee").select_for_update(of=("self",))
        }
        self.known_codes = set(
            Employee.objects.filter(employee_code__in=codes).values_list("employee_code", flat=True)
        )

    def check_row(self, line, values):
        if not values["value"]:
            return  # a line of a template not filled in: nothing keyed in there
        errors_before = len(self.errors)
        for column in HEADER:
            if not values[column]:
                self.error(line, column, _("this column must not be empty."))
        assessment = self.assessment(line, values["employee_code"])
        role = self.role(line, values["role"])
        indicator_id = self.indicator(line, values)
        value = self.value(line, values["value"])
        if assessment is not None and role is not None:
            self.check_track(line, assessment, role)
            if indicator_id is not None and self.is_duplicate(line, assessment, role, indicator_id):
                return
        if len(self.errors) == errors_before:
            self.groups[(assessment.pk, role)].values[indicator_id] = value

    def assessment(self, line, code):
        if not code:
            return None
        assessment = self.assessments.get(code)
        if assessment is not None:
            return assessment
        if code in self.known_codes:
            message = _(
                'The person with the employee code "%(code)s" has no assessment in round %(round)s.'
            )
        else:
            message = _('Nobody has the employee code "%(code)s".')
        self.error(line, "employee_code", message % {"code": code, "round": self.cycle.code})
        return None

    def role(self, line, role):
        if role in ROLES:
            return role
        if role:
            message = _('"%(value)s" is not a role: write self or supervisor.')
            self.error(line, "role", message % {"value": role})
        return None

    def indicator(self, line, values):
        """The indicator id of the competency, level and number, or None (reported)."""
        code = values["competency"]
        if code and code not in self.competencies:
            message = _('No competency "%(code)s" in the framework of round %(round)s.')
            self.error(line, "competency", message % {"code": code, "round": self.cycle.code})
            code = None
        level = self.number(line, "level", values["level"])
        number = self.number(line, "indicator", values["indicator"])
        if not code or level is None:
            return None
        if (code, level) not in self.levels:
            message = _("Competency %(competency)s has no level %(level)s.")
            self.error(line, "level", message % {"competency": code, "level": values["level"]})
            return None
        if number is None:
            return None
        indicator_id = self.indicators.get((code, level, number))
        if indicator_id is None:
            message = _("Level %(level)s of %(competency)s has no indicator %(number)s.")
            params = thai_numbers({"level": level, "competency": code, "number": number})
            self.error(line, "indicator", message % params)
        return indicator_id

    def number(self, line, column, raw):
        if not raw:
            return None
        try:
            number = int(raw)
        except ValueError:
            number = None
        if number is None or number < 1:
            message = _('"%(value)s" is not a whole number from 1.')
            self.error(line, column, message % {"value": raw})
            return None
        return number

    def value(self, line, raw):
        if not raw:
            return None
        try:
            value = int(raw)
        except ValueError:
            value = None
        if value not in self.scale:
            message = _('"%(value)s" is not a point of the rating scale: write one of %(values)s.')
            values = ", ".join(str(point) for point in self.scale)
            self.error(line, "value", message % {"value": raw, "values": values})
            return None
        return value

    def check_track(self, line, assessment, role):
        """Once per track, on its first line: it must still take ratings."""
        key = (assessment.pk, role)
        if key in self.groups:
            return
        name = assessment.employee.full_name
        preview = TrackPreview(
            line, assessment.employee.employee_code, name, role, Role(role).label
        )
        self.groups[key] = _Group(assessment, role, {}, preview)
        if assessment.is_finalized:
            message = _("The assessment of %(name)s has been finalised by HR; nothing can change.")
            self.error(line, "employee_code", message % {"name": name})
        elif assessment.track_state(role) == Track.SUBMITTED and role == Role.SELF:
            message = _(
                "%(name)s has already submitted the self-assessment; it can no longer be "
                "changed unless HR reopens it."
            )
            self.error(line, "role", message % {"name": name})
        elif assessment.track_state(role) == Track.SUBMITTED:
            message = _(
                "The supervisor's rating of %(name)s has already been submitted; it can no "
                "longer be changed unless HR reopens it."
            )
            self.error(line, "role", message % {"name": name})

    def is_duplicate(self, line, assessment, role, indicator_id):
        first = self.line_of.setdefault((assessment.pk, role, indicator_id), line)
        if first == line:
            return False
        message = _(
            "Indicator %(indicator)s of %(name)s, role %(role)s, already appears on line %(line)s."
        )
        code, level, number = self.indicator_keys[indicator_id]
        indicator = f"{code} {thai_digits(level)}.{thai_digits(number)}"  # the code as typed
        name = assessment.employee.full_name
        params = thai_numbers({"indicator": indicator, "name": name, "role": role, "line": first})
        self.error(line, "indicator", message % params)
        return True


def _preview(groups, cycle, submit, checker):
    """Count new, changed and same ratings of each track, and what stays unrated; list each
    changed value (in the framework's order)."""
    framework_ids = set(
        Indicator.objects.filter(level__competency__framework_id=cycle.framework_id).values_list(
            "pk", flat=True
        )
    )
    saved = {}
    ratings = Rating.objects.filter(assessment_id__in={group.assessment.pk for group in groups})
    for assessment_id, role, indicator_id, value in ratings.values_list(
        "assessment_id", "role", "indicator_id", "value"
    ):
        saved.setdefault((assessment_id, role), {})[indicator_id] = value
    for group in groups:
        before = saved.get((group.assessment.pk, group.role), {})
        group.saved = before
        preview = group.preview
        preview.ratings = len(group.values)
        for indicator_id, value in group.values.items():
            if indicator_id not in before:
                preview.new += 1
            elif before[indicator_id] != value:
                preview.changed += 1
            else:
                preview.same += 1
        preview.missing = len(framework_ids - set(before) - set(group.values))
        preview.submitted = submit and preview.complete
        preview.changes = [
            _change(checker, indicator_id, before[indicator_id], value)
            for indicator_id, value in group.values.items()
            if indicator_id in before and before[indicator_id] != value
        ]
        group.changes = {
            indicator_id: value
            for indicator_id, value in group.values.items()
            if before.get(indicator_id) != value
        }


def _change(checker, indicator_id, before, after):
    """A changed rating as the preview lists it (in the order of the file)."""
    code, level, number = checker.indicator_keys[indicator_id]
    return ValueChange(
        indicator=f"{code} {level}.{number}",
        before=before,
        before_label=checker.scale_labels.get(before, ""),
        after=after,
        after_label=checker.scale_labels.get(after, ""),
    )


# Writing


def _apply(groups, cycle, by, submit):
    """Save each track's new and changed ratings (a track with nothing new is left alone),
    then submit the complete ones when asked, all at once (services.write_tracks: a few
    queries, whatever the file's size). A refusal by the services undoes everything."""
    writes = [
        services.TrackWrite(
            assessment=group.assessment,
            role=group.role,
            values=group.changes,
            saved=group.saved,
            submit=submit and group.preview.complete,
        )
        for group in groups
        if group.changes or (submit and group.preview.complete)
    ]
    try:
        services.write_tracks(cycle=cycle, writes=writes, by=by)
    except services.TrackRefused as error:
        refused = error.write
        preview = next(
            group.preview
            for group in groups
            if group.assessment is refused.assessment and group.role == refused.role
        )
        raise ImportErrors(
            [
                _("%(name)s, role %(role)s: %(message)s")
                % {"name": preview.full_name, "role": preview.role, "message": message}
                for message in error.messages
            ]
        ) from error
