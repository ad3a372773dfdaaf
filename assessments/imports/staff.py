"""The staff CSV of DOMAIN.md, all rows or none: check every row, preview, then write.

Reading and decoding the file and the line and cell messages come from
competency_portal/lib/csvfiles.py; the rules for people (supervisor loops, logins,
departments) from assessments/services/people.py.
"""

import copy
from collections import Counter
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from assessments.models import AuditEntry, Department, Employee
from assessments.services import audit
from assessments.services.people import (
    HEADER,
    REQUIRED_COLUMNS,
    TEXT_FIELDS,
    department_named,
    fill_employee,
    loop_message,
    new_login,
    supervisor_loop,
    sync_login,
)
from competency_portal.lib.csvfiles import (
    ImportErrors,
    cell_error,
    check_header,
    clean_cell,
    csv_text,
    decode_text,
    read_csv_rows,
)
from competency_portal.lib.thai import thai_numbers
from framework.models import PositionClass

# The template's one example line: a made-up person, every column filled in as HR would.
EXAMPLE_ROW = {
    "employee_code": "K0105",
    "title": "นางสาว",
    "first_name": "สมหญิง",
    "last_name": "ใจดี",
    "position_title": "นักวิชาการเงินและบัญชี",
    "position_class": "ACA-2",
    "department": "กองคลัง",
    "supervisor_code": "K0101",
    "email": "somying@example.org",
    "username": "somying",
}


def csv_template():
    """The staff CSV HR fills in: the exact header the import expects and one example line
    (UTF-8 with a byte-order mark, so that a spreadsheet shows the Thai; formula-safe)."""
    return csv_text([HEADER, [EXAMPLE_ROW[column] for column in HEADER]])


@dataclass
class RowPreview:
    """What importing one line does: `action` is create, update or unchanged."""

    line: int
    employee_code: str
    full_name: str
    action: str
    position_title: str
    position_class: str
    department: str
    supervisor_code: str
    username: str
    changes: list = field(default_factory=list)


@dataclass
class ImportReport:
    dry_run: bool = False
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    new_departments: list = field(default_factory=list)
    rows: list = field(default_factory=list)
    errors: list = field(default_factory=list)


def import_staff(*, rows_or_file, by=None, dry_run=False):
    """Create or update people from the staff CSV of DOMAIN.md, all rows or none.

    `rows_or_file` is the file's bytes or text, an open file, a path, or a list of dicts keyed
    by the header's columns. Every row is checked before anything is written; on any problem
    ImportErrors is raised and nothing changes. With `dry_run` nothing is written either: the
    report says what would happen.
    """
    with transaction.atomic():
        report = ImportReport(dry_run=dry_run)
        rows = _rows(rows_or_file)
        plans = _Planner(report).plan(rows)
        if report.errors:
            raise ImportErrors(report.errors, report)
        if not dry_run:
            _apply(plans)
            audit.record(
                action=AuditEntry.Action.STAFF_IMPORTED,
                by=by,
                summary=audit.thai(
                    gettext_noop("Staff CSV: %(created)s added, %(updated)s changed"),
                    created=report.created,
                    updated=report.updated,
                ),
                detail={
                    "created": report.created,
                    "updated": report.updated,
                    "unchanged": report.unchanged,
                    "new_departments": list(report.new_departments),
                },
            )
    return report


def _rows(source):
    """[(line number, {column: stripped value})] for every non-empty line after the header."""
    if isinstance(source, list | tuple):
        header = list(source[0]) if source else HEADER
        check_header(header, HEADER)
        return [(number, _stripped(row)) for number, row in enumerate(source, start=2)]
    return _csv_rows(decode_text(source))


def _stripped(row):
    return {column: clean_cell(row.get(column)) for column in HEADER}


def _csv_rows(text):
    rows, errors = read_csv_rows(text, HEADER)
    if errors:
        raise ImportErrors([message for _line, message in errors])
    if not rows:
        raise ImportErrors([_("The file has a header row but no people.")])
    return rows


