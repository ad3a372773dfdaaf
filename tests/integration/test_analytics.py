"""The analytics computations (assessments/selectors/analytics.py), their CSV and query budget.

Known ratings for the cast's round 2569-1 (expected: somchai and malee 1, head 3):

            supervisor's level            self-assessed level
            ACH COM SDEV LOCAL            ACH COM SDEV LOCAL
  somchai    3   1    0    2               5   1    1    2
  malee      1   2    1    0               (none)
  head       4   2    3    1               2   4    3    3
  outsider   only half rated: no level yet
"""

import csv
import io
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments import services
from assessments.models import Assessment, Department, Employee, Role
from assessments.selectors import analytics
from tests.factories import rate, values_up_to

SUPERVISOR = {
    "somchai": {"ACH": 3, "COM": 1, "SDEV": 0, "LOCAL": 2},
    "malee": {"ACH": 1, "COM": 2, "SDEV": 1, "LOCAL": 0},
    "head": {"ACH": 4, "COM": 2, "SDEV": 3, "LOCAL": 1},
}
SELF = {
    "somchai": {"ACH": 5, "COM": 1, "SDEV": 1, "LOCAL": 2},
    "head": {"ACH": 2, "COM": 4, "SDEV": 3, "LOCAL": 3},
}
CODES = ["ACH", "COM", "SDEV", "LOCAL"]


def rate_the_round(cast):
    rate(cast.somchai_assessment, Role.SUPERVISOR, cast.head.user, SUPERVISOR["somchai"])
    rate(cast.malee_assessment, Role.SUPERVISOR, cast.head.user, SUPERVISOR["malee"])
    rate(cast.head_assessment, Role.SUPERVISOR, cast.palad.user, SUPERVISOR["head"])
    rate(cast.somchai_assessment, Role.SELF, cast.somchai.user, SELF["somchai"])
    rate(cast.head_assessment, Role.SELF, cast.head.user, SELF["head"])
    # the outsider's supervisor has rated only half of the indicators so far: every other one,
    # so that no competency is complete
    values = values_up_to(cast.cycle.framework, dict.fromkeys(CODES, 5))
    half = dict(list(values.items())[::2])
    services.save_ratings(
        assessment=cast.outsider_assessment,
        role=Role.SUPERVISOR,
        by=cast.other_head.user,
        values=half,
    )


def report_of(cast, department=""):
    cast.cycle.refresh_from_db()
    return analytics.cycle_report(cast.cycle, department)


def by_code(rows):
    return {row.competency.code: row for row in rows}


# Worked by hand from the table above and DOMAIN.md's bar scale (3 at or above expected, then
# 2, 1, 0 per level below): points per competency and the score = points ÷ 12 × 100.
HAND_POINTS = {
    "somchai": ([3, 3, 2, 3], Decimal("91.67")),  # expected 1: gaps +2, 0, −1, +1
    "malee": ([3, 3, 3, 2], Decimal("91.67")),  # expected 1: gaps 0, +1, 0, −1
    "head": ([3, 2, 3, 1], Decimal("75.00")),  # expected 3: gaps +1, −1, 0, −2
}


def test_levels_points_and_scores_are_those_worked_by_hand(round_open):
    cast = round_open
    rate_the_round(cast)
    report = report_of(cast)
    scored = {s.assessment.pk: s for s in report.scored}
    for key, (points, score) in HAND_POINTS.items():
        mine = scored[getattr(cast, f"{key}_assessment").pk]
        assert [mine.supervisor_level(code) for code in CODES] == [
            SUPERVISOR[key][code] for code in CODES
        ]
        assert [mine.result(code).points for code in CODES] == points
        assert mine.score == score
        assert (mine.total, mine.band) == (None, None)  # no work results entered
    assert [scored[cast.head_assessment.pk].result(c).self_level for c in CODES] == [2, 4, 3, 3]
    assert scored[cast.outsider_assessment.pk].supervisor_level("ACH") is None
    assert report.complete == 3
    assert report.people == 6  # palad and other_head are in the round, not rated


