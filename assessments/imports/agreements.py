"""Performance agreements from a CSV file (issue 15): `import_agreements FILE --cycle CODE`
and HR's upload page. One line per work-results indicator:

    employee_code,indicator,unit,weight,target_1,target_2,target_3,target_4,target_5,achieved_level

The lines of a person are their whole agreement, in order: they replace the indicators the
person had in the round. `achieved_level` (1–5) stays blank until the end of the round. Every
line is checked first; on any problem ImportErrors lists them all, each with its line and
column, and nothing changes."""

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from assessments.models import Assessment, AuditEntry, Cycle, Employee, WorkIndicator
from assessments.selectors.results import work_results_of
from assessments.services import agreements, audit
from competency_portal.lib.bulk import in_chunks
from competency_portal.lib.csvfiles import (
    ImportErrors,
    cell_error,
    decode_text,
    read_csv_rows,
)
from competency_portal.lib.thai import thai_digits, thai_numbers

TARGETS = [f"target_{level}" for level in range(1, 6)]
HEADER = ["employee_code", "indicator", "unit", "weight", *TARGETS, "achieved_level"]
LIMITS = {"indicator": 300, "unit": 100, **dict.fromkeys(TARGETS, 200)}


@dataclass
class AgreementPreview:
    """What the file does to one person's agreement."""

    line: int
    employee_code: str
    full_name: str
    indicators: int = 0
    assessed: int = 0  # indicators with an achieved level
    work_results: Decimal | None = None  # what they give (when every one is assessed)
    replaced: int = 0  # indicators the person had before


@dataclass
class AgreementsImportReport:
    cycle: Cycle
    dry_run: bool = False
    rows: list = field(default_factory=list)  # AgreementPreview, in the order of the file

    @property
    def people(self):
        return len(self.rows)

    @property
    def indicators(self):
        return sum(row.indicators for row in self.rows)


def import_agreements(*, rows_or_file, cycle, by, dry_run=False):
    """Write the agreements of the CSV into round `cycle` (all or none), as keyed in by `by`
    (HR); with `dry_run`, check and report only. Raises ImportErrors."""
    if by is None and not dry_run:
        raise ValueError("import_agreements needs the user who keys the agreements in (`by`).")
    with transaction.atomic():
        cycle = Cycle.objects.select_for_update().get(pk=cycle.pk)
        rows, errors = read_csv_rows(decode_text(rows_or_file), HEADER, exact=True)
        if not rows and not errors:
            raise ImportErrors([_("The file has a header row but no indicators.")])
        checker = _Checker(cycle, errors)
        people = checker.check(rows)
        if checker.errors:
            raise ImportErrors([message for _line, message in sorted(checker.errors)])
        report = AgreementsImportReport(cycle=cycle, dry_run=dry_run)
        report.rows = _preview(people)
        if not dry_run:
            _write(cycle, people, by, report)
    return report


@dataclass
class _Person:
    line: int  # their first line
    assessment: Assessment
    indicators: list = field(default_factory=list)  # WorkIndicator, not saved
    titles: dict = field(default_factory=dict)  # title → first line
    refused: bool = False  # a line of theirs was refused (its own message says why)


