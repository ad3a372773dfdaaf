"""A demo organisation for development and reviews: 15 people in 4 divisions, round 2569-1
open with its assessments in a mix of states. Every step goes through the real services, so the
audit trail, versions and results are what real use would give."""

import random

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction

from assessments import services
from assessments.apps import ensure_hr_group
from assessments.models import Assessment, Cycle, Department, Employee, Role
from framework.models import Indicator, PositionClass, ScalePoint
from framework.permissions import HR_GROUP

DEMO_PASSWORD = "demo-2569"
DEMO_LOGINS = {"K0102": "hr.demo", "K0201": "head.demo", "K0202": "staff.demo"}

DEPARTMENTS = [
    ("OPS", "สำนักปลัด"),
    ("FIN", "กองคลัง"),
    ("ENG", "กองช่าง"),
    ("EDU", "กองการศึกษา ศาสนาและวัฒนธรรม"),
]

# code, title, first, last, position, class, department, supervisor
PEOPLE = [
    ("K0001", "นาย", "ประเสริฐ", "วงศ์ใหญ่", "ปลัดองค์การบริหารส่วนตำบล", "EXE-2", "OPS", None),
    ("K0101", "นางสาว", "สุภาพร", "ใจงาม", "หัวหน้าสำนักปลัด", "DIR-1", "OPS", "K0001"),
    ("K0102", "นาง", "วิไลวรรณ", "ศรีสุข", "นักทรัพยากรบุคคลชำนาญการ", "ACA-2", "OPS", "K0101"),
    ("K0103", "นาย", "สมศักดิ์", "ทองดี", "นักวิเคราะห์นโยบายและแผนปฏิบัติการ", "ACA-1", "OPS", "K0101"),
    ("K0104", "นาย", "อนุชา", "แก้วมณี", "พนักงานขับรถยนต์", "CON-G", "OPS", "K0101"),
    ("K0201", "นาง", "รัตนา", "พูลผล", "ผู้อำนวยการกองคลัง", "DIR-1", "FIN", "K0001"),
    ("K0202", "นางสาว", "กนกพร", "มีสุข", "นักวิชาการเงินและบัญชีชำนาญการ", "ACA-2", "FIN", "K0201"),
    ("K0203", "นาย", "ธนพล", "รุ่งเรือง", "เจ้าพนักงานจัดเก็บรายได้ปฏิบัติงาน", "GEN-1", "FIN", "K0201"),
    ("K0204", "นางสาว", "ปิยะนุช", "ดวงแก้ว", "เจ้าพนักงานพัสดุชำนาญงาน", "GEN-2", "FIN", "K0201"),
    ("K0301", "นาย", "วีระ", "ช่างเหล็ก", "ผู้อำนวยการกองช่าง", "DIR-1", "ENG", "K0001"),
    ("K0302", "นาย", "ชาญชัย", "ศรีทอง", "นายช่างโยธาชำนาญงาน", "GEN-2", "ENG", "K0301"),
    ("K0303", "นาย", "บุญมี", "ใจซื่อ", "ผู้ช่วยนายช่างโยธา", "CON-M", "ENG", "K0301"),
    ("K0401", "นาง", "จิราพร", "สอนดี", "ผู้อำนวยการกองการศึกษาฯ", "DIR-1", "EDU", "K0001"),
    ("K0402", "นางสาว", "ศิริพร", "รักเรียน", "นักวิชาการศึกษาปฏิบัติการ", "ACA-1", "EDU", "K0401"),
    ("K0403", "นาง", "มาลี", "ใจเย็น", "ผู้ดูแลเด็ก", "CON-M", "EDU", "K0401"),
]  # fmt: skip

# How far each person's round has gone (the others have not started).
PLAN = {
    "K0202": "self_draft",
    "K0402": "supervisor_draft",
    "K0203": "self_submitted",
    "K0204": "rated",
    "K0103": "refused",
    "K0302": "acknowledged",
    "K0303": "finalized",
    "K0104": "finalized",
}


WITNESS = "นายอนุชา แก้วมณี พนักงานขับรถยนต์"


class DemoRefused(Exception):
    pass


