"""Reads of people for HR's pages."""

from django.db.models import Q

from assessments.models import Employee


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
