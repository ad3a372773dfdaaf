import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from assessments.models import Assessment, AssessmentEvent, Cycle
from framework.models import ExpectedLevel, Framework


def open_cycle(*args):
    out = StringIO()
    call_command("open_cycle", *args, stdout=out)
    return out.getvalue()


def test_it_opens_a_round_with_one_assessment_per_active_employee(cast):
    cast.malee.active = False
    cast.malee.save()
    output = open_cycle("--code", "2569-1", "--fiscal-year", "2569", "--round", "1")
    cycle = Cycle.objects.get(code="2569-1")
    assert cycle.status == Cycle.Status.OPEN
    assert (cycle.start_date, cycle.end_date) == (
        datetime.date(2025, 10, 1),
        datetime.date(2026, 3, 31),
    )
    assert cycle.framework.version == 1
    people = set(cycle.assessments.values_list("employee__employee_code", flat=True))
    assert people == {"K0001", "K0201", "K0202", "K0301", "K0302"}
    assert "2569-1" in output
    # Thai, with Buddhist Era dates; a command's numbers in Arabic digits for scripts
    assert "(1 ตุลาคม 2568 – 31 มีนาคม 2569)" in output
    assert "2025-10-01" not in output
    assert AssessmentEvent.objects.filter(action="opened").count() == 5


def test_round_2_dates(cast):
    open_cycle("--code", "2569-2", "--fiscal-year", "2569", "--round", "2")
    cycle = Cycle.objects.get(code="2569-2")
    assert (cycle.start_date, cycle.end_date) == (
        datetime.date(2026, 4, 1),
        datetime.date(2026, 9, 30),
    )


def test_opening_snapshots_supervisor_reviewer_class_and_expected_levels(cast):
    open_cycle("--code", "2569-1", "--fiscal-year", "2569", "--round", "1")
    assessment = Assessment.objects.get(employee=cast.somchai)
    assert assessment.supervisor == cast.head
    assert assessment.reviewer == cast.palad
    assert assessment.position_class.code == "ACA-1"
    assert assessment.expected_levels == {"ACH": 1, "COM": 1, "SDEV": 1, "LOCAL": 1}
    # Later changes to the person or the grid do not move the snapshot
    cast.somchai.supervisor = cast.other_head
    cast.somchai.save()
    ExpectedLevel.objects.filter(position_class__code="ACA-1").update(level=4)
    assessment.refresh_from_db()
    assert assessment.supervisor == cast.head
    assert assessment.expected_levels["ACH"] == 1


def test_a_wrong_code_is_refused_and_nothing_is_created(cast):
    with pytest.raises(CommandError, match="2569-1"):
        open_cycle("--code", "2569-2", "--fiscal-year", "2569", "--round", "1")
    assert not Cycle.objects.exists()


def test_a_draft_framework_version_is_refused(cast, seed_framework):
    Framework.objects.create(organisation=seed_framework.organisation, version=2, name="ร่าง")
    with pytest.raises(CommandError):
        open_cycle(
            "--code", "2569-1", "--fiscal-year", "2569", "--round", "1", "--framework-version", "2"
        )
    assert not Cycle.objects.exists()
    assert not Assessment.objects.exists()


def test_an_open_round_cannot_be_opened_again(cast):
    open_cycle("--code", "2569-1", "--fiscal-year", "2569", "--round", "1")
    with pytest.raises(CommandError):
        open_cycle("--code", "2569-1", "--fiscal-year", "2569", "--round", "1")
    assert Assessment.objects.count() == 6


def test_only_one_round_is_open_at_a_time(cast):
    open_cycle("--code", "2569-1", "--fiscal-year", "2569", "--round", "1")
    with pytest.raises(CommandError):
        open_cycle("--code", "2569-2", "--fiscal-year", "2569", "--round", "2")
    assert not Cycle.objects.filter(code="2569-2").exists()