# Checking the rows


@dataclass
class _Plan:
    """One checked line: the person it creates or updates (not saved yet) and their login name.
    `original` is the person as the database holds them now, None for someone new."""

    line: int
    values: dict
    employee: Employee
    original: Employee | None
    username: str


class _Planner:
    """Checks every row against the database and the rest of the file."""

    def __init__(self, report):
        self.report = report
        self.errors = []  # (line, message)
        self.position_classes = {pc.code: pc for pc in PositionClass.objects.all()}
        self.departments = set(Department.objects.values_list("name_th", flat=True))
        self.existing = {
            person.employee_code: person
            for person in Employee.objects.select_related(
                "user", "supervisor", "department", "position_class"
            )
        }
        self.usernames = {
            name.lower(): pk for pk, name in get_user_model().objects.values_list("pk", "username")
        }
        self.line_of_code = {}
        self.line_of_username = {}

    def error(self, line, column, message):
        self.errors.append((line, cell_error(line, column, message)))

    def plan(self, rows):
        plans = [self.plan_row(line, values) for line, values in rows]
        self.check_supervisors(rows)
        self.errors.sort(key=lambda error: error[0])
        self.report.errors = [message for line, message in self.errors]
        plans = [plan for plan in plans if plan is not None]
        if not self.report.errors:
            self.preview(plans)
        return plans

    def plan_row(self, line, values):
        errors_before = len(self.errors)
        self.check_required(line, values)
        if self.is_duplicate(line, values["employee_code"]):
            return None  # its other problems would only repeat the first line's
        original = self.existing.get(values["employee_code"])
        employee = Employee(active=True) if original is None else copy.copy(original)
        fill_employee(employee, {name: values[name] for name in TEXT_FIELDS})
        self.check_fields(line, employee, values)
        employee.position_class = self.position_class(line, values["position_class"])
        self.check_department(line, values["department"])
        username = self.username(line, values, employee)
        if len(self.errors) > errors_before:
            return None
        return _Plan(line, values, employee, original, username)

    def check_required(self, line, values):
        for column in REQUIRED_COLUMNS:
            if not values[column]:
                self.error(line, column, _("this column must not be empty."))

    def is_duplicate(self, line, code):
        first = self.line_of_code.setdefault(code, line)
        if not code or first == line:
            return False
        message = _('"%(value)s" already appears on line %(line)s.')
        self.error(line, "employee_code", message % thai_numbers({"value": code, "line": first}))
        return True

    def check_fields(self, line, employee, values):
        exclude = ["position_class", "department", "supervisor", "user", "active"]
        try:
            employee.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
        except ValidationError as error:
            for column, messages in error.message_dict.items():
                if values.get(column):  # an empty required cell is already reported
                    self.error(line, column, " ".join(messages))

    def position_class(self, line, code):
        position_class = self.position_classes.get(code)
        if code and position_class is None:
            message = _('No position class "%(code)s".') % {"code": code}
            self.error(line, "position_class", message)
        return position_class

    def check_department(self, line, name):
        limit = Department._meta.get_field("name_th").max_length
        if len(name) > limit:
            message = _("at most %(limit)s characters.") % thai_numbers({"limit": limit})
            self.error(line, "department", message)

    def username(self, line, values, employee):
        """The login's name: the column, else the current login's, else the code in small
        letters."""
        username = values["username"]
        if not username and employee.user is not None:
            return employee.user.username
        username = username or values["employee_code"].lower()
        key = username.lower()
        if key in self.line_of_username:
            message = _('"%(value)s" already appears on line %(line)s.') % thai_numbers(
                {"value": username, "line": self.line_of_username[key]}
            )
            self.error(line, "username", message)
        self.line_of_username.setdefault(key, line)
        problem = self.username_problem(username, employee.user_id)
        if problem:
            self.error(line, "username", problem)
        return username

    def username_problem(self, username, user_id):
        owner = self.usernames.get(username.lower())
        if owner is not None and owner != user_id:
            return _('The username "%(username)s" is already used by someone else.') % {
                "username": username
            }
        try:
            get_user_model()._meta.get_field("username").clean(username, None)
        except ValidationError as error:
            return " ".join(error.messages)
        return None

    def check_supervisors(self, rows):
        """Every supervisor exists, is active, and no chain loops once the file is applied."""
        links = {
            code: person.supervisor.employee_code if person.supervisor else None
            for code, person in self.existing.items()
        }
        links.update({values["employee_code"]: values["supervisor_code"] for _l, values in rows})
        for line, values in rows:
            if values["supervisor_code"]:
                self.check_supervisor(line, values, links)

    def check_supervisor(self, line, values, links):
        code, supervisor = values["employee_code"], values["supervisor_code"]
        if supervisor not in links:
            message = _('Nobody has the employee code "%(code)s", in this file or in the portal.')
            self.error(line, "supervisor_code", message % {"code": supervisor})
            return
        chain = supervisor_loop(code, supervisor, links)
        if chain:
            self.error(line, "supervisor_code", loop_message(chain))
            return
        person, boss = self.existing.get(code), self.existing.get(supervisor)
        person_active = person is None or person.active
        if person_active and boss is not None and not boss.active:
            message = _("%(name)s is inactive and cannot be a supervisor.") % {"name": boss}
            self.error(line, "supervisor_code", message)

    def preview(self, plans):
        counts = Counter()
        for plan in plans:
            changes = _changes(plan)
            action = "create" if plan.original is None else "update" if changes else "unchanged"
            counts[action] += 1
            self.report.rows.append(_row_preview(plan, action, changes))
        self.report.created = counts["create"]
        self.report.updated = counts["update"]
        self.report.unchanged = counts["unchanged"]
        names = dict.fromkeys(plan.values["department"] for plan in plans)
        self.report.new_departments = [name for name in names if name not in self.departments]