def test_the_level_distribution_and_the_share_at_or_above_expected(round_open):
    cast = round_open
    rate_the_round(cast)
    rows = by_code(report_of(cast).distribution)
    assert rows["ACH"].counts == [0, 1, 0, 1, 1, 0]
    assert rows["COM"].counts == [0, 1, 2, 0, 0, 0]
    assert rows["SDEV"].counts == [1, 1, 0, 1, 0, 0]
    assert rows["LOCAL"].counts == [1, 1, 1, 0, 0, 0]
    assert [rows[c].overall.percent for c in CODES] == [
        Decimal("100.0"),
        Decimal("66.7"),
        Decimal("66.7"),
        Decimal("33.3"),
    ]
    departments = {share.label: share for share in rows["COM"].departments}
    assert (departments["กองคลัง"].rated, departments["กองคลัง"].at_or_above) == (3, 2)
    assert departments["กองช่าง"].rated == 0  # the outsider is not fully rated
    assert departments["กองช่าง"].percent is None


def test_the_heat_map_gives_the_mean_gap_per_division(round_open):
    cast = round_open
    rate_the_round(cast)
    heat = report_of(cast).heatmap
    treasury = [heat.cell("กองคลัง", code) for code in CODES]
    # ACH: +2, 0, +1; COM: 0, +1, −1; SDEV: −1, 0, 0; LOCAL: +1, −1, −2
    assert [cell.mean_gap for cell in treasury] == [
        Decimal("1.00"),
        Decimal("0.00"),
        Decimal("-0.33"),
        Decimal("-0.67"),
    ]
    assert [cell.count for cell in treasury] == [3, 3, 3, 3]
    assert [cell.tone for cell in treasury] == [
        "above",
        "meets",
        "slightly-below",
        "slightly-below",
    ]
    assert heat.cell("กองช่าง", "ACH").count == 0
    assert heat.cell("กองช่าง", "ACH").tone == "none"
    assert heat.total.cells[0].mean_gap == Decimal("1.00")


def test_the_gap_tones_follow_the_fixed_scale():
    tones = [analytics.gap_tone(Decimal(v)) for v in ("-3", "-2.00", "-1.99", "-1", "-0.01")]
    assert tones == ["far-below", "far-below", "below", "below", "slightly-below"]
    assert analytics.gap_tone(Decimal("0.00")) == "meets"
    assert analytics.gap_tone(Decimal("0.99")) == "meets"
    assert analytics.gap_tone(Decimal("1.00")) == "above"
    assert analytics.gap_tone(None) == "none"


def test_self_and_supervisor_agreement(round_open):
    cast = round_open
    rate_the_round(cast)
    report = report_of(cast)
    rows = by_code(report.agreement)
    summary = {c: (rows[c].same, rows[c].one_apart, rows[c].two_or_more) for c in CODES}
    assert summary == {
        "ACH": (0, 0, 2),
        "COM": (1, 0, 1),
        "SDEV": (1, 1, 0),
        "LOCAL": (1, 0, 1),
    }
    found = sorted(
        (d.assessment.employee.first_name, d.competency.code, d.difference)
        for d in report.disagreements
    )
    assert found == [
        ("รัตนา", "ACH", -2),
        ("รัตนา", "COM", 2),
        ("รัตนา", "LOCAL", 2),
        ("สมชาย", "ACH", 2),
    ]


def test_a_division_filter_narrows_every_figure(round_open):
    cast = round_open
    rate_the_round(cast)
    report = report_of(cast, "กองช่าง")
    assert report.departments == ["กองคลัง", "กองช่าง", "สำนักปลัด"]
    assert {s.department for s in report.scored} == {"กองช่าง"}
    assert by_code(report.distribution)["ACH"].rated == 0
    assert report.disagreements == []


def next_round(cast):
    services.close_cycle(cycle=cast.cycle, by=cast.hr)
    cycle = services.create_cycle(code="2569-2", fiscal_year=2569, round_number=2)
    services.open_cycle(cycle=cycle, by=cast.hr)
    return cycle