@transaction.atomic
def seed_demo(cycle_code="2569-1"):
    """Create the demo organisation and open round `cycle_code`; return the round."""
    if Employee.objects.exists():
        raise DemoRefused("people already exist")
    hr_group = _hr_group()
    people = _create_people(hr_group)
    cycle = services.create_cycle(code=cycle_code, fiscal_year=2569, round_number=1)
    services.open_cycle(cycle=cycle, by=people["K0102"].user)
    hr_user = people["K0102"].user
    for code, stage in PLAN.items():
        assessment = Assessment.objects.get(cycle=cycle, employee=people[code])
        _play(assessment, stage, hr_user, random.Random(f"{cycle_code}-{code}"))
    return Cycle.objects.get(pk=cycle.pk)


def _hr_group():
    ensure_hr_group()
    return Group.objects.get(name=HR_GROUP)


def _create_people(hr_group):
    departments = {
        code: Department.objects.create(code=code, name_th=name) for code, name in DEPARTMENTS
    }
    classes = {pc.code: pc for pc in PositionClass.objects.all()}
    users = get_user_model().objects
    people = {}
    for code, title, first, last, position, klass, dept, supervisor in PEOPLE:
        username = DEMO_LOGINS.get(code, code.lower())
        user = users.create_user(username, first_name=first, last_name=last)
        if code in DEMO_LOGINS:
            user.set_password(DEMO_PASSWORD)
        else:
            user.set_unusable_password()
        user.save()
        people[code] = Employee.objects.create(
            employee_code=code,
            title=title,
            first_name=first,
            last_name=last,
            position_title=position,
            position_class=classes[klass],
            department=departments[dept],
            supervisor=people.get(supervisor),
            email=f"{username}@example.org",
            user=user,
        )
    people["K0102"].user.groups.add(hr_group)
    return people


def _ratings(assessment, rng, reach, share=1.0):
    """Demonstrated up to about `reach`, mostly not above; `share` of indicators rated."""
    framework_id = assessment.cycle.framework_id
    scale = ScalePoint.objects.filter(framework_id=framework_id)
    yes = [p.value for p in scale if p.demonstrated]
    no = [p.value for p in scale if not p.demonstrated]
    values = {}
    for indicator in Indicator.objects.filter(
        level__competency__framework_id=framework_id
    ).select_related("level"):
        if rng.random() > share:
            continue
        shown = indicator.level.number <= reach or rng.random() < 0.15
        values[indicator.pk] = rng.choice(yes if shown else no)
    return values


def _rate(assessment, role, user, rng, submit, share=1.0, below=False):
    """Rate around the expected level; `below`: one level under the highest expected, so that
    the results show a development plan to draw up."""
    expected = max(assessment.expected_levels.values() or [1])
    reach = expected - 1 if below else max(1, expected + rng.choice([-1, 0, 0, 1]))
    values = _ratings(assessment, rng, reach, share)
    comments = {}
    if role == Role.SUPERVISOR:
        competency = assessment.cycle.framework.competencies.order_by("order").first()
        comments[competency.pk] = "ควรพัฒนาการวางแผนงานให้เป็นระบบมากขึ้น"
    extra = {"work_results": rng.choice([72, 78.5, 85, 91])} if role == Role.SUPERVISOR else {}
    services.save_ratings(
        assessment=assessment, role=role, by=user, values=values, comments=comments, **extra
    )
    if submit:
        services.submit_track(assessment=assessment, role=role, by=user)


def _play(assessment, stage, hr_user, rng):
    """Take one assessment through the workflow up to `stage`."""
    employee = assessment.employee.user
    supervisor = assessment.supervisor.user
    if stage == "self_draft":
        _rate(assessment, Role.SELF, employee, rng, submit=False, share=0.5)
        return
    _rate(assessment, Role.SELF, employee, rng, submit=True)
    if stage == "self_submitted":
        return
    submit = stage != "supervisor_draft"
    _rate(assessment, Role.SUPERVISOR, supervisor, rng, submit=submit, below=stage == "rated")
    if stage in ("supervisor_draft", "rated"):
        return
    if stage == "refused":
        services.record_refusal(assessment=assessment, by=supervisor, witness=WITNESS)
        return
    services.acknowledge(assessment=assessment, by=employee)
    if stage == "acknowledged":
        return
    if assessment.reviewer:
        services.review(assessment=assessment, by=assessment.reviewer.user, opinion="agree")
    services.finalize(assessment=assessment, by=hr_user)
