"""The "My team" menu item (permissions.has_team): shown to whoever rates or reviews someone in
the open round, to nobody else, and found by the person, not by reading the whole round."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessments.models import Assessment, Cycle
from assessments.permissions import has_team


@pytest.fixture
def people(round_open):
    return round_open


def test_raters_and_reviewers_of_the_open_round_have_a_team(people):
    somchai = people.somchai_assessment
    assert somchai.supervisor == people.head
    assert has_team(people.head.user), "head rates somchai"
    assert has_team(somchai.reviewer.user), "the next-level supervisor reviews somchai"


def test_people_without_anyone_to_rate_or_review_have_no_team(people):
    rated_or_reviewing = set(
        Assessment.objects.values_list("supervisor", flat=True).exclude(supervisor=None)
    ) | set(Assessment.objects.values_list("reviewer", flat=True).exclude(reviewer=None))
    assert people.somchai.pk not in rated_or_reviewing
    assert not has_team(people.somchai.user)
    assert not has_team(people.hr), "an HR login with no employee record"


def test_a_closed_round_gives_no_team(people):
    Cycle.objects.filter(pk=people.cycle.pk).update(status=Cycle.Status.CLOSED)
    assert not has_team(people.head.user)


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's EXPLAIN QUERY PLAN")
def test_the_question_reads_the_persons_rows_not_the_whole_round(people):
    with CaptureQueriesContext(connection) as queries:
        has_team(people.hr)
    assert len(queries) == 1
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + queries[0]["sql"])
        plan = " | ".join(str(row[-1]) for row in cursor.fetchall())
    assert "assessment_rater_round" in plan and "assessment_reviewer_round" in plan, plan
    assert "cycle_id=?)" not in plan.replace("AND cycle_id=?)", ""), plan