def test_the_trend_across_rounds(round_open):
    cast = round_open
    rate_the_round(cast)
    second = next_round(cast)
    somchai = Assessment.objects.get(cycle=second, employee=cast.somchai)
    rate(somchai, Role.SUPERVISOR, cast.head.user, {"ACH": 4, "COM": 2, "SDEV": 1, "LOCAL": 2})
    trend = analytics.organisation_trend()
    assert [c.code for c in trend.cycles] == ["2569-1", "2569-2"]
    first_ach = trend.point(cast.cycle, "ACH")
    assert (first_ach.rated, first_ach.mean_level, first_ach.percent) == (
        3,
        Decimal("2.67"),  # (3 + 1 + 4) ÷ 3
        Decimal("100.0"),
    )
    second_sdev = trend.point(second, "SDEV")
    assert (second_sdev.rated, second_sdev.mean_level, second_sdev.percent) == (
        1,
        Decimal("1.00"),
        Decimal("100.0"),
    )
    history = analytics.person_history(cast.somchai)
    assert [s.assessment.cycle.code for s in history.rounds] == ["2569-1", "2569-2"]
    assert [s.supervisor_level("ACH") for s in history.rounds] == [3, 4]
    assert [s.score for s in history.rounds] == [Decimal("91.67"), Decimal("100.00")]


# ---------------------------------------------------------------- pages, CSV, query budget


def count_queries(client, url):
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def add_rated_people(cast, count, start=0):
    """`count` more people in a new division, fully rated by the head."""
    department, _created = Department.objects.get_or_create(
        code="D9", defaults={"name_th": "กองการศึกษา"}
    )
    for n in range(start, start + count):
        person = Employee.objects.create(
            employee_code=f"X{n}",
            first_name=f"คน{n}",
            last_name="เพิ่ม",
            position_title="-",
            position_class=cast.malee.position_class,
            department=department,
            supervisor=cast.head,
        )
        assessment = Assessment.objects.create(
            cycle=cast.cycle,
            employee=person,
            supervisor=cast.head,
            position_class=person.position_class,
            department_name=department.name_th,
            expected_levels=dict.fromkeys(CODES, 1),
        )
        reached = {code: (n + i) % 6 for i, code in enumerate(CODES)}
        rate(assessment, Role.SUPERVISOR, cast.head.user, reached, submit=False)
        rate(assessment, Role.SELF, cast.head.user, reached, submit=False)


def test_the_analytics_page_queries_do_not_grow_with_the_people(client, round_open):
    cast = round_open
    rate_the_round(cast)
    client.force_login(cast.hr)
    url = reverse("analytics:index")
    add_rated_people(cast, 2)
    small = count_queries(client, url)
    add_rated_people(cast, 10, start=2)
    large = count_queries(client, url)
    assert large == small <= 15
    assert count_queries(client, f"{url}?department=กองการศึกษา") == small


def test_the_person_history_and_trend_queries_do_not_grow_with_the_rounds(client, round_open):
    cast = round_open
    rate_the_round(cast)
    client.force_login(cast.hr)
    person_url = reverse("analytics:person", args=[cast.somchai.pk])
    trend_url = reverse("analytics:trend")
    one = count_queries(client, person_url), count_queries(client, trend_url)
    next_round(cast)
    assert (count_queries(client, person_url), count_queries(client, trend_url)) == one


def read_csv(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:])))


def csv_url(chart, **params):
    query = "&".join(f"{key}={value}" for key, value in params.items())
    return reverse("analytics:csv", args=[chart]) + (f"?{query}" if query else "")


