"""`seed_synthetic`: a deterministic organisation of N people for benchmarks, with the shape the
issue asks for (a chief, heads who rate at most 40, every position class, every stage)."""

from collections import Counter
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from assessments.models import Assessment, Employee, Rating, Role, Track
from assessments.selectors.results import assessment_results
from assessments.services import synthetic
from framework.models import Indicator, PositionClass

CLASSES = [f"C{n}" for n in range(16)] + ["DIR-1", "EXE-2"]


def test_the_same_seed_gives_the_same_organisation():
    assert synthetic.plan(300, 7, CLASSES) == synthetic.plan(300, 7, CLASSES)
    assert synthetic.plan(300, 7, CLASSES) != synthetic.plan(300, 8, CLASSES)


def test_nobody_rates_more_than_forty_and_the_chief_rates_the_heads():
    people = synthetic.plan(2000, 1, CLASSES)
    reports = Counter(p.supervisor for p in people if p.supervisor is not None)
    assert max(reports.values()) == 40
    assert people[0].supervisor is None and people[0].position_class == "EXE-2"
    assert {p.position_class for p in people[1:41]} == {"DIR-1"}
    assert {p.division for p in people if p.index > 40} <= set(range(1, 41))


@pytest.fixture
def built(seed_framework):
    cycle = synthetic.build(people=150, seed=3)
    return cycle


def test_it_builds_every_position_class_and_every_stage(built):
    assert Employee.objects.count() == Assessment.objects.filter(cycle=built).count() == 150
    used = set(Employee.objects.values_list("position_class__code", flat=True))
    assert used == set(PositionClass.objects.values_list("code", flat=True))
    stages = {a.stage for a in Assessment.objects.filter(cycle=built)}
    assert {"not_started", "in_progress", "self_submitted", "rated", "acknowledged"} <= stages
    assert "finalized" in stages


def test_a_submitted_track_has_every_indicator_and_scores(built):
    indicators = Indicator.objects.filter(level__competency__framework=built.framework).count()
    rated = Assessment.objects.filter(cycle=built, supervisor_state=Track.SUBMITTED).first()
    count = Rating.objects.filter(assessment=rated, role=Role.SUPERVISOR).count()
    assert count == indicators
    results = assessment_results(rated)
    assert results.complete and results.total is not None


def test_it_refuses_a_database_with_people_and_writes_nothing(built):
    with pytest.raises(ValidationError) as refused:
        synthetic.build(people=10)
    assert "ต้องใช้ฐานข้อมูลว่าง" in refused.value.messages[0]
    assert Employee.objects.count() == 150


def test_the_command_prints_what_it_built(seed_framework):
    out = StringIO()
    call_command("seed_synthetic", "--people", "60", stdout=out)
    assert "60" in out.getvalue() and "2569-1" in out.getvalue()
