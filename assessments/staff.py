"""People and their logins: HR adds, edits, deactivates and imports staff here.

Every write is a function with keyword-only arguments that validates, runs in one transaction
and returns what it changed (the convention of services.py). People are never deleted: they are
deactivated, and so is their login. No supervisor chain may loop (`supervisor_loop`), whether
it is built through the form or through a CSV import.
"""

import copy
import csv
import io
import os
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from django.contrib.auth import get_user_model, password_validation
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from assessments.models import Department, Employee
from framework.models import PositionClass

HEADER = [
    "employee_code",
    "title",
    "first_name",
    "last_name",
    "position_title",
    "position_class",
    "department",
    "supervisor_code",
    "email",
    "username",
]
# The columns that are copied to Employee fields of the same name.
TEXT_FIELDS = ["employee_code", "title", "first_name", "last_name", "position_title", "email"]
REQUIRED_COLUMNS = [
    "employee_code",
    "first_name",
    "last_name",
    "position_title",
    "position_class",
    "department",
]
DEPARTMENT_CODE = re.compile(r"D(\d+)")


# ---------------------------------------------------------------- reads


def people(*, department=None, status="active", search=""):
    """People for HR's list, with everything the list shows in one query."""
    found = Employee.objects.select_related("position_class", "department", "supervisor", "user")
    if department is not None:
        found = found.filter(department=department)
    if status in ("active", "inactive"):
        found = found.filter(active=status == "active")
    for word in search.split():
        found = found.filter(
            Q(employee_code__icontains=word)
            | Q(title__icontains=word)
            | Q(first_name__icontains=word)
            | Q(last_name__icontains=word)
        )
    return found


# ---------------------------------------------------------------- supervisors


def supervisor_loop(person, supervisor, links):
    """The chain [person, supervisor, …, person] that would loop back to `person` if
    `supervisor` became their supervisor; an empty list when there is no loop.

    `links` maps each person to their current supervisor (None or "" at the top). Keys may be
    ids or employee codes, as long as `person` and `supervisor` are of the same kind.
    """
    chain = [person]
    seen = {person}
    current = supervisor
    while current not in (None, ""):
        chain.append(current)
        if current == person:
            return chain
        if current in seen:  # an older loop higher up, not through `person`
            return []
        seen.add(current)
        current = links.get(current)
    return []


def loop_message(chain):
    """The reason a supervisor loop is refused, naming everyone in it."""
    if len(chain) <= 2:
        return _("A person cannot be their own supervisor.")
    return _("This would make a loop of supervisors: %(chain)s. Choose another supervisor.") % {
        "chain": " → ".join(str(link) for link in chain)
    }


def _supervisor_problem(employee):
    supervisor = employee.supervisor
    if supervisor is None:
        return None
    if employee.active and not supervisor.active:
        return _("%(name)s is inactive and cannot be a supervisor.") % {"name": supervisor}
    if employee.pk is None:
        return None  # nobody reports to a new person yet: no loop is possible
    links = dict(Employee.objects.values_list("pk", "supervisor_id"))
    chain = supervisor_loop(employee.pk, supervisor.pk, links)
    if not chain:
        return None
    names = Employee.objects.in_bulk(chain)
    return loop_message([names[pk] for pk in chain])


# ---------------------------------------------------------------- logins


def _login(employee, username):
    """An unsaved login for `employee`, named and addressed as they are."""
    return get_user_model()(
        username=username,
        first_name=employee.first_name,
        last_name=employee.last_name,
        email=employee.email,
        is_active=employee.active,
    )


def _new_login(employee, username):
    user = _login(employee, username)
    user.set_unusable_password()
    user.save()
    return user


