"""The test cast: a small organisation and an open round.

palad (chief administrator) ─ head (division head) ─ somchai, malee
                            └ other_head ─ outsider        hr: HR officer, no employee record
"""

from types import SimpleNamespace

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from assessments import services
from assessments.models import Assessment, Department, Employee
from framework.models import Indicator, PositionClass, ScalePoint
from framework.permissions import HR_GROUP

PASSWORD = "a-long-test-password-2569"

PEOPLE = [
    # key, code, first name, position class, department, supervisor
    ("palad", "K0001", "ประเสริฐ", "EXE-2", "สำนักปลัด", None),
    ("head", "K0201", "รัตนา", "DIR-1", "กองคลัง", "palad"),
    ("somchai", "K0202", "สมชาย", "ACA-1", "กองคลัง", "head"),
    ("malee", "K0203", "มาลี", "GEN-1", "กองคลัง", "head"),
    ("other_head", "K0301", "วีระ", "DIR-1", "กองช่าง", "palad"),
    ("outsider", "K0302", "ชาญชัย", "GEN-2", "กองช่าง", "other_head"),
]


def user(username, **extra):
    users = get_user_model().objects
    existing = users.filter(username=username).first()
    return existing or users.create_user(username, password=PASSWORD, **extra)


def make_cast():
    cast = SimpleNamespace()
    departments = {}
    for key, code, first, klass, department, boss in PEOPLE:
        if department not in departments:
            departments[department] = Department.objects.create(
                code=f"D{len(departments) + 1}", name_th=department
            )
        login = user(key, first_name=first, last_name="ทดสอบ")
        person = Employee.objects.create(
            employee_code=code,
            title="นาย",
            first_name=first,
            last_name="ทดสอบ",
            position_title=f"ตำแหน่งของ{first}",
            position_class=PositionClass.objects.get(code=klass),
            department=departments[department],
            supervisor=getattr(cast, boss) if boss else None,
            user=login,
        )
        setattr(cast, key, person)
    cast.hr = user("hr", first_name="ฝ่าย", last_name="บุคคล")
    cast.hr.groups.add(Group.objects.get_or_create(name=HR_GROUP)[0])
    return cast


def open_round(cast, code="2569-1"):
    cycle = services.create_cycle(code=code, fiscal_year=2569, round_number=int(code[-1]))
    services.open_cycle(cycle=cycle, by=cast.hr)
    cast.cycle = cycle
    for key in ("somchai", "malee", "head", "outsider"):
        person = getattr(cast, key)
        setattr(cast, f"{key}_assessment", Assessment.objects.get(cycle=cycle, employee=person))
    return cycle


def all_indicators(framework):
    return list(
        Indicator.objects.filter(level__competency__framework=framework).select_related(
            "level__competency"
        )
    )


def values_up_to(framework, reached, demonstrated=1, not_demonstrated=0):
    """Ratings showing every indicator up to level `reached[code]`, none above."""
    return {
        i.pk: demonstrated
        if i.level.number <= reached[i.level.competency.code]
        else not_demonstrated
        for i in all_indicators(framework)
    }


def scale_values(framework):
    return set(ScalePoint.objects.filter(framework=framework).values_list("value", flat=True))
