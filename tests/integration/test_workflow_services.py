"""The workflow services: each step, and each refusal leaving the data as it was."""

import pytest
from django.core.exceptions import ValidationError

from assessments import services
from assessments.models import Assessment, AssessmentEvent, Rating, Role, Track
from framework.models import Competency, Framework, Indicator, Level
from tests.factories import all_indicators, rate, values_up_to

REACHED = {"ACH": 2, "COM": 1, "SDEV": 3, "LOCAL": 1}


def fresh(assessment):
    return Assessment.objects.get(pk=assessment.pk)


def snapshot(assessment):
    a = fresh(assessment)
    ratings = sorted(
        Rating.objects.filter(assessment=a).values_list("indicator_id", "role", "value")
    )
    versions = (a.version, a.self_version, a.supervisor_version)
    return (versions, a.self_state, a.supervisor_state, a.acknowledgement, ratings)


@pytest.fixture
def somchai_a(round_open):
    return round_open.somchai_assessment


def test_a_partial_draft_is_saved_and_recorded(round_open, somchai_a):
    first = all_indicators(somchai_a.cycle.framework)[:5]
    services.save_ratings(
        assessment=somchai_a,
        role=Role.SELF,
        by=round_open.somchai.user,
        values={i.pk: 1 for i in first},
        comments={first[0].level.competency_id: "ส่งงานตรงเวลา"},
    )
    a = fresh(somchai_a)
    assert a.self_state == Track.IN_PROGRESS
    # The self track's version moves; the workflow's and the supervisor track's do not
    assert (a.version, a.self_version, a.supervisor_version) == (1, 2, 1)
    assert Rating.objects.filter(assessment=a, role="self").count() == 5
    assert a.comments.get().text == "ส่งงานตรงเวลา"
    event = a.events.get(action="saved")
    assert (event.actor, event.role, event.to_state) == (
        round_open.somchai.user,
        "self",
        "in_progress",
    )


def test_saving_again_updates_in_place(round_open, somchai_a):
    indicator = all_indicators(somchai_a.cycle.framework)[0]
    by = round_open.somchai.user
    services.save_ratings(assessment=somchai_a, role=Role.SELF, by=by, values={indicator.pk: 1})
    services.save_ratings(assessment=somchai_a, role=Role.SELF, by=by, values={indicator.pk: 0})
    assert Rating.objects.get(assessment=somchai_a).value == 0


def test_submitting_an_incomplete_track_lists_what_is_missing(round_open, somchai_a):
    indicators = all_indicators(somchai_a.cycle.framework)
    by = round_open.somchai.user
    services.save_ratings(
        assessment=somchai_a, role=Role.SELF, by=by, values={i.pk: 1 for i in indicators[:-2]}
    )
    before = snapshot(somchai_a)
    with pytest.raises(services.IncompleteRatings) as refused:
        services.submit_track(assessment=somchai_a, role=Role.SELF, by=by)
    assert [i.pk for i in refused.value.missing] == [i.pk for i in indicators[-2:]]
    assert snapshot(somchai_a) == before


def test_a_submitted_track_is_read_only_on_the_server(round_open, somchai_a):
    rate(somchai_a, Role.SELF, round_open.somchai.user, REACHED)
    a = fresh(somchai_a)
    assert a.self_state == Track.SUBMITTED
    before = snapshot(a)
    indicator = all_indicators(a.cycle.framework)[0]
    with pytest.raises(services.WorkflowError):
        services.save_ratings(
            assessment=a, role=Role.SELF, by=round_open.somchai.user, values={indicator.pk: 0}
        )
    with pytest.raises(services.WorkflowError):
        services.submit_track(assessment=a, role=Role.SELF, by=round_open.somchai.user)
    assert snapshot(a) == before


def test_an_indicator_of_another_framework_version_is_refused(
    round_open, somchai_a, seed_framework
):
    other = Framework.objects.create(organisation="อบต.อื่น", version=1, name="อื่น")
    competency = Competency.objects.create(framework=other, code="X", name_th="x", definition="-")
    level = Level.objects.create(competency=competency, number=1, title="-")
    foreign = Indicator.objects.create(level=level, number=1, text="ไม่ใช่ของรอบนี้")
    own = all_indicators(somchai_a.cycle.framework)[0]
    before = snapshot(somchai_a)
    with pytest.raises(ValidationError):
        services.save_ratings(
            assessment=somchai_a,
            role=Role.SELF,
            by=round_open.somchai.user,
            values={own.pk: 1, foreign.pk: 1},
        )
    assert snapshot(somchai_a) == before


def test_a_value_outside_the_scale_is_refused(round_open, somchai_a):
    own = all_indicators(somchai_a.cycle.framework)[:2]
    before = snapshot(somchai_a)
    with pytest.raises(ValidationError):
        services.save_ratings(
            assessment=somchai_a,
            role=Role.SELF,
            by=round_open.somchai.user,
            values={own[0].pk: 1, own[1].pk: 7},
        )
    assert snapshot(somchai_a) == before


def test_a_concurrent_save_of_the_same_track_is_refused_not_overwritten(round_open, somchai_a):
    indicator = all_indicators(somchai_a.cycle.framework)[0]
    read_version = somchai_a.supervisor_version
    services.save_ratings(
        assessment=somchai_a,
        role=Role.SUPERVISOR,
        by=round_open.head.user,
        values={indicator.pk: 1},
        expected_version=read_version,
    )
    before = snapshot(somchai_a)
    with pytest.raises(services.StaleAssessment):
        services.save_ratings(
            assessment=somchai_a,
            role=Role.SUPERVISOR,
            by=round_open.head.user,
            values={indicator.pk: 0},
            expected_version=read_version,
        )
    assert snapshot(somchai_a) == before


