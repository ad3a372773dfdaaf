"""One round, five surfaces, the same numbers: the results page, the printed form (PDF read
back), the results export (CSV), the analytics (a person's history CSV) and the round dashboard.

The round pins a framework version whose pass share is 0.75 and whose scale has four points,
of which the top two count as demonstrated. The expected numbers come from an oracle written
here from the framework's own levels and indicators and the rules of DOMAIN.md, never from
assessments.scoring; one person's numbers are also worked out by hand below.
"""

import csv
import io
import math
import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

import pytest
from django.urls import reverse
from pypdf import PdfReader

from assessments import services
from assessments.models import Role
from framework import services as framework_services
from framework.models import Framework, Indicator
from tests.cast import open_round

SHARE = Fraction(3, 4)
SCALE = [  # (value, Thai label, English label, demonstrated)
    (0, "ไม่แสดง", "never", False),
    (1, "แสดงบางครั้ง", "sometimes", False),
    (2, "แสดงบ่อย", "often", True),
    (3, "แสดงสม่ำเสมอ", "always", True),
]
DEMONSTRATED = {value for value, _th, _en, shown in SCALE if shown}
CODES = ["ACH", "COM", "SDEV", "LOCAL"]
# The level each track is built to reach per competency (see `values_reaching`).
SUPERVISOR = {
    "somchai": {"ACH": 2, "COM": 0, "SDEV": 1, "LOCAL": 5},  # ACA-1: expected 1
    "malee": {"ACH": 1, "COM": 1, "SDEV": 0, "LOCAL": 3},  # GEN-1: expected 1
    "head": {"ACH": 3, "COM": 1, "SDEV": 4, "LOCAL": 0},  # DIR-1: expected 3
}
SELF = {
    "somchai": {"ACH": 4, "COM": 2, "SDEV": 2, "LOCAL": 5},
    "head": {"ACH": 3, "COM": 3, "SDEV": 3, "LOCAL": 3},
}
WORK_RESULTS = {"somchai": Decimal("85.50"), "head": Decimal("64.00")}  # malee: none yet
BANDS = [(90, "ดีเด่น"), (80, "ดีมาก"), (70, "ดี"), (60, "พอใช้"), (0, "ต้องปรับปรุง")]
TWO = Decimal("0.01")


# ---------------------------------------------------------------- the oracle


def oracle_level(marks):
    """DOMAIN.md: a level passes when its demonstrated share reaches 3/4; levels are
    cumulative, so the achieved level is the last of an unbroken run from level 1."""
    achieved = 0
    for number in (1, 2, 3, 4, 5):
        shown = marks[number]
        if Fraction(sum(shown), len(shown)) < SHARE:
            break
        achieved = number
    return achieved


def oracle_points(achieved, expected):
    """The bar scale: at or above expected 3, one below 2, two below 1, further below 0."""
    return {0: 3, -1: 2, -2: 1}.get(min(achieved - expected, 0), 0)


def oracle_person(levels_expected, work_results):
    """{code: (level, gap, points)}, score, total and band label of one person."""
    rows = {c: (lvl, lvl - exp, oracle_points(lvl, exp)) for c, (lvl, exp) in levels_expected}
    points = sum(row[2] for row in rows.values())
    score = (Decimal(points) * 100 / (3 * len(rows))).quantize(TWO, ROUND_HALF_UP)
    if work_results is None:
        return rows, score, None, None
    total = (score * Decimal("0.3") + work_results * Decimal("0.7")).quantize(TWO, ROUND_HALF_UP)
    band = next(label for lowest, label in BANDS if total >= lowest)
    return rows, score, total, band


def values_reaching(indicators, reached):
    """Ratings that reach `reached[code]` exactly at the 3/4 share: the levels up to it have
    just enough indicators demonstrated (3 and 2 mixed), the next level one too few (1 is
    "sometimes": not demonstrated), and every level above that is fully shown (3) — a higher
    level shown over a failed lower one, which must not count."""
    by_level = {}
    for indicator in indicators:
        key = (indicator.level.competency.code, indicator.level.number)
        by_level.setdefault(key, []).append(indicator)
    values, marks = {}, {}
    for (code, number), items in by_level.items():
        needed = math.ceil(len(items) * SHARE)
        target = reached[code]
        shown = needed if number <= target else (needed - 1 if number == target + 1 else len(items))
        for index, indicator in enumerate(sorted(items, key=lambda i: i.number)):
            values[indicator.pk] = (3 if index % 2 == 0 else 2) if index < shown else 1
        marks.setdefault(code, {})[number] = [index < shown for index in range(len(items))]
    return values, marks