def test_the_csv_downloads_carry_the_numbers_of_the_charts(client, round_open):
    cast = round_open
    rate_the_round(cast)
    client.force_login(cast.hr)
    cycle = cast.cycle.pk
    distribution = {r["competency_code"]: r for r in read_csv(client.get(csv_url("distribution")))}
    assert [distribution["ACH"][f"level_{n}"] for n in range(6)] == list("010110")
    assert distribution["LOCAL"]["share_percent"] == "33.3"
    assert distribution["ACH"]["competency"] == "การมุ่งมั่นสู่ความสำเร็จ"

    heat = read_csv(client.get(csv_url("heatmap", cycle=cycle)))
    cell = next(r for r in heat if r["department"] == "กองคลัง" and r["competency_code"] == "SDEV")
    assert (cell["scope"], cell["people"], cell["mean_gap"]) == ("division", "3", "-0.33")
    empty = next(r for r in heat if r["department"] == "กองช่าง" and r["competency_code"] == "ACH")
    assert (empty["people"], empty["mean_gap"]) == ("0", "")

    expected = read_csv(client.get(csv_url("expected", cycle=cycle)))
    overall = next(r for r in expected if r["scope"] == "all" and r["competency_code"] == "COM")
    assert (overall["rated"], overall["at_or_above_expected"]) == ("3", "2")

    agreement = {r["competency_code"]: r for r in read_csv(client.get(csv_url("agreement")))}
    assert agreement["ACH"]["two_or_more_apart"] == "2"

    disagreements = read_csv(client.get(csv_url("disagreements")))
    assert {(r["employee_code"], r["competency_code"]) for r in disagreements} == {
        ("K0201", "ACH"),
        ("K0201", "COM"),
        ("K0201", "LOCAL"),
        ("K0202", "ACH"),
    }

    trend = read_csv(client.get(csv_url("trend")))
    ach = next(r for r in trend if r["competency_code"] == "ACH")
    assert (ach["cycle"], ach["mean_level"], ach["share_percent"]) == ("2569-1", "2.67", "100.0")

    person = read_csv(client.get(reverse("analytics:person_csv", args=[cast.somchai.pk])))
    assert [(r["competency_code"], r["supervisor_level"], r["points"]) for r in person] == [
        ("ACH", "3", "3"),
        ("COM", "1", "3"),
        ("SDEV", "0", "2"),
        ("LOCAL", "2", "3"),
    ]
    assert person[0]["competency_score"] == "91.67"


def test_a_division_filter_reaches_the_csv(client, round_open):
    cast = round_open
    rate_the_round(cast)
    client.force_login(cast.hr)
    rows = read_csv(client.get(csv_url("heatmap", department="กองช่าง")))
    assert {r["department"] for r in rows if r["scope"] == "division"} == {"กองช่าง"}


def test_an_unknown_chart_or_round_is_not_found(client, round_open):
    client.force_login(round_open.hr)
    assert client.get(csv_url("pie")).status_code == 404
    assert client.get(csv_url("heatmap", cycle=999)).status_code == 404


def test_the_heat_map_shows_each_mean_in_its_cell(client, round_open):
    cast = round_open
    rate_the_round(cast)
    client.force_login(cast.hr)
    html = client.get(reverse("analytics:index")).content.decode()
    svg = html[html.index('<svg class="chart chart-heatmap"') :]
    svg = svg[: svg.index("</svg>")]
    assert 'class="cell tone-above"' in svg
    assert ">+๑.๐๐<" in svg  # ACH in กองคลัง
    assert ">−๐.๓๓<" in svg  # SDEV in กองคลัง
    assert svg.count('class="cell tone-none"') == 2 * 4 + 1  # กองช่าง, สำนักปลัด, the legend


# ---------------------------------------------------------------- submitted ratings only


def add_a_complete_draft(cast):
    """palad rates other_head (DIR-1, expected 3) at level 4 everywhere and does not submit;
    other_head submitted his self-assessment at level 2. With the outsider's half-rated draft,
    two supervisors' drafts in กองช่าง."""
    other_head = Assessment.objects.get(cycle=cast.cycle, employee=cast.other_head)
    rate(other_head, Role.SELF, cast.other_head.user, 2)
    rate(other_head, Role.SUPERVISOR, cast.palad.user, 4, submit=False)
    return other_head


def test_a_supervisors_draft_is_not_counted_and_the_drafts_are_counted_apart(round_open):
    cast = round_open
    rate_the_round(cast)
    add_a_complete_draft(cast)

    report = report_of(cast)

    # the figures of the three submitted ratings, as before the draft
    assert by_code(report.distribution)["ACH"].counts == [0, 1, 0, 1, 1, 0]
    assert report.heatmap.cell("กองช่าง", "ACH").count == 0
    assert by_code(report.agreement)["ACH"].total == 2
    assert report.complete == 3
    assert report.drafts == 2  # other_head's complete draft, the outsider's half one
    assert report.people == 6


