from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command

from assessments.models import Assessment, Department, Employee


def test_it_refuses_outside_development(seed_framework, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DJANGO_DEBUG"):
        call_command("seed_demo", stdout=StringIO())
    assert not Employee.objects.exists()


def test_it_creates_the_demo_organisation(seed_framework, settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=StringIO())
    assert Employee.objects.count() == 15
    assert Department.objects.count() == 4
    for username in ["hr.demo", "head.demo", "staff.demo"]:
        assert authenticate(username=username, password="demo-2569") is not None
    head = Employee.objects.get(user__username="head.demo")
    assert head.subordinates.count() == 3
    stages = {a.stage for a in Assessment.objects.filter(cycle__code="2569-1")}
    assert {
        "not_started",
        "in_progress",
        "self_submitted",
        "rated",
        "acknowledged",
        "finalized",
    } <= stages
    # run again: refused, or skipped quietly with --if-empty
    with pytest.raises(CommandError):
        call_command("seed_demo", stdout=StringIO())
    call_command("seed_demo", "--if-empty", stdout=StringIO())
    assert Employee.objects.count() == 15


def test_the_hr_group_exists_after_migrating_with_model_permissions(db):
    from django.contrib.auth.models import Group

    group = Group.objects.get(name="hr")
    codenames = set(group.permissions.values_list("codename", flat=True))
    assert {"change_assessment", "add_cycle", "change_employee", "change_framework"} <= codenames
