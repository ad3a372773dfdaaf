"""factory_boy factories for the tests, and the one helper that rates an assessment.

People (users, divisions, employees) are plain rows. A round is created through
`services.create_cycle` and, with `opened=True`, opened through `services.open_cycle`, as HR
does it; ratings are saved and submitted through `services.save_ratings`/`submit_track` only,
never written to the models directly.

    hr = UserFactory(username="hr", hr=True)
    head = EmployeeFactory(klass="DIR-1", user__username="head")
    somchai = EmployeeFactory(supervisor=head, department=head.department)
    cycle = CycleFactory(opened=True, opened__by=hr)  # round 2569-1, open
    a = Assessment.objects.get(cycle=cycle, employee=somchai)
    rate(a, Role.SUPERVISOR, head.user, {"ACH": 3, "COM": 1, "SDEV": 0, "LOCAL": 2})

The position classes and the seed framework must be in the database (the `seed_framework`
fixture, or any test database: tests/conftest.py loads them once per session).
"""

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from assessments import services
from assessments.models import Cycle, Department, Employee
from framework.models import Indicator, PositionClass
from framework.permissions import HR_GROUP

PASSWORD = "a-long-test-password-2569"
CODES = ("ACH", "COM", "SDEV", "LOCAL")


class UserFactory(factory.django.DjangoModelFactory):
    """A login with PASSWORD; an existing username is reused. `hr=True` adds the HR group."""

    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "ผู้ใช้"
    last_name = "ทดสอบ"
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def hr(user, create, extracted, **kwargs):
        if create and extracted:
            user.groups.add(Group.objects.get_or_create(name=HR_GROUP)[0])


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department
        django_get_or_create = ("name_th",)

    code = factory.Sequence(lambda n: f"F{n:03d}")
    name_th = factory.Sequence(lambda n: f"กองทดสอบ {n}")


class EmployeeFactory(factory.django.DjangoModelFactory):
    """A member of staff with a login of the same names; `klass` is the position class code."""

    class Meta:
        model = Employee

    class Params:
        klass = "GEN-1"

    employee_code = factory.Sequence(lambda n: f"T{n:04d}")
    title = "นาย"
    first_name = factory.Sequence(lambda n: f"พนักงาน{n}")
    last_name = "ทดสอบ"
    position_title = factory.LazyAttribute(lambda e: f"ตำแหน่งของ{e.first_name}")
    position_class = factory.LazyAttribute(lambda e: PositionClass.objects.get(code=e.klass))
    department = factory.SubFactory(DepartmentFactory)
    supervisor = None
    user = factory.SubFactory(
        UserFactory,
        first_name=factory.SelfAttribute("..first_name"),
        last_name=factory.SelfAttribute("..last_name"),
    )


class CycleFactory(factory.django.DjangoModelFactory):
    """A round made by `services.create_cycle`; `opened=True` (and `opened__by=user`) opens it
    with `services.open_cycle`, which gives every active employee an assessment."""

    class Meta:
        model = Cycle
        skip_postgeneration_save = True

    fiscal_year = 2569
    round = 1
    code = factory.LazyAttribute(lambda c: f"{c.fiscal_year}-{c.round}")

    @classmethod
    def _create(cls, model_class, *, code, fiscal_year, round, **kwargs):
        return services.create_cycle(
            code=code, fiscal_year=fiscal_year, round_number=round, **kwargs
        )

    @factory.post_generation
    def opened(cycle, create, extracted, by=None, **kwargs):
        if create and extracted:
            services.open_cycle(cycle=cycle, by=by, **kwargs)
            cycle.refresh_from_db()


# ---------------------------------------------------------------- ratings


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


def rate(assessment, role, by, reached, *, submit=True, comments=None, **extra):
    """Rate `assessment` as `role`: every indicator shown up to level `reached[code]` (or up to
    `reached` in every competency when it is a number), none above; then submit the track
    unless `submit=False`. `extra` goes to save_ratings (work_results=, for the supervisor).
    Returns the values saved ({indicator id: value})."""
    if isinstance(reached, int):
        reached = dict.fromkeys(CODES, reached)
    values = values_up_to(assessment.cycle.framework, reached)
    services.save_ratings(
        assessment=assessment, role=role, by=by, values=values, comments=comments, **extra
    )
    if submit:
        services.submit_track(assessment=assessment, role=role, by=by)
    return values
