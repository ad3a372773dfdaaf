"""Issue 15's acceptance: a whole round by HR's files, with work results from the agreed
indicators. Staff CSV → open the round (--work-results indicators) → agreements CSV with the
achieved levels → paper ratings CSV → results export, whose `work_results` is, for every
person, Σ (achieved level × weight) ÷ (5 × Σ weight) × 100 worked out here with exact
fractions, and whose total adds the two weighted parts as rule 5 says."""

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from io import StringIO

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command

from tests.integration.test_round_by_csv import STAFF, exported_rows, import_paper_ratings

AGREEMENTS = {  # employee code: [(weight, achieved level)]
    "K7102": [("50", 4), ("30", 3), ("20", 5)],
    "K7103": [("33.33", 2), ("33.33", 3), ("33.34", 5)],
    "K7104": [("100", 3)],
}


@pytest.fixture
def hr_officer(django_user_model, db):
    user = django_user_model.objects.create_user("hr.officer")
    user.groups.add(Group.objects.get(name="hr"))
    return user


def agreements_csv():
    lines = [
        "employee_code,indicator,unit,weight,target_1,target_2,target_3,target_4,target_5,"
        "achieved_level"
    ]
    for code, indicators in AGREEMENTS.items():
        for number, (weight, level) in enumerate(indicators, start=1):
            lines.append(f"{code},ตัวชี้วัดที่ {number},ร้อยละ,{weight},60,70,80,90,100,{level}")
    return "\r\n".join(lines) + "\r\n"


def two_places(fraction):
    hundredths = (fraction * 100 * 2 + 1) // 2  # half up, never negative
    return Decimal(int(hundredths)) / 100


def oracle(indicators):
    achieved = sum(Fraction(weight) * level for weight, level in indicators)
    total = sum(Fraction(weight) for weight, _level in indicators)
    return two_places(achieved / (5 * total) * 100)


def test_a_round_by_csv_scores_work_results_from_the_agreed_indicators(
    seed_framework, hr_officer, tmp_path
):
    staff = tmp_path / "staff.csv"
    staff.write_text(STAFF, encoding="utf-8-sig")
    call_command("import_staff", str(staff), stdout=StringIO())
    call_command(
        "open_cycle",
        *("--code", "2569-1", "--fiscal-year", "2569", "--round", "1"),
        *("--work-results", "indicators"),
        stdout=StringIO(),
    )
    agreements = tmp_path / "agreements.csv"
    agreements.write_text(agreements_csv(), encoding="utf-8-sig")
    call_command(
        "import_agreements",
        str(agreements),
        "--cycle",
        "2569-1",
        "--by",
        "hr.officer",
        stdout=StringIO(),
    )
    import_paper_ratings(seed_framework, tmp_path)
    rows = exported_rows(tmp_path)
    assert {row["work_results_method"] for row in rows} == {"indicators"}
    for code, agreed in AGREEMENTS.items():
        mine = [row for row in rows if row["employee_code"] == code]
        assert len(mine) == 4
        work = oracle(agreed)
        assert {Decimal(row["work_results"]) for row in mine} == {work}
        score = Decimal(mine[0]["competency_score"])
        parts = [score * 30 / 100, work * 70 / 100]
        total = sum(p.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP) for p in parts)
        assert Decimal(mine[0]["total"]) == total
    assert oracle(AGREEMENTS["K7102"]) == Decimal("78.00")  # (200 + 90 + 100) ÷ 500, by hand
    head = [row for row in rows if row["employee_code"] == "K7101"]
    assert {row["work_results"] for row in head} == {""}  # no agreement: nothing to score
