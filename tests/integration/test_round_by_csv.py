"""A whole round through HR's files: staff CSV → open the round → paper ratings CSV → results
export, whose levels, gaps and points are those the scoring rules give."""

import csv
import io
from io import StringIO

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command

from assessments import scoring
from framework.models import Indicator

HEADER = "employee_code,title,first_name,last_name,position_title,position_class,department,"
STAFF = (
    HEADER
    + """supervisor_code,email,username
K7101,นาง,รัตนา,พูลผล,ผู้อำนวยการกองคลัง,DIR-1,กองคลัง,,ratana@example.org,ratana
K7102,นางสาว,กนกพร,มีสุข,นักวิชาการเงินและบัญชีชำนาญการ,ACA-2,กองคลัง,K7101,kanok@example.org,kanok
K7103,นาย,ธนพล,รุ่งเรือง,เจ้าพนักงานจัดเก็บรายได้ปฏิบัติงาน,GEN-1,กองคลัง,K7101,,
K7104,นาย,อนุชา,แก้วมณี,พนักงานขับรถยนต์,CON-G,กองคลัง,K7102,,
"""
)
EXPECTED = {"K7102": 2, "K7103": 1, "K7104": 1}  # ACA-2, GEN-1, CON-G (DOMAIN.md)
# What each person's supervisor saw on paper: the highest level shown, per competency
SHOWN = {
    "K7102": {"ACH": 3, "COM": 1, "SDEV": 0, "LOCAL": 2},
    "K7103": {"ACH": 1, "COM": 2, "SDEV": 5, "LOCAL": 0},
    "K7104": {"ACH": 0, "COM": 0, "SDEV": 1, "LOCAL": 4},
}
SELF_SHOWN = {"ACH": 5, "COM": 4, "SDEV": 3, "LOCAL": 2}  # K7102 rates herself too


def ratings_csv(indicators):
    lines = ["employee_code,role,competency,level,indicator,value"]
    for code, shown in SHOWN.items():
        for i in indicators:
            value = int(i.level.number <= shown[i.level.competency.code])
            lines.append(
                f"{code},supervisor,{i.level.competency.code},{i.level.number},{i.number},{value}"
            )
    for i in indicators:
        value = int(i.level.number <= SELF_SHOWN[i.level.competency.code])
        lines.append(f"K7102,self,{i.level.competency.code},{i.level.number},{i.number},{value}")
    return "\r\n".join(lines) + "\r\n"


def import_paper_ratings(framework, tmp_path):
    """import_ratings --submit of ratings_csv for every indicator of `framework`."""
    indicators = list(
        Indicator.objects.filter(level__competency__framework=framework).select_related(
            "level__competency"
        )
    )
    ratings = tmp_path / "ratings.csv"
    ratings.write_bytes(ratings_csv(indicators).encode("utf-8"))
    call_command(
        "import_ratings",
        *(str(ratings), "--cycle", "2569-1", "--by", "hr.officer", "--submit"),
        stdout=StringIO(),
    )


def exported_rows(tmp_path):
    """The rows of export_results for round 2569-1, as dicts."""
    exported = tmp_path / "results.csv"
    call_command("export_results", "--cycle", "2569-1", "-o", str(exported), stdout=StringIO())
    return list(csv.DictReader(io.StringIO(exported.read_text(encoding="utf-8-sig"))))


@pytest.fixture
def hr_officer(django_user_model, db):
    user = django_user_model.objects.create_user("hr.officer")
    user.groups.add(Group.objects.get(name="hr"))
    return user


def test_staff_and_paper_ratings_by_csv_give_the_scored_results(
    seed_framework, hr_officer, tmp_path
):
    staff = tmp_path / "staff.csv"
    staff.write_text(STAFF, encoding="utf-8-sig")
    call_command("import_staff", str(staff), stdout=StringIO())
    call_command(
        "open_cycle", "--code", "2569-1", "--fiscal-year", "2569", "--round", "1", stdout=StringIO()
    )

    import_paper_ratings(seed_framework, tmp_path)
    rows = exported_rows(tmp_path)
    assert len(rows) == 4 * 4  # four people, four competencies

    for row in rows:
        code, competency = row["employee_code"], row["competency"]
        if code == "K7101":  # the division head has no rater in the file
            assert row["supervisor_level"] == row["gap"] == row["points"] == ""
            continue
        shown = SHOWN[code][competency]
        levels = {n: [n <= shown] * 3 for n in range(1, 6)}
        achieved = scoring.achieved_level(levels)
        expected = EXPECTED[code]
        assert int(row["expected_level"]) == expected
        assert int(row["supervisor_level"]) == achieved == shown
        assert int(row["gap"]) == achieved - expected
        assert int(row["points"]) == scoring.gap_points(achieved, expected)
    k7102 = [row for row in rows if row["employee_code"] == "K7102"]
    assert [int(row["self_level"]) for row in k7102] == list(SELF_SHOWN.values())
    points = [scoring.gap_points(SHOWN["K7102"][c], 2) for c in ("ACH", "COM", "SDEV", "LOCAL")]
    assert k7102[0]["competency_score"] == str(scoring.competency_score(points))