def test_a_save_of_the_other_track_never_conflicts(round_open, somchai_a):
    indicator = all_indicators(somchai_a.cycle.framework)[0]
    self_read, supervisor_read = somchai_a.self_version, somchai_a.supervisor_version
    for role, by, value, read in [
        (Role.SUPERVISOR, round_open.head.user, 1, supervisor_read),
        (Role.SELF, round_open.somchai.user, 0, self_read),
    ]:
        services.save_ratings(
            assessment=somchai_a,
            role=role,
            by=by,
            values={indicator.pk: value},
            expected_version=read,
        )
    saved = Rating.objects.filter(assessment=somchai_a).values_list("role", "value")
    assert sorted(saved) == [("self", 0), ("supervisor", 1)]


def test_a_submitted_then_reopened_track_refuses_a_page_read_before(round_open, somchai_a):
    framework = somchai_a.cycle.framework
    read_before = somchai_a.self_version
    services.save_ratings(
        assessment=somchai_a,
        role=Role.SELF,
        by=round_open.somchai.user,
        values=values_up_to(framework, {"ACH": 1, "COM": 1, "SDEV": 1, "LOCAL": 1}),
    )
    services.submit_track(assessment=somchai_a, role=Role.SELF, by=round_open.somchai.user)
    services.reopen(assessment=somchai_a, by=round_open.hr, step="self", reason="แก้ไข")
    first = all_indicators(framework)[0]
    with pytest.raises(services.StaleAssessment):
        services.save_ratings(
            assessment=somchai_a,
            role=Role.SELF,
            by=round_open.somchai.user,
            values={first.pk: 0},
            expected_version=read_before,
        )


def test_work_results_are_0_to_100():
    assert str(services.parse_work_results("85.5")) == "85.50"
    assert services.parse_work_results("") is None
    for bad in ["101", "-1", "abc", "NaN", "1e5"]:
        with pytest.raises(ValidationError):
            services.parse_work_results(bad)


def test_the_whole_workflow(round_open, somchai_a):
    cast = round_open
    rate(somchai_a, Role.SELF, cast.somchai.user, REACHED)
    with pytest.raises(services.WorkflowError):
        services.acknowledge(assessment=somchai_a, by=cast.somchai.user)
    rate(somchai_a, Role.SUPERVISOR, cast.head.user, REACHED)
    with pytest.raises(services.WorkflowError):
        services.review(assessment=somchai_a, by=cast.palad.user, opinion="agree")
    services.acknowledge(assessment=somchai_a, by=cast.somchai.user)
    with pytest.raises(services.WorkflowError):
        services.finalize(assessment=somchai_a, by=cast.hr)  # the review is still missing
    with pytest.raises(ValidationError):
        services.review(assessment=somchai_a, by=cast.palad.user, opinion="differ", comment=" ")
    services.review(
        assessment=somchai_a, by=cast.palad.user, opinion="differ", comment="ควรได้ระดับสูงกว่า"
    )
    services.finalize(assessment=somchai_a, by=cast.hr)
    a = fresh(somchai_a)
    assert a.is_finalized and a.stage == "finalized"
    actions = list(a.events.values_list("action", flat=True))
    assert actions == [
        "opened", "saved", "submitted", "saved", "submitted",
        "acknowledged", "reviewed", "finalized",
    ]  # fmt: skip


def test_a_refusal_needs_a_witness(round_open, somchai_a):
    cast = round_open
    rate(somchai_a, Role.SELF, cast.somchai.user, REACHED)
    rate(somchai_a, Role.SUPERVISOR, cast.head.user, REACHED)
    with pytest.raises(ValidationError):
        services.record_refusal(assessment=somchai_a, by=cast.head.user, witness="  ")
    services.record_refusal(assessment=somchai_a, by=cast.head.user, witness="นางมาลี")
    a = fresh(somchai_a)
    assert a.acknowledgement == Assessment.Acknowledgement.REFUSED
    assert a.refusal_witness == "นางมาลี"
    with pytest.raises(services.WorkflowError):
        services.acknowledge(assessment=a, by=cast.somchai.user)


def test_reopening_needs_a_reason_and_resets_the_later_steps(round_open, somchai_a):
    cast = round_open
    rate(somchai_a, Role.SELF, cast.somchai.user, REACHED)
    rate(somchai_a, Role.SUPERVISOR, cast.head.user, REACHED)
    services.acknowledge(assessment=somchai_a, by=cast.somchai.user)
    with pytest.raises(ValidationError):
        services.reopen(assessment=somchai_a, by=cast.hr, step="supervisor", reason="")
    services.reopen(assessment=somchai_a, by=cast.hr, step="supervisor", reason="ให้คะแนนผิดคน")
    a = fresh(somchai_a)
    assert a.supervisor_state == Track.IN_PROGRESS
    assert a.acknowledgement == Assessment.Acknowledgement.PENDING
    assert a.self_state == Track.SUBMITTED
    assert a.events.filter(action="reopened", detail="ให้คะแนนผิดคน").exists()
    # the ratings are kept, so the supervisor corrects rather than starts again
    assert Rating.objects.filter(assessment=a, role="supervisor").count() == 66


def test_nothing_is_written_once_the_round_is_closed(round_open, somchai_a):
    services.close_cycle(cycle=round_open.cycle, by=round_open.hr)
    indicator = all_indicators(somchai_a.cycle.framework)[0]
    with pytest.raises(services.WorkflowError):
        services.save_ratings(
            assessment=somchai_a,
            role=Role.SELF,
            by=round_open.somchai.user,
            values={indicator.pk: 1},
        )
    assert not Rating.objects.exists()
    assert AssessmentEvent.objects.filter(action="saved").count() == 0
