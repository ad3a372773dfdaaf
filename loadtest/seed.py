"""A 300-person organisation for the load test, built through the portal's own services: the
staff CSV import (people, divisions, supervisors, logins), the HR group, and round 2569-1
opened with one assessment per person.

One chief, 6 division directors, 24 section heads: 31 supervisors, each rating about nine
people. Every login has the password PASSWORD; its hash is computed once and shared, since
hashing 300 passwords one by one would take minutes (HR's `set_password` would also make
everyone change it at first login, which the load test does not exercise).
"""

import random

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group

from assessments import services
from assessments.apps import ensure_hr_group
from assessments.imports.staff import import_staff
from assessments.models import Assessment
from framework.permissions import HR_GROUP

PASSWORD = "load-2569-test"
PEOPLE = 300
DIVISIONS = 6
HEADS_PER_DIVISION = 4
HR_USERNAME = "hr.load"
STAFF_CLASSES = ["GEN-1", "GEN-2", "ACA-1", "ACA-2", "CON-M", "CON-G"]


def person(number, position, klass, division, supervisor, username=""):
    code = f"L{number:04d}"
    return {
        "employee_code": code,
        "title": "นาย" if number % 2 else "นางสาว",
        "first_name": f"ทดสอบ{number}",
        "last_name": "ภาระงาน",
        "position_title": position,
        "position_class": klass,
        "department": f"กองทดสอบที่ {division + 1}",
        "supervisor_code": supervisor,
        "email": f"{code.lower()}@example.org",
        "username": username,
    }


def staff_rows(count=PEOPLE):
    """The staff CSV rows of the organisation, supervisors before the people they rate."""
    rng = random.Random(2569)
    rows = [person(1, "ปลัดองค์การบริหารส่วนตำบล", "EXE-2", 0, "")]
    directors = [f"L{2 + d:04d}" for d in range(DIVISIONS)]
    for d in range(DIVISIONS):
        rows.append(person(2 + d, "ผู้อำนวยการกอง", "DIR-1", d, "L0001"))
    heads = []
    for d in range(DIVISIONS):
        for _ in range(HEADS_PER_DIVISION):
            number = len(rows) + 1
            heads.append((f"L{number:04d}", d))
            rows.append(person(number, "หัวหน้าฝ่าย", "ACA-3", d, directors[d]))
    bosses = heads + [(code, d) for d, code in enumerate(directors)]
    while len(rows) < count:
        number = len(rows) + 1
        boss, division = bosses[number % len(bosses)]
        rows.append(person(number, "เจ้าหน้าที่", rng.choice(STAFF_CLASSES), division, boss))
    rows[-1]["username"] = HR_USERNAME
    rows[-1]["position_title"] = "นักทรัพยากรบุคคล"
    return rows


def build():
    """Create the people and open the round; return {username: self-assessment id}."""
    import_staff(rows_or_file=staff_rows())
    ensure_hr_group()
    users = get_user_model().objects
    users.update(password=make_password(PASSWORD))
    users.get(username=HR_USERNAME).groups.add(Group.objects.get(name=HR_GROUP))
    cycle = services.create_cycle(code="2569-1", fiscal_year=2569, round_number=1)
    services.open_cycle(cycle=cycle, by=users.get(username=HR_USERNAME))
    assessments = Assessment.objects.filter(cycle=cycle).select_related("employee__user")
    return {a.employee.user.username: a.pk for a in assessments}
