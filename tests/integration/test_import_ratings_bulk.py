"""import_ratings writes a whole file at once (services.write_tracks): the same ratings,
states, versions, stored levels and history lines as saving and submitting each track in
turn, in a number of queries that does not grow with the file.

The oracle of the effect is the rules of the per-track services (DOMAIN.md): a save moves a
track's version by one and starts it, a submit moves the track's version and the workflow's by
one more, each leaves one history line; the stored levels are checked against the levels the
ratings themselves give (the results read with the stored levels taken away)."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessments.imports import ratings as ratings_import
from assessments.models import Assessment, AssessmentEvent, Rating, Role, Track
from assessments.selectors.results import round_results
from assessments.services import synthetic
from framework.models import Indicator, ScalePoint

HEADER = "employee_code,role,competency,level,indicator,value"


@pytest.fixture
def built(seed_framework):
    cycle = synthetic.build(people=80, seed=3)
    hr = get_user_model().objects.create(username="hr-import")
    hr.groups.add(Group.objects.get(name="hr"))
    return cycle, hr


def open_self_tracks(cycle):
    """Assessments whose self-assessment still takes ratings, in a fixed order."""
    return list(
        Assessment.objects.filter(cycle=cycle, finalized_at=None)
        .exclude(self_state=Track.SUBMITTED)
        .select_related("employee")
        .order_by("pk")
    )


def every_line(cycle, assessments, value_of):
    """One CSV line per indicator of the round for each assessment's self track."""
    indicators = Indicator.objects.filter(level__competency__framework=cycle.framework)
    keys = list(indicators.values_list("pk", "level__competency__code", "level__number", "number"))
    lines = [HEADER]
    for a in assessments:
        for pk, code, level, number in keys:
            lines.append(f"{a.employee.employee_code},self,{code},{level},{number},{value_of(pk)}")
    return ("\n".join(lines) + "\n").encode("utf-8")


def import_file(cycle, hr, data):
    return ratings_import.import_ratings(
        rows_or_file=io.BytesIO(data), cycle=cycle, by=hr, submit=True
    )


def test_the_queries_of_an_import_do_not_grow_with_the_file(built):
    """Three people's tracks or nine: the same queries, but for the batches of new rows the
    database takes in one INSERT (each holds many rows)."""
    cycle, hr = built
    tracks = open_self_tracks(cycle)
    assert len(tracks) >= 12
    demonstrated = ScalePoint.objects.filter(framework=cycle.framework, demonstrated=True)
    value = demonstrated.first().value
    counts = []
    for chunk in (tracks[:3], tracks[3:12]):
        with CaptureQueriesContext(connection) as queries:
            report = import_file(cycle, hr, every_line(cycle, chunk, lambda pk: value))
        assert len(report.submitted) == len(chunk)
        statements = [q["sql"] for q in queries.captured_queries]
        inserts = [sql for sql in statements if sql.startswith("INSERT")]
        counts.append(len(statements) - len(inserts))
        assert len(inserts) <= 3 + report.ratings // 100
    assert counts[0] == counts[1]


def test_each_track_moves_as_a_save_and_a_submit_would(built):
    cycle, hr = built
    tracks = open_self_tracks(cycle)[:6]
    before = {a.pk: (a.self_state, a.self_version, a.version) for a in tracks}
    had = {a.pk: Rating.objects.filter(assessment=a, role=Role.SELF).count() for a in tracks}
    scale = sorted(
        ScalePoint.objects.filter(framework=cycle.framework).values_list("value", flat=True)
    )
    import_file(cycle, hr, every_line(cycle, tracks, lambda pk: scale[pk % len(scale)]))

    total = Indicator.objects.filter(level__competency__framework=cycle.framework).count()
    for a in Assessment.objects.filter(pk__in=before):
        state, self_version, version = before[a.pk]
        assert a.self_state == Track.SUBMITTED
        assert a.self_submitted_at is not None
        assert (a.self_version, a.version) == (self_version + 2, version + 1)
        ratings = dict(
            Rating.objects.filter(assessment=a, role=Role.SELF).values_list("indicator_id", "value")
        )
        assert len(ratings) == total
        assert all(value == scale[pk % len(scale)] for pk, value in ratings.items())
        lines = list(
            AssessmentEvent.objects.filter(assessment=a, role=Role.SELF, actor=hr)
            .order_by("pk")
            .values_list("action", "from_state", "to_state")
        )
        assert lines == [
            (AssessmentEvent.Action.SAVED, state, Track.IN_PROGRESS),
            (AssessmentEvent.Action.SUBMITTED, Track.IN_PROGRESS, Track.SUBMITTED),
        ]
        assert had[a.pk] < total  # each track had something left to rate


def test_the_stored_levels_are_those_the_ratings_give(built):
    cycle, hr = built
    tracks = open_self_tracks(cycle)[:10]
    scale = sorted(
        ScalePoint.objects.filter(framework=cycle.framework).values_list("value", flat=True)
    )
    import_file(cycle, hr, every_line(cycle, tracks, lambda pk: scale[(pk * 7) % len(scale)]))

    def self_levels():
        return {
            p.assessment.pk: {code: r.self_level for code, r in p.results.items()}
            for p in round_results(cycle)
        }

    stored = self_levels()
    Assessment.objects.update(self_levels=None, supervisor_levels=None)
    assert stored == self_levels()
    assert {a.pk for a in tracks} <= set(stored)


def test_a_track_submitted_meanwhile_is_refused_and_nothing_changes(built):
    cycle, hr = built
    tracks = open_self_tracks(cycle)[:4]
    Assessment.objects.filter(pk=tracks[2].pk).update(self_state=Track.SUBMITTED)
    ratings = Rating.objects.count()
    with pytest.raises(ratings_import.ImportErrors) as caught:
        import_file(cycle, hr, every_line(cycle, tracks, lambda pk: 1))
    assert tracks[2].employee.full_name in " ".join(caught.value.messages)
    assert Rating.objects.count() == ratings
    assert not AssessmentEvent.objects.filter(actor=hr).exists()
