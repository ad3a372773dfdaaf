"""The test cast: a small organisation and an open round, built with tests/factories.py.

palad (chief administrator) ─ head (division head) ─ somchai, malee
                            └ other_head ─ outsider        hr: HR officer, no employee record
"""

from types import SimpleNamespace

from assessments.models import Assessment
from framework.models import ScalePoint
from tests.factories import (  # noqa: F401  (PASSWORD, all_indicators, values_up_to: re-exported)
    PASSWORD,
    CycleFactory,
    DepartmentFactory,
    EmployeeFactory,
    UserFactory,
    all_indicators,
    values_up_to,
)

PEOPLE = [
    # key, code, first name, position class, department, supervisor
    ("palad", "K0001", "ประเสริฐ", "EXE-2", "สำนักปลัด", None),
    ("head", "K0201", "รัตนา", "DIR-1", "กองคลัง", "palad"),
    ("somchai", "K0202", "สมชาย", "ACA-1", "กองคลัง", "head"),
    ("malee", "K0203", "มาลี", "GEN-1", "กองคลัง", "head"),
    ("other_head", "K0301", "วีระ", "DIR-1", "กองช่าง", "palad"),
    ("outsider", "K0302", "ชาญชัย", "GEN-2", "กองช่าง", "other_head"),
]


def make_cast():
    cast = SimpleNamespace()
    departments = {}
    for key, code, first, klass, department, boss in PEOPLE:
        if department not in departments:
            departments[department] = DepartmentFactory(
                code=f"D{len(departments) + 1}", name_th=department
            )
        person = EmployeeFactory(
            employee_code=code,
            first_name=first,
            klass=klass,
            department=departments[department],
            supervisor=getattr(cast, boss) if boss else None,
            user=UserFactory(username=key, first_name=first, last_name="ทดสอบ"),
        )
        setattr(cast, key, person)
    cast.hr = UserFactory(username="hr", first_name="ฝ่าย", last_name="บุคคล", hr=True)
    return cast


def open_round(cast, code="2569-1"):
    year, number = code.split("-")
    cycle = CycleFactory(
        code=code, fiscal_year=int(year), round=int(number), opened=True, opened__by=cast.hr
    )
    cast.cycle = cycle
    for key in ("somchai", "malee", "head", "outsider"):
        person = getattr(cast, key)
        setattr(cast, f"{key}_assessment", Assessment.objects.get(cycle=cycle, employee=person))
    return cycle


def scale_values(framework):
    return set(ScalePoint.objects.filter(framework=framework).values_list("value", flat=True))
