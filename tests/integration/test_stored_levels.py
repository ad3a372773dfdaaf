"""A track's stored levels (Assessment.self_levels / supervisor_levels) give the results its
ratings give: the results of a round are read from them, not from its 130,000 ratings, so
they must never drift. The oracle is the other path: the same round scored from its ratings,
with the stored levels taken away."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessments.models import Assessment, Role
from assessments.selectors.results import assessment_results, round_results
from assessments.services import synthetic
from framework.models import ScalePoint
from tests.factories import rate


def figures(people):
    return {
        p.assessment.pk: (
            {
                code: (r.self_level, r.supervisor_level, r.points, r.warning_levels)
                for code, r in p.results.items()
            },
            p.score,
            p.total,
            p.band,
        )
        for p in people
    }


@pytest.fixture
def built(seed_framework):
    return synthetic.build(people=120, seed=11)  # every stage, drafts with half the ratings


def test_a_round_read_from_stored_levels_scores_as_from_its_ratings(built):
    stored = figures(round_results(built))
    Assessment.objects.update(self_levels=None, supervisor_levels=None)
    from_ratings = figures(round_results(built))
    assert len(stored) == 120
    assert stored == from_ratings
    assert any(total is not None for _levels, _score, total, _band in stored.values())
    assert any(levels["ACH"][1] is None for levels, *_ in stored.values())  # drafts too


def test_with_every_level_stored_the_ratings_are_not_read(built):
    with CaptureQueriesContext(connection) as queries:
        round_results(built)
    assert not any("assessments_rating" in q["sql"] for q in queries.captured_queries)


def test_levels_worked_out_for_another_framework_version_are_not_used(built):
    a = Assessment.objects.filter(cycle=built).exclude(supervisor_levels=None).first()
    true_levels = figures([assessment_results(a)])
    wrong = {"framework": a.cycle.framework_id + 1000, "levels": {}}
    Assessment.objects.filter(pk=a.pk).update(self_levels=wrong, supervisor_levels=wrong)
    assert figures([assessment_results(Assessment.objects.get(pk=a.pk))]) == true_levels


def test_saving_ratings_keeps_the_track_levels_in_step(round_open):
    cast = round_open
    a = cast.somchai_assessment
    rate(a, Role.SUPERVISOR, cast.head.user, 2, submit=False, work_results=Decimal("80"))
    a.refresh_from_db()
    assert a.supervisor_levels["levels"]["ACH"][0] == 2
    rate(a, Role.SUPERVISOR, cast.head.user, 4, submit=False)
    a.refresh_from_db()
    assert a.supervisor_levels["levels"]["ACH"] == [4, [1, 2, 3, 4]]
    assert assessment_results(a).results["ACH"].supervisor_level == 4


def test_levels_stored_before_the_version_was_corrected_are_not_used(built):
    # a published version corrected in the admin: here its scale says the other way round
    # which rating shows a behaviour
    stored = figures(round_results(built))
    for point in ScalePoint.objects.filter(framework=built.framework):
        point.demonstrated = not point.demonstrated
        point.save(update_fields=["demonstrated"])
    cycle = type(built).objects.select_related("framework").get(pk=built.pk)
    corrected = figures(round_results(cycle))
    Assessment.objects.update(self_levels=None, supervisor_levels=None)
    assert corrected == figures(round_results(cycle))  # as read from the ratings
    assert corrected != stored  # and the correction shows