def _columns_of(employee):
    """A saved person as the columns of the staff CSV."""
    return {
        **{name: getattr(employee, name) for name in TEXT_FIELDS},
        "position_class": employee.position_class.code,
        "department": employee.department.name_th,
        "supervisor_code": employee.supervisor.employee_code if employee.supervisor else "",
        "username": employee.user.username if employee.user else "",
    }


def _changes(plan):
    """The columns whose value the line changes, for a person already in the portal."""
    if plan.original is None:
        return []
    now = _columns_of(plan.original)
    wanted = {**plan.values, "username": plan.username}
    return [column for column in HEADER if now[column] != wanted[column]]


def _row_preview(plan, action, changes):
    values = plan.values
    return RowPreview(
        line=plan.line,
        employee_code=values["employee_code"],
        full_name=plan.employee.full_name,
        action=action,
        position_title=values["position_title"],
        position_class=values["position_class"],
        department=values["department"],
        supervisor_code=values["supervisor_code"],
        username=plan.username,
        changes=changes,
    )


# Writing


def _apply(plans):
    """Save every planned person, then set the supervisors: a supervisor may come later in the
    file than the people they supervise."""
    departments = {}
    for plan in plans:
        name = plan.values["department"]
        if name not in departments:
            departments[name] = department_named(name)
        _save_person(plan, departments[name])
    codes = {plan.values["supervisor_code"] for plan in plans} - {""}
    supervisors = Employee.objects.in_bulk(codes, field_name="employee_code")
    for plan in plans:
        plan.employee.supervisor = supervisors.get(plan.values["supervisor_code"])
        plan.employee.save(update_fields=["supervisor"])


def _save_person(plan, department):
    employee = plan.employee
    employee.department = department
    if plan.original is None:
        employee.supervisor = None  # set once everyone is saved
    if employee.user is None:
        employee.user = new_login(employee, plan.username)
    else:
        sync_login(employee, plan.username)
    employee.save()
