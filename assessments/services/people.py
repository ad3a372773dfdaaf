"""People and their logins: HR adds, edits, deactivates and reactivates staff here.

Every write is a function with keyword-only arguments that validates, runs in one transaction
and returns what it changed. People are never deleted: they are deactivated, and so is their
login. No supervisor chain may loop (`supervisor_loop`), whether it is built through the form
or through a CSV import.
"""

import logging
import re

from django.contrib.auth import get_user_model, password_validation
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from assessments.models import Assessment, AuditEntry, Cycle, Department, Employee
from assessments.services import audit
from framework.permissions import HR_GROUP

logger = logging.getLogger(__name__)

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


def new_login(employee, username):
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


def sync_login(employee, username):
    """Keep the login's name and address those of the person; create it when asked to."""
    user = employee.user
    if user is None:
        if username:
            employee.user = new_login(employee, username)
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

AUDITED_FIELDS = [*TEXT_FIELDS, "position_class", "department", "supervisor", "username"]


def audit_values(employee):
    """The person's audited fields as text, for the audit trail's old and new values."""
    values = {name: getattr(employee, name) or "" for name in TEXT_FIELDS}
    for name in ("position_class", "department", "supervisor"):
        value = getattr(employee, name, None) if getattr(employee, f"{name}_id") else None
        values[name] = str(value) if value is not None else ""
    values["username"] = employee.user.username if employee.user_id else ""
    return values


def changed_values(before, after):
    """{field: {"old": …, "new": …}} of the fields that differ."""
    return {
        name: {"old": before[name], "new": after[name]}
        for name in AUDITED_FIELDS
        if before.get(name) != after.get(name)
    }


def _record_person(action, employee, by, summary, detail):
    audit.record(
        action=action,
        by=by,
        target=employee.employee_code,
        summary=audit.thai(summary, name=employee.full_name),
        detail=detail,
    )


def fill_employee(employee, data):
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
    fill_employee(employee, data)
    username = (data.get("username") or "").strip() or employee.employee_code.lower()
    _validate(employee, username=username)
    employee.user = new_login(employee, username)
    employee.save()
    _record_person(
        AuditEntry.Action.PERSON_CREATED,
        employee,
        by,
        gettext_noop("Added %(name)s"),
        {"new": audit_values(employee)},
    )
    return employee


@transaction.atomic
def update_employee(*, employee, data, by=None):
    """Change a person's details. A non-empty `username` renames the login, or creates one
    when the person has none yet."""
    before = audit_values(employee)
    fill_employee(employee, data)
    username = (data.get("username") or "").strip()
    _validate(employee, username=username)
    employee.save()
    sync_login(employee, username)
    changes = changed_values(before, audit_values(employee))
    if changes:
        _record_person(
            AuditEntry.Action.PERSON_UPDATED,
            employee,
            by,
            gettext_noop("Changed %(name)s"),
            {"changes": changes},
        )
    return employee


def is_privileged_login(user):
    """A superuser, a staff login (the Django admin) or a member of HR: such a login's password
    is set in the Django admin, never by HR through the portal."""
    if user is None:
        return False
    return user.is_superuser or user.is_staff or user.groups.filter(name=HR_GROUP).exists()


def password_refusal(employee):
    """Why HR may not set this person's password here, or None."""
    if is_privileged_login(employee.user):
        return _(
            "HR cannot set the password of an administrator or HR login. "
            "Use the Django admin for that account."
        )
    return None


@transaction.atomic
def set_password(*, employee, password, by=None):
    """HR sets a person's password, checked by Django's password validators. A person without
    a login gets one named after their employee code. Refused for a superuser, staff or HR
    login (`password_refusal`). The person must choose their own password at the next login."""
    problem = password_refusal(employee)
    if problem:
        raise ValidationError(problem)
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
    employee.user = user
    employee.must_change_password = True
    employee.save(update_fields=["user", "must_change_password"])
    logger.info(
        "password set by %s for %s (login %s)",
        getattr(by, "username", None) or "the system",
        employee.employee_code,
        user.username,
    )
    _record_person(
        AuditEntry.Action.PASSWORD_SET,
        employee,
        by,
        gettext_noop("Password of %(name)s set by HR"),
        {"username": user.username},
    )
    return employee


def unlock_login(*, employee, by=None):
    """End the lockout of this person's login after too many failed logins (django-axes);
    the number of lockouts ended."""
    from axes.utils import reset

    if employee.user is None:
        return 0
    count = reset(username=employee.user.username)
    logger.info(
        "login %s unlocked by %s",
        employee.user.username,
        getattr(by, "username", None) or "the system",
    )
    _record_person(
        AuditEntry.Action.UNLOCKED,
        employee,
        by,
        gettext_noop("Login of %(name)s unlocked"),
        {"username": employee.user.username, "lockouts_ended": count},
    )
    return count


def must_change_password(user):
    """Whether this login must choose a new password before anything else."""
    if not user.is_authenticated:
        return False
    return Employee.objects.filter(user_id=user.pk, must_change_password=True).exists()


def password_changed(user):
    """The person chose their own password: the one HR set no longer needs changing."""
    Employee.objects.filter(user_id=user.pk, must_change_password=True).update(
        must_change_password=False
    )


def _set_active(employee, active):
    employee.active = active
    employee.save(update_fields=["active"])
    if employee.user is not None:
        employee.user.is_active = active
        employee.user.save(update_fields=["is_active"])


def still_to_rate(employee):
    """Names of the people this person rates in an open round, not finalised yet: the rater
    named when the round opened (or by HR since), whoever their supervisor is today."""
    rows = (
        Assessment.objects.filter(
            supervisor=employee, cycle__status=Cycle.Status.OPEN, finalized_at__isnull=True
        )
        .select_related("employee")
        .order_by("employee__first_name", "employee__last_name")
    )
    return [str(row.employee) for row in rows]


@transaction.atomic
def deactivate_employee(*, employee, by=None):
    """A person who has left: kept with their results, but can no longer log in.

    Refused while they still supervise active people: HR assigns those another supervisor
    first, so that nobody is left to be rated by someone who is gone.
    """
    if by is not None and employee.user_id == by.pk:
        raise ValidationError(_("You cannot deactivate your own account."))
    # Locked, so that a change of rater naming this person waits for this to finish (or the
    # other way round) and sees the person as they are (assessments/services/workflow.py).
    Employee.objects.select_for_update().only("pk").get(pk=employee.pk)
    subordinates = list(employee.subordinates.filter(active=True))
    if subordinates:
        raise ValidationError(
            _(
                "%(name)s still supervises %(people)s. "
                "Assign them another supervisor first, then deactivate."
            )
            % {"name": employee.full_name, "people": ", ".join(map(str, subordinates))}
        )
    rated = still_to_rate(employee)
    if rated:
        raise ValidationError(
            _(
                "%(name)s is still the rater of %(people)s in an open round. "
                "Change the rater of those assessments first, then deactivate."
            )
            % {"name": employee.full_name, "people": ", ".join(rated)}
        )
    _set_active(employee, False)
    _record_person(
        AuditEntry.Action.PERSON_DEACTIVATED,
        employee,
        by,
        gettext_noop("Deactivated %(name)s"),
        {"active": {"old": True, "new": False}},
    )
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
    _record_person(
        AuditEntry.Action.PERSON_REACTIVATED,
        employee,
        by,
        gettext_noop("Reactivated %(name)s"),
        {"active": {"old": False, "new": True}},
    )
    return employee