# ---------------------------------------------------------------- the round


@pytest.fixture
def scored_round(cast):
    """Version 2 (share 0.75, four points) published, round 2569-1 opened on it and rated."""
    draft = framework_services.new_version(
        organisation=Framework.objects.get().organisation, by=cast.hr
    )
    framework_services.update_settings(
        framework=draft, by=cast.hr, name="ฉบับมาตรวัด ๔ ระดับ", required_share="0.75"
    )
    framework_services.save_scale(framework=draft, by=cast.hr, points=SCALE)
    framework_services.publish(framework=draft, by=cast.hr)
    open_round(cast)
    cast.cycle.refresh_from_db()
    indicators = list(
        Indicator.objects.filter(level__competency__framework=cast.cycle.framework).select_related(
            "level__competency"
        )
    )
    expected = {}
    for key, reached in SUPERVISOR.items():
        assessment = getattr(cast, f"{key}_assessment")
        rater = assessment.supervisor.user
        values, marks = values_reaching(indicators, reached)
        assert {c: oracle_level(marks[c]) for c in CODES} == reached  # the ratings do reach it
        services.save_ratings(
            assessment=assessment,
            role=Role.SUPERVISOR,
            by=rater,
            values=values,
            work_results=WORK_RESULTS.get(key),
        )
        if key in SELF:
            self_values, _marks = values_reaching(indicators, SELF[key])
            services.save_ratings(
                assessment=assessment,
                role=Role.SELF,
                by=assessment.employee.user,
                values=self_values,
            )
        levels_expected = [(c, (reached[c], assessment.expected_levels[c])) for c in CODES]
        expected[key] = oracle_person(levels_expected, WORK_RESULTS.get(key))
    cast.expected = expected
    return cast


def test_the_oracle_agrees_with_a_case_worked_by_hand(scored_round):
    # somchai, ACA-1 (expected 1 everywhere): levels 2, 0, 1, 5 → gaps +1, −1, 0, +4 →
    # points 3, 2, 3, 3 = 11 of 12 → 91.67 %; total 91.67 × 0.3 + 85.50 × 0.7 = 87.35 → ดีมาก
    rows, score, total, band = scored_round.expected["somchai"]
    assert rows == {"ACH": (2, 1, 3), "COM": (0, -1, 2), "SDEV": (1, 0, 3), "LOCAL": (5, 4, 3)}
    assert (score, total, band) == (Decimal("91.67"), Decimal("87.35"), "ดีมาก")
    # head, DIR-1 (expected 3): levels 3, 1, 4, 0 → points 3, 1, 3, 0 = 7 of 12 → 58.33 %;
    # 58.33 × 0.3 + 64 × 0.7 = 62.30 → พอใช้
    assert scored_round.expected["head"][1:] == (Decimal("58.33"), Decimal("62.30"), "พอใช้")


# ---------------------------------------------------------------- the surfaces


def test_the_results_page_shows_the_oracles_numbers(client, scored_round):
    client.force_login(scored_round.hr)
    for key, (rows, score, total, band) in scored_round.expected.items():
        assessment = getattr(scored_round, f"{key}_assessment")
        html = client.get(reverse("assessments:results", args=[assessment.pk])).content.decode()
        for code, (level, gap, points) in rows.items():
            row = re.search(rf'<tr data-code="{code}"[^>]*>', html).group(0)
            assert f'data-level="{level}"' in row and f'data-points="{points}"' in row
            assert f'data-gap="{gap}"' in row
        assert thai(score) in re.search(r'competency-score">([^<]*)<', html).group(1)
        shown_total = re.search(r'appraisal-total">([^<]*)<', html).group(1)
        assert shown_total == (thai(total) if total is not None else "–")
        assert re.search(r'appraisal-band">([^<]*)<', html).group(1) == (band or "–")