def test_the_drafts_may_be_counted_too(round_open):
    cast = round_open
    rate_the_round(cast)
    add_a_complete_draft(cast)
    cast.cycle.refresh_from_db()

    report = analytics.cycle_report(cast.cycle, include_drafts=True)

    # ACH: somchai 3, malee 1, head 4, and other_head's draft 4
    assert by_code(report.distribution)["ACH"].counts == [0, 1, 0, 1, 2, 0]
    cell = report.heatmap.cell("กองช่าง", "ACH")
    assert (cell.count, cell.mean_gap) == (1, Decimal("1.00"))  # 4 − 3
    assert report.complete == 4
    assert report.drafts == 2
    # self 2, supervisor 4: two levels apart on every competency
    other_head = [d for d in report.disagreements if d.assessment.employee == cast.other_head]
    assert [d.difference for d in other_head] == [-2, -2, -2, -2]


def test_the_drafts_follow_the_division_filter(round_open):
    cast = round_open
    rate_the_round(cast)
    add_a_complete_draft(cast)

    assert report_of(cast, "กองช่าง").drafts == 2
    assert report_of(cast, "กองคลัง").drafts == 0


def test_the_trend_counts_submitted_ratings_only_unless_asked(round_open):
    cast = round_open
    rate_the_round(cast)
    add_a_complete_draft(cast)

    submitted = analytics.organisation_trend()
    everything = analytics.organisation_trend(include_drafts=True)

    ach = submitted.point(cast.cycle, "ACH")
    assert (ach.rated, ach.mean_level) == (3, Decimal("2.67"))  # (3 + 1 + 4) ÷ 3
    ach = everything.point(cast.cycle, "ACH")
    assert (ach.rated, ach.mean_level) == (4, Decimal("3.00"))  # (3 + 1 + 4 + 4) ÷ 4
    assert submitted.drafts == {cast.cycle.pk: 2}
    assert submitted.all_drafts == 2


def test_counting_the_drafts_takes_no_more_queries(client, round_open):
    cast = round_open
    rate_the_round(cast)
    add_a_complete_draft(cast)
    client.force_login(cast.hr)
    url = reverse("analytics:index")
    trend = reverse("analytics:trend")

    assert count_queries(client, f"{url}?drafts=1") == count_queries(client, url)
    assert count_queries(client, f"{trend}?drafts=1") == count_queries(client, trend)
    add_rated_people(cast, 5)  # five more drafts
    assert count_queries(client, f"{url}?drafts=1") == count_queries(client, url)


def test_the_csv_follows_the_choice_about_drafts(client, round_open):
    cast = round_open
    rate_the_round(cast)
    add_a_complete_draft(cast)
    client.force_login(cast.hr)

    submitted = {r["competency_code"]: r for r in read_csv(client.get(csv_url("distribution")))}
    everything = {
        r["competency_code"]: r for r in read_csv(client.get(csv_url("distribution", drafts=1)))
    }

    assert (submitted["ACH"]["level_4"], submitted["ACH"]["rated"]) == ("1", "3")
    assert (everything["ACH"]["level_4"], everything["ACH"]["rated"]) == ("2", "4")


def test_the_page_lists_the_25_widest_disagreements_and_the_csv_all_of_them():
    from types import SimpleNamespace

    from assessments.hr.analytics import widest

    # 30 people two levels apart in name order, then one three apart and one four below
    items = [SimpleNamespace(name=f"p{i:02}", difference=2) for i in range(30)]
    items += [
        SimpleNamespace(name="wide", difference=3),
        SimpleNamespace(name="low", difference=-4),
    ]
    shown = widest(items)
    assert [item.name for item in shown[:2]] == ["low", "wide"]
    assert [item.name for item in shown[2:]] == [f"p{i:02}" for i in range(23)]