def username_problem(username, user_id=None):
    """Why `username` cannot be the login of the person whose login is `user_id`, or None."""
    username_field = get_user_model()._meta.get_field("username")
    try:
        username_field.clean(username, None)
    except ValidationError as error:
        return " ".join(error.messages)
    others = get_user_model().objects.filter(username__iexact=username)
    if user_id is not None:
        others = others.exclude(pk=user_id)
    if others.exists():
        return _('The username "%(username)s" is already used by someone else.') % {
            "username": username
        }
    return None


def _sync_login(employee, username):
    """Keep the login's name and address those of the person; create it when asked to."""
    user = employee.user
    if user is None:
        if username:
            employee.user = _new_login(employee, username)
            employee.save(update_fields=["user"])
        return
    user.username = username or user.username
    user.first_name = employee.first_name
    user.last_name = employee.last_name
    user.email = employee.email
    user.save(update_fields=["username", "first_name", "last_name", "email"])


# ---------------------------------------------------------------- departments


def next_department_code():
    """D001, D002, …: one more than the highest such code in use."""
    numbers = [
        int(match.group(1))
        for code in Department.objects.values_list("code", flat=True)
        if (match := DEPARTMENT_CODE.fullmatch(code))
    ]
    return f"D{max(numbers, default=0) + 1:03d}"


def department_named(name):
    """The department of that name, created (with the next free code) if new."""
    name = name.strip()
    department = Department.objects.filter(name_th=name).first()
    if department is None:
        department = Department.objects.create(code=next_department_code(), name_th=name)
    return department


# ---------------------------------------------------------------- people


def _fill(employee, data):
    for name in TEXT_FIELDS:
        if name in data:
            setattr(employee, name, (data[name] or "").strip())
    if "position_class" in data:
        employee.position_class = data["position_class"]
    if "department" in data:
        department = data["department"]
        is_name = isinstance(department, str)
        employee.department = department_named(department) if is_name else department
    if "supervisor" in data:
        employee.supervisor = data["supervisor"]


def _validate(employee, *, username):
    errors = {}
    try:
        employee.full_clean(exclude=["user"], validate_constraints=False)
    except ValidationError as error:
        errors.update(error.message_dict)
    if username:
        problem = username_problem(username, employee.user_id)
        if problem:
            errors["username"] = [problem]
    problem = _supervisor_problem(employee)
    if problem:
        errors["supervisor"] = [problem]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def create_employee(*, data, by=None):
    """A new, active person with a login that has no password yet.

    `data` holds the Employee fields; `department` may be a Department or the name of a new
    one; `username` is the login's name (empty: the employee code in small letters).
    """
    employee = Employee(active=True)
    _fill(employee, data)
    username = (data.get("username") or "").strip() or employee.employee_code.lower()
    _validate(employee, username=username)
    employee.user = _new_login(employee, username)
    employee.save()
    return employee


@transaction.atomic
def update_employee(*, employee, data, by=None):
    """Change a person's details. A non-empty `username` renames the login, or creates one
    when the person has none yet."""
    _fill(employee, data)
    username = (data.get("username") or "").strip()
    _validate(employee, username=username)
    employee.save()
    _sync_login(employee, username)
    return employee


@transaction.atomic
def set_password(*, employee, password, by=None):
    """HR sets a person's password, checked by Django's password validators. A person without
    a login gets one named after their employee code."""
    user = employee.user
    if user is None:
        username = employee.employee_code.lower()
        problem = username_problem(username)
        if problem:
            raise ValidationError(problem)
        user = _login(employee, username)
    password_validation.validate_password(password, user)
    user.set_password(password)
    user.is_active = employee.active
    user.save()
    if employee.user_id is None:
        employee.user = user
        employee.save(update_fields=["user"])
    return employee


def _set_active(employee, active):
    employee.active = active
    employee.save(update_fields=["active"])
    if employee.user is not None:
        employee.user.is_active = active
        employee.user.save(update_fields=["is_active"])