class _Checker:
    def __init__(self, cycle, errors):
        self.cycle = cycle
        self.errors = list(errors)  # (line, message)
        self.people = {}  # employee code → _Person, in the order of the file

    def error(self, line, column, message):
        self.errors.append((line, cell_error(line, column, message)))

    def check(self, rows):
        if self.cycle.status == Cycle.Status.CLOSED:
            message = _("Round %(code)s is closed; its agreements no longer change.")
            self.errors.append((0, message % {"code": self.cycle.code}))
            return []
        assessments = self.load({values["employee_code"] for _line, values in rows})
        for line, values in rows:
            self.check_row(line, values, assessments)
        for person in self.people.values():
            self.check_person(person)
        return list(self.people.values())

    def load(self, codes):
        """The round's assessments of these people, locked until the import ends."""
        found = (
            Assessment.objects.filter(cycle=self.cycle, employee__employee_code__in=codes)
            .select_related("employee")
            .select_for_update(of=("self",))
        )
        self.known = set(
            Employee.objects.filter(employee_code__in=codes).values_list("employee_code", flat=True)
        )
        return {a.employee.employee_code: a for a in found}

    def check_row(self, line, values, assessments):
        before = len(self.errors)
        person = self.person(line, values["employee_code"], assessments)
        for column in ("indicator", *TARGETS):
            if not values[column]:
                self.error(line, column, _("this column must not be empty."))
        for column, limit in LIMITS.items():
            if len(values[column]) > limit:
                message = _("at most %(n)s characters.") % {"n": thai_digits(limit)}
                self.error(line, column, message)
        weight = self.weight(line, values["weight"])
        level = self.level(line, values["achieved_level"])
        if person is not None and values["indicator"]:
            first = person.titles.setdefault(values["indicator"], line)
            if first != line:
                message = _("the same indicator already appears on line %(line)s.")
                self.error(line, "indicator", message % thai_numbers({"line": first}))
        if person is not None and len(self.errors) == before:
            person.indicators.append(_indicator(values, weight, level))
        elif person is not None:
            person.refused = True

    def person(self, line, code, assessments):
        if not code:
            self.error(line, "employee_code", _("this column must not be empty."))
            return None
        if code in self.people:
            return self.people[code]
        assessment = assessments.get(code)
        if assessment is None:
            if code in self.known:
                message = _("%(code)s has no assessment in round %(round)s.")
            else:
                message = _("there is no employee with code %(code)s.")
            self.error(line, "employee_code", message % {"code": code, "round": self.cycle.code})
            return None
        problem = agreements.refusal(self.cycle, assessment)
        if problem:
            name = assessment.employee.full_name
            self.error(line, "employee_code", f"{name}: {problem}")
        self.people[code] = _Person(line, assessment)
        return self.people[code]

    def weight(self, line, raw):
        try:
            weight = Decimal(raw)
        except InvalidOperation:
            weight = None
        if weight is None or not weight.is_finite() or not 0 < weight <= 100:
            message = _('"%(value)s" is not a weight: write a number above 0, at most 100.')
        elif weight != weight.quantize(Decimal("0.01")):
            message = _('"%(value)s" has more than two decimals.')
        else:
            return weight
        self.error(line, "weight", message % {"value": raw})
        return None

    def level(self, line, raw):
        if not raw:
            return None
        try:
            level = int(raw)
        except ValueError:
            level = None
        if level is None or not 1 <= level <= 5:
            message = _('"%(value)s" is not a level: write 1 to 5, or leave it blank.')
            self.error(line, "achieved_level", message % {"value": raw})
            return None
        return level

    def check_person(self, person):
        if person.refused:
            return
        problem = agreements.weight_problem(person.indicators)
        if problem:
            name = person.assessment.employee.full_name
            self.error(person.line, "weight", f"{name}: {problem}")


def _indicator(values, weight, level):
    return WorkIndicator(
        title=values["indicator"],
        unit=values["unit"],
        weight=weight,
        achieved_level=level,
        **{column: values[column] for column in TARGETS},
    )


def _preview(people):
    ids = [person.assessment.pk for person in people]
    had = {}
    for chunk in in_chunks(ids):
        found = WorkIndicator.objects.filter(assessment_id__in=chunk)
        for assessment_id in found.values_list("assessment_id", flat=True):
            had[assessment_id] = had.get(assessment_id, 0) + 1
    previews = []
    for person in people:
        employee = person.assessment.employee
        levels = [i.achieved_level for i in person.indicators]
        previews.append(
            AgreementPreview(
                line=person.line,
                employee_code=employee.employee_code,
                full_name=employee.full_name,
                indicators=len(person.indicators),
                assessed=sum(level is not None for level in levels),
                work_results=work_results_of(person.indicators),
                replaced=had.get(person.assessment.pk, 0),
            )
        )
    return previews


def _write(cycle, people, by, report):
    written = [agreements.Agreement(p.assessment, p.indicators) for p in people]
    try:
        agreements.write_agreements(cycle=cycle, agreements=written, by=by, keep_evidence=True)
    except agreements.AgreementRefused as error:
        name = error.assessment.employee.full_name
        raise ImportErrors([f"{name}: {message}" for message in error.messages]) from error
    audit.record(
        action=AuditEntry.Action.AGREEMENTS_IMPORTED,
        by=by,
        target=cycle.code,
        summary=audit.thai(
            gettext_noop("Performance agreements of round %(code)s: %(people)s people"),
            code=cycle.code,
            people=report.people,
        ),
        detail={"cycle": cycle.code, "people": report.people, "indicators": report.indicators},
    )