def test_the_printed_form_shows_the_oracles_numbers(client, scored_round):
    client.force_login(scored_round.hr)
    for key, (rows, score, total, band) in scored_round.expected.items():
        assessment = getattr(scored_round, f"{key}_assessment")
        pdf = client.get(reverse("assessments:pdf", args=[assessment.pk])).content
        text = searchable("".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages))
        part2 = text[text.index(searchable("ส่วนที่ ๒")) :]
        for code, (level, gap, points) in rows.items():
            expected_level = assessment.expected_levels[code]
            tail = re.escape(f"{thai(level)}{signed(gap)}{thai(points)}")
            cells = f".*?{thai(expected_level)}(?:[๐-๙]|–){tail}"
            name = searchable(assessment.cycle.framework.competencies.get(code=code).name_th)
            assert re.search(re.escape(name) + cells, part2), (key, code)
        assert thai(score) in part2
        if total is not None:  # the total's row, then the band's row with its label
            after_total = part2[part2.index(thai(total)) + len(thai(total)) :]
            assert re.match(r"[^๐-๙]{0,30}" + searchable(band) + r"(?!มาก)", after_total)


def test_the_results_export_gives_the_oracles_numbers(client, scored_round):
    client.force_login(scored_round.hr)
    url = reverse("exports:results", args=[scored_round.cycle.pk, "csv"])
    content = client.get(url).content.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(content)))
    by_person = {}
    for row in rows:
        by_person.setdefault(row["employee_code"], {})[row["competency"]] = row
    for key, (expected_rows, score, total, _band) in scored_round.expected.items():
        code_of = getattr(scored_round, key).employee_code
        for code, (level, gap, points) in expected_rows.items():
            row = by_person[code_of][code]
            assert (row["supervisor_level"], row["gap"], row["points"]) == tuple(
                str(n) for n in (level, gap, points)
            )
            assert row["competency_score"] == str(score)
            assert row["total"] == ("" if total is None else str(total))
    assert by_person["K0202"]["ACH"]["band"] == "very_good"


def test_the_analytics_give_the_oracles_numbers(client, scored_round):
    client.force_login(scored_round.hr)
    for key, (rows, score, total, band) in scored_round.expected.items():
        person = getattr(scored_round, key)
        url = reverse("analytics:person_csv", args=[person.pk])
        lines = list(csv.DictReader(io.StringIO(client.get(url).content.decode("utf-8-sig"))))
        got = {line["competency_code"]: line for line in lines if line["cycle"] == "2569-1"}
        for code, (level, gap, points) in rows.items():
            assert (got[code]["supervisor_level"], got[code]["gap"], got[code]["points"]) == (
                str(level),
                str(gap),
                str(points),
            )
            assert got[code]["competency_score"] == str(score)
            assert got[code]["total"] == ("" if total is None else str(total))
            assert got[code]["band"] == (band or "")


def test_the_dashboard_shows_the_oracles_numbers(client, scored_round):
    client.force_login(scored_round.hr)
    html = client.get(reverse("assessments:dashboard")).content.decode()
    for key, (rows, score, total, _band) in scored_round.expected.items():
        code_of = getattr(scored_round, key).employee_code
        row = html[html.index(f'data-employee="{code_of}"') :]
        row = row[: row.index("</tr>")]
        for code, (level, _gap, points) in rows.items():
            assert f'data-code="{code}" data-level="{level}" data-points="{points}"' in row
        assert f'data-score="{score}"' in row
        assert f'data-total="{"" if total is None else total}"' in row
    assert 'data-band="very_good"' in html[html.index('data-employee="K0202"') :]


# ---------------------------------------------------------------- reading Thai back


def thai(value):
    return str(value).translate(str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙"))


def signed(gap):
    return thai(f"+{gap}" if gap > 0 else ("0" if gap == 0 else f"\u2212{-gap}"))


def searchable(text):
    """pypdf wraps lines inside cells: compare without white space on both sides."""
    text = unicodedata.normalize("NFC", text)
    return re.sub(r"\s+", "", text)