@transaction.atomic
def deactivate_employee(*, employee, by=None):
    """A person who has left: kept with their results, but can no longer log in.

    Refused while they still supervise active people: HR assigns those another supervisor
    first, so that nobody is left to be rated by someone who is gone.
    """
    if by is not None and employee.user_id == by.pk:
        raise ValidationError(_("You cannot deactivate your own account."))
    subordinates = list(employee.subordinates.filter(active=True))
    if subordinates:
        raise ValidationError(
            _(
                "%(name)s still supervises %(people)s. "
                "Assign them another supervisor first, then deactivate."
            )
            % {"name": employee.full_name, "people": ", ".join(map(str, subordinates))}
        )
    _set_active(employee, False)
    return employee


@transaction.atomic
def reactivate_employee(*, employee, by=None):
    """A person who is back: active again, and their login too."""
    supervisor = employee.supervisor
    if supervisor is not None and not supervisor.active:
        raise ValidationError(
            _(
                "%(name)s, the supervisor of this person, is inactive. "
                "Choose another supervisor first, then reactivate."
            )
            % {"name": supervisor}
        )
    _set_active(employee, True)
    return employee


# ---------------------------------------------------------------- import


class ImportErrors(ValidationError):
    """The file was refused and nothing changed: `messages` lists every problem found, each
    with its line and column; `report` is what was understood of the file."""

    def __init__(self, messages, report=None):
        super().__init__(list(messages))
        self.report = report


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
    return report


# Reading the file


def _text(source):
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


def _rows(source):
    """[(line number, {column: stripped value})] for every non-empty line after the header."""
    if isinstance(source, list | tuple):
        header = list(source[0]) if source else HEADER
        check_header(header, HEADER)
        return [(number, _stripped(row)) for number, row in enumerate(source, start=2)]
    return _csv_rows(_text(source))


def _stripped(row):
    return {column: (row.get(column) or "").strip() for column in HEADER}


def check_header(header, expected, *, exact=False):
    """Refuse a header row that lacks or adds columns (`exact`: also no duplicates)."""
    names = [name.strip() for name in header]
    missing = [column for column in expected if column not in names]
    unknown = [name for name in names if name not in expected]
    if not missing and not unknown and (not exact or len(names) == len(expected)):
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
        names = [name.strip() for name in header]
        rows, errors = [], []
        for cells in reader:
            if not any(cell.strip() for cell in cells):
                continue
            if len(cells) != len(names):
                line = reader.line_num
                errors.append((line, _cell_count_error(line, len(cells), len(names))))
                continue
            row = dict(zip(names, cells, strict=True))
            rows.append((reader.line_num, {c: (row.get(c) or "").strip() for c in expected}))
    except csv.Error as error:
        raise ImportErrors([line_error(reader.line_num, str(error))]) from error
    return rows, errors


def _csv_rows(text):
    rows, errors = read_csv_rows(text, HEADER)
    if errors:
        raise ImportErrors([message for _line, message in errors])
    if not rows:
        raise ImportErrors([_("The file has a header row but no people.")])
    return rows


def _cell_count_error(line, found, expected):
    message = _("this line has %(found)d cells, the header has %(expected)d.") % {
        "found": found,
        "expected": expected,
    }
    return line_error(line, message)


def line_error(line, message):
    return _("Line %(line)d: %(message)s") % {"line": line, "message": message}


def cell_error(line, column, message):
    return _("Line %(line)d, column %(column)s: %(message)s") % {
        "line": line,
        "column": column,
        "message": message,
    }


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
        _fill(employee, {name: values[name] for name in TEXT_FIELDS})
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
        message = _('"%(value)s" already appears on line %(line)d.')
        self.error(line, "employee_code", message % {"value": code, "line": first})
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
            message = _("at most %(limit)d characters.") % {"limit": limit}
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
            message = _('"%(value)s" already appears on line %(line)d.') % {
                "value": username,
                "line": self.line_of_username[key],
            }
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
        employee.user = _new_login(employee, plan.username)
    else:
        _sync_login(employee, plan.username)
    employee.save()
