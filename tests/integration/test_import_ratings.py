"""Importing ratings keyed in from paper forms, from the CSV of DOMAIN.md:
assessments.imports.ratings.import_ratings and the `import_ratings` management command."""

import csv
import io
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from assessments import services
from assessments.imports import ratings as ratings_import
from assessments.models import Assessment, AssessmentEvent, Employee, Rating, Role, Track
from assessments.selectors.results import assessment_results
from tests.conftest import assert_message
from tests.factories import all_indicators, rate, values_up_to

HEADER = "employee_code,role,competency,level,indicator,value"
EVERY_LEVEL_2 = {"ACH": 2, "COM": 2, "SDEV": 2, "LOCAL": 2}
EVERY_LEVEL_1 = {"ACH": 1, "COM": 1, "SDEV": 1, "LOCAL": 1}


def versions(assessment):
    return assessment.version, assessment.self_version, assessment.supervisor_version


def lines_up_to(assessment, role, reached):
    """One line per indicator of the round: demonstrated up to level `reached[code]`."""
    code = assessment.employee.employee_code
    return [
        f"{code},{role},{i.level.competency.code},{i.level.number},{i.number},{value}"
        for i, value in _indicators_with_values(assessment, reached)
    ]


def _indicators_with_values(assessment, reached):
    framework = assessment.cycle.framework
    values = values_up_to(framework, reached)
    return [(i, values[i.pk]) for i in all_indicators(framework)]


def csv_bytes(lines, bom=False, newline="\n"):
    text = newline.join([HEADER, *lines]) + newline
    return (b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8")


def import_lines(cast, lines, **options):
    options.setdefault("by", cast.hr)
    return ratings_import.import_ratings(rows_or_file=csv_bytes(lines), cycle=cast.cycle, **options)


def import_errors(cast, lines):
    with pytest.raises(ratings_import.ImportErrors) as caught:
        import_lines(cast, lines)
    return caught.value.messages


def fresh(assessment):
    return Assessment.objects.select_related("cycle__framework", "employee").get(pk=assessment.pk)


def saved(assessment, role):
    return dict(
        Rating.objects.filter(assessment=assessment, role=role).values_list("indicator_id", "value")
    )


# ---------------------------------------------------------------- a good file


def test_a_good_file_saves_the_ratings_and_records_the_events(round_open):
    cast = round_open
    somchai = fresh(cast.somchai_assessment)
    malee = fresh(cast.malee_assessment)
    lines = [
        *lines_up_to(somchai, "supervisor", EVERY_LEVEL_2),
        *lines_up_to(malee, "self", EVERY_LEVEL_1),
    ]

    report = import_lines(cast, lines)

    assert (report.people, report.ratings, report.new, report.changed) == (2, 132, 132, 0)
    expected = values_up_to(somchai.cycle.framework, EVERY_LEVEL_2)
    assert saved(somchai, Role.SUPERVISOR) == expected
    assert saved(malee, Role.SELF) == values_up_to(malee.cycle.framework, EVERY_LEVEL_1)
    assert not saved(somchai, Role.SELF)  # only the tracks in the file
    # Keyed in by HR, through save_ratings: the rater, the trail and the version say so
    assert set(Rating.objects.values_list("rated_by", flat=True)) == {cast.hr.pk}
    event = AssessmentEvent.objects.get(assessment=somchai, action=AssessmentEvent.Action.SAVED)
    assert (event.actor, event.role, event.to_state) == (cast.hr, "supervisor", "in_progress")
    assert fresh(somchai).supervisor_version == somchai.supervisor_version + 1
    # Saved as drafts: nobody has submitted anything
    assert fresh(somchai).supervisor_state == Track.IN_PROGRESS
    assert fresh(malee).self_state == Track.IN_PROGRESS
    assert not AssessmentEvent.objects.filter(action=AssessmentEvent.Action.SUBMITTED).exists()


def test_results_afterwards_are_those_of_the_scoring(round_open):
    cast = round_open
    somchai = fresh(cast.somchai_assessment)
    lines = [
        *lines_up_to(somchai, "supervisor", EVERY_LEVEL_2),
        *lines_up_to(somchai, "self", EVERY_LEVEL_1),
    ]

    import_lines(cast, lines)

    results = assessment_results(fresh(somchai))
    levels = {code: (row.self_level, row.supervisor_level) for code, row in results.results.items()}
    assert levels == {"ACH": (1, 2), "COM": (1, 2), "SDEV": (1, 2), "LOCAL": (1, 2)}
    assert results.complete


@pytest.mark.parametrize(
    ("bom", "newline"), [(True, "\r\n"), (True, "\n"), (False, "\r\n"), (False, "\n")]
)
def test_the_file_may_have_a_bom_and_windows_or_unix_line_endings(round_open, bom, newline):
    cast = round_open
    somchai = fresh(cast.somchai_assessment)
    content = csv_bytes(lines_up_to(somchai, "self", EVERY_LEVEL_2), bom=bom, newline=newline)

    report = ratings_import.import_ratings(rows_or_file=content, cycle=cast.cycle, by=cast.hr)

    assert report.new == 66
    # Nothing of the BOM or the line ending is left in the first and last cells
    assert saved(somchai, Role.SELF) == values_up_to(somchai.cycle.framework, EVERY_LEVEL_2)


def test_rows_may_be_given_as_dicts(round_open):
    cast = round_open
    rows = [
        {"employee_code": "K0202", "role": "self", "competency": "ACH", "level": 1,
         "indicator": 1, "value": 0},
    ]  # fmt: skip

    report = ratings_import.import_ratings(rows_or_file=rows, cycle=cast.cycle, by=cast.hr)

    assert report.new == 1
    assert list(saved(cast.somchai_assessment, Role.SELF).values()) == [0]


# ---------------------------------------------------------------- all rows or none


def test_errors_on_several_lines_import_nothing_and_name_each_line(round_open):
    cast = round_open
    somchai = fresh(cast.somchai_assessment)
    good = lines_up_to(somchai, "self", EVERY_LEVEL_1)
    lines = [
        *good[:3],  # lines 2–4 are good
        "K0203,self,ACH,1,1,7",  # line 5: value outside the scale
        "K0202,boss,ACH,1,2,1",  # line 6: no such role
        "K9999,self,ACH,1,3,1",  # line 7: nobody
        "K0202,self,ACH,1",  # line 8: cells missing
    ]

    errors = import_errors(cast, lines)

    assert len(errors) == 4
    assert_message(errors[0], "แถวที่ ๕ คอลัมน์ value", "Line 5, column value")
    assert_message(errors[1], "แถวที่ ๖ คอลัมน์ role", "Line 6, column role")
    assert_message(errors[2], "แถวที่ ๗ คอลัมน์ employee_code", "Line 7, column employee_code")
    assert "K9999" in errors[2]
    assert_message(errors[3], "แถวที่ ๘", "Line 8")
    # Not even the good lines were imported, and nothing was recorded
    assert not Rating.objects.exists()
    assert not AssessmentEvent.objects.filter(action=AssessmentEvent.Action.SAVED).exists()
    assert versions(fresh(somchai)) == versions(somchai)


def test_a_value_outside_the_scale_is_refused(round_open):
    [error] = import_errors(round_open, ["K0202,self,ACH,1,1,2"])

    assert_message(error, "แถวที่ ๒ คอลัมน์ value", "Line 2, column value")
    assert '"2"' in error
    assert "0, 1" in error  # the scale's points, to choose from


def test_an_indicator_not_in_the_framework_is_refused(round_open):
    errors = import_errors(
        round_open,
        [
            "K0202,self,ACH,1,9,1",  # level 1 of ACH has no indicator 9
            "K0202,self,XYZ,1,1,1",  # no such competency
            "K0202,self,ACH,6,1,1",  # no level 6
            "K0202,self,ACH,1,x,1",  # not a number
        ],
    )

    assert len(errors) == 4
    assert_message(errors[0], "แถวที่ ๒ คอลัมน์ indicator", "Line 2, column indicator")
    assert_message(errors[1], "แถวที่ ๓ คอลัมน์ competency", "Line 3, column competency")
    assert "XYZ" in errors[1]
    assert_message(errors[2], "แถวที่ ๔ คอลัมน์ level", "Line 4, column level")
    assert_message(errors[3], "แถวที่ ๕ คอลัมน์ indicator", "Line 5, column indicator")
    assert not Rating.objects.exists()


def test_a_track_already_submitted_is_refused(round_open):
    cast = round_open
    somchai = fresh(cast.somchai_assessment)
    rate(somchai, Role.SELF, cast.somchai.user, EVERY_LEVEL_1)
    before = saved(somchai, Role.SELF)
    lines = lines_up_to(somchai, "self", EVERY_LEVEL_2)

    errors = import_errors(cast, lines)

    # Once per track, on its first line
    [error] = errors
    assert_message(error, "แถวที่ ๒ คอลัมน์ role", "Line 2, column role")
    assert somchai.employee.full_name in error
    assert saved(somchai, Role.SELF) == before


def test_a_finalised_assessment_is_refused(round_open):
    cast = round_open
    malee = fresh(cast.malee_assessment)
    Assessment.objects.filter(pk=malee.pk).update(finalized_at=timezone.now())

    [error] = import_errors(cast, lines_up_to(malee, "supervisor", EVERY_LEVEL_1)[:2])

    assert_message(error, "แถวที่ ๒ คอลัมน์ employee_code", "Line 2, column employee_code")


def test_a_round_that_is_not_open_is_refused(round_open):
    cast = round_open
    services.close_cycle(cycle=cast.cycle, by=cast.hr)

    errors = import_errors(cast, ["K0202,self,ACH,1,1,1"])

    assert_message(errors[0], "2569-1", "2569-1")
    assert not Rating.objects.exists()


def test_an_unknown_employee_or_one_without_an_assessment_is_refused(round_open):
    cast = round_open
    # Joined after the round opened: no assessment in it yet
    Employee.objects.create(
        employee_code="K0204",
        first_name="ใหม่",
        last_name="ทดสอบ",
        position_title="เจ้าพนักงานธุรการ",
        position_class=cast.malee.position_class,
        department=cast.malee.department,
    )

    errors = import_errors(cast, ["K9999,self,ACH,1,1,1", "K0204,self,ACH,1,1,1"])

    assert len(errors) == 2
    assert_message(errors[0], "แถวที่ ๒ คอลัมน์ employee_code", "Line 2, column employee_code")
    assert "K9999" in errors[0]
    assert_message(errors[1], "แถวที่ ๓ คอลัมน์ employee_code", "Line 3, column employee_code")
    assert "2569-1" in errors[1]


def test_the_same_indicator_twice_for_a_person_and_role_is_refused(round_open):
    lines = [
        "K0202,self,ACH,1,1,1",
        "K0202,supervisor,ACH,1,1,1",  # another role: fine
        "K0203,self,ACH,1,1,1",  # another person: fine
        "K0202,self,ACH,1,1,0",
    ]

    [error] = import_errors(round_open, lines)

    assert_message(error, "แถวที่ ๕ คอลัมน์ indicator", "Line 5, column indicator")
    assert_message(error, "แถวที่ ๒", "line 2")


def test_empty_cells_are_refused(round_open):
    [error] = import_errors(round_open, ["K0202,self,,1,1,1"])

    assert_message(error, "แถวที่ ๒ คอลัมน์ competency", "Line 2, column competency")


def test_lines_without_a_value_are_left_out(round_open):
    # a blank template filled in only partly: the empty lines are not keyed in yet
    import_lines(
        round_open, ["K0202,self,ACH,1,1,1", "K0202,self,ACH,1,2,", "K0202,self,ACH,1,3,0"]
    )

    assert sorted(saved(fresh(round_open.somchai_assessment), "self").values()) == [0, 1]


def test_a_file_with_no_value_at_all_is_refused(round_open):
    [error] = import_errors(round_open, ["K0202,self,ACH,1,1,", "K0202,self,ACH,1,2,"])

    assert_message(error, "ไม่มีค่า", "nothing to import")


def test_missing_or_extra_header_columns_give_one_clear_error(round_open):
    content = b"employee_code,role,competency,level,value,comment\nK0202,self,ACH,1,1,x\n"

    with pytest.raises(ratings_import.ImportErrors) as caught:
        ratings_import.import_ratings(
            rows_or_file=content, cycle=round_open.cycle, by=round_open.hr
        )

    [error] = caught.value.messages
    assert_message(error, "แถวที่ ๑", "Line 1")
    assert "indicator" in error
    assert "comment" in error


def test_a_line_with_an_extra_cell_is_refused(round_open):
    [error] = import_errors(round_open, ["K0202,self,ACH,1,1,1,1"])

    assert_message(error, "แถวที่ ๒", "Line 2")
    assert not Rating.objects.exists()


# ---------------------------------------------------------------- dry run, changes, submit


def test_a_dry_run_changes_nothing_and_says_what_would_happen(round_open):
    cast = round_open
    somchai = fresh(cast.somchai_assessment)

    report = import_lines(cast, lines_up_to(somchai, "supervisor", EVERY_LEVEL_2), dry_run=True)

    [row] = report.rows
    assert (row.full_name, row.role, row.ratings, row.new) == (
        somchai.employee.full_name,
        "supervisor",
        66,
        66,
    )
    assert row.complete
    assert not Rating.objects.exists()
    assert versions(fresh(somchai)) == versions(somchai)
    assert fresh(somchai).supervisor_state == Track.NOT_STARTED


def test_a_second_import_counts_new_changed_and_same(round_open):
    cast = round_open
    somchai = fresh(cast.somchai_assessment)
    import_lines(cast, lines_up_to(somchai, "self", EVERY_LEVEL_1)[:10])
    saves = AssessmentEvent.objects.filter(action=AssessmentEvent.Action.SAVED).count()

    report = import_lines(cast, lines_up_to(somchai, "self", EVERY_LEVEL_2), dry_run=True)

    [row] = report.rows
    # Of the first ten lines, those of level 2 go from "not demonstrated" to "demonstrated"
    first_ten = _indicators_with_values(somchai, EVERY_LEVEL_1)[:10]
    raised = sum(1 for i, _value in first_ten if i.level.number == 2)
    assert (row.new, row.changed, row.same) == (56, raised, 10 - raised)
    assert row.missing == 0
    assert AssessmentEvent.objects.filter(action=AssessmentEvent.Action.SAVED).count() == saves


def test_a_track_with_nothing_new_is_not_saved_again(round_open):
    cast = round_open
    somchai = fresh(cast.somchai_assessment)
    lines = lines_up_to(somchai, "self", EVERY_LEVEL_1)
    import_lines(cast, lines)
    before = versions(fresh(somchai))

    report = import_lines(cast, lines)

    assert report.same == 66
    assert versions(fresh(somchai)) == before
    assert AssessmentEvent.objects.filter(action=AssessmentEvent.Action.SAVED).count() == 1


def test_submit_submits_the_complete_tracks_and_names_the_others(round_open):
    cast = round_open
    somchai = fresh(cast.somchai_assessment)
    malee = fresh(cast.malee_assessment)
    lines = [
        *lines_up_to(somchai, "supervisor", EVERY_LEVEL_2),
        *lines_up_to(malee, "self", EVERY_LEVEL_1)[:5],  # not every indicator
    ]

    report = import_lines(cast, lines, submit=True)

    assert [row.employee_code for row in report.submitted] == ["K0202"]
    [incomplete] = report.incomplete
    assert (incomplete.employee_code, incomplete.missing) == ("K0203", 61)
    assert fresh(somchai).supervisor_state == Track.SUBMITTED
    assert fresh(malee).self_state == Track.IN_PROGRESS
    event = AssessmentEvent.objects.get(action=AssessmentEvent.Action.SUBMITTED)
    assert (event.assessment_id, event.actor, event.role) == (somchai.pk, cast.hr, "supervisor")


def test_submit_counts_ratings_saved_before(round_open):
    cast = round_open
    somchai = fresh(cast.somchai_assessment)
    lines = lines_up_to(somchai, "self", EVERY_LEVEL_1)
    import_lines(cast, lines[:30])

    report = import_lines(cast, lines[30:], submit=True)

    assert [row.employee_code for row in report.submitted] == ["K0202"]
    assert fresh(somchai).self_state == Track.SUBMITTED


# ---------------------------------------------------------------- the command


def write_file(tmp_path, lines, **options):
    path = tmp_path / "ratings.csv"
    path.write_bytes(csv_bytes(lines, **options))
    return path


def run(*args):
    out, err = StringIO(), StringIO()
    call_command("import_ratings", *map(str, args), stdout=out, stderr=err)
    return out.getvalue()


def test_the_command_imports_a_file_and_prints_a_summary(round_open, tmp_path):
    cast = round_open
    somchai = fresh(cast.somchai_assessment)
    path = write_file(tmp_path, lines_up_to(somchai, "supervisor", EVERY_LEVEL_2), bom=True)

    output = run(path, "--cycle", "2569-1")

    assert "K0202" in output
    assert "66" in output
    assert saved(somchai, Role.SUPERVISOR) == values_up_to(somchai.cycle.framework, EVERY_LEVEL_2)
    assert set(Rating.objects.values_list("rated_by", flat=True)) == {cast.hr.pk}
    assert fresh(somchai).supervisor_state == Track.IN_PROGRESS


def test_the_command_dry_run_changes_nothing(round_open, tmp_path):
    somchai = fresh(round_open.somchai_assessment)
    path = write_file(tmp_path, lines_up_to(somchai, "self", EVERY_LEVEL_1))

    output = run(path, "--cycle", "2569-1", "--dry-run")

    assert_message(output, "ทดลอง", "Dry run")
    assert not Rating.objects.exists()


def test_the_command_submits_complete_tracks_when_asked(round_open, tmp_path):
    somchai = fresh(round_open.somchai_assessment)
    path = write_file(tmp_path, lines_up_to(somchai, "self", EVERY_LEVEL_1), newline="\r\n")

    run(path, "--cycle", "2569-1", "--submit")

    assert fresh(somchai).self_state == Track.SUBMITTED


def test_the_command_prints_each_error_and_imports_nothing(round_open, tmp_path):
    path = write_file(
        tmp_path, ["K0202,self,ACH,1,1,1", "K0202,self,ACH,1,2,5", "K9999,x,ACH,1,3,1"]
    )
    err = StringIO()

    with pytest.raises(CommandError):
        call_command("import_ratings", str(path), "--cycle", "2569-1", stderr=err)

    printed = err.getvalue().splitlines()
    assert len(printed) == 3
    assert_message(printed[0], "แถวที่ 3", "Line 3")  # a command prints Arabic digits
    assert_message(printed[1], "แถวที่ 4", "Line 4")
    assert not Rating.objects.exists()


def test_the_command_refuses_an_unknown_round(round_open, tmp_path):
    path = write_file(tmp_path, ["K0202,self,ACH,1,1,1"])

    with pytest.raises(CommandError) as caught:
        run(path, "--cycle", "2570-1")

    assert "2570-1" in str(caught.value)


# ---------------------------------------------------------------- the indicator_text column


def test_a_file_with_the_indicator_text_column_is_accepted_and_the_text_not_read(round_open):
    cast = round_open
    somchai = fresh(cast.somchai_assessment)
    # The words as HR may leave them: edited, quoted with a comma, empty, or a formula guard
    words = ["ทำงานตามที่ได้รับมอบหมาย", '"แก้ไขแล้ว, ไม่ตรงกับกรอบ"', "", "'=1+1"]
    lines = [
        f"{line},{words[n % len(words)]}"
        for n, line in enumerate(lines_up_to(somchai, "supervisor", EVERY_LEVEL_2))
    ]
    content = "\n".join([f"{HEADER},indicator_text", *lines]).encode("utf-8-sig")

    report = ratings_import.import_ratings(rows_or_file=content, cycle=cast.cycle, by=cast.hr)

    assert (report.ratings, report.new) == (66, 66)
    assert assessment_results(fresh(somchai)).supervisor_level("ACH") == 2


def test_rows_given_as_dicts_may_carry_the_indicator_text(round_open):
    cast = round_open
    indicator = all_indicators(cast.cycle.framework)[0]
    row = {
        "employee_code": "K0202",
        "role": "self",
        "competency": indicator.level.competency.code,
        "level": indicator.level.number,
        "indicator": indicator.number,
        "value": 1,
        "indicator_text": indicator.text,
    }

    report = ratings_import.import_ratings(rows_or_file=[row], cycle=cast.cycle, by=cast.hr)

    assert report.ratings == 1
    assert saved(cast.somchai_assessment, Role.SELF) == {indicator.pk: 1}


def test_an_unknown_extra_column_is_still_refused(round_open):
    cast = round_open
    content = f"{HEADER},remark\nK0202,self,ACH,1,1,1,x\n".encode()

    with pytest.raises(ratings_import.ImportErrors) as caught:
        ratings_import.import_ratings(rows_or_file=content, cycle=cast.cycle, by=cast.hr)

    [message] = caught.value.messages
    assert "remark" in message
    assert not Rating.objects.exists()


# ---------------------------------------------------------------- the values changed


def test_the_preview_lists_each_changed_value_with_its_labels(round_open):
    cast = round_open
    somchai = fresh(cast.somchai_assessment)
    # ACH 1.1 and 1.2 saved as demonstrated (1), ACH 1.3 not (0)
    import_lines(cast, ["K0202,self,ACH,1,1,1", "K0202,self,ACH,1,2,1", "K0202,self,ACH,1,3,0"])

    # 1.1 stays, 1.2 goes down, 1.3 goes up, 1.4 is new
    report = import_lines(
        cast,
        [
            "K0202,self,ACH,1,1,1",
            "K0202,self,ACH,1,2,0",
            "K0202,self,ACH,1,3,1",
            "K0202,self,ACH,1,4,1",
        ],
        dry_run=True,
    )

    [row] = report.rows
    assert (row.new, row.changed, row.same) == (1, 2, 1)
    assert row.changes == [
        ratings_import.ValueChange("ACH 1.2", 1, "แสดงพฤติกรรม", 0, "ไม่แสดงพฤติกรรม"),
        ratings_import.ValueChange("ACH 1.3", 0, "ไม่แสดงพฤติกรรม", 1, "แสดงพฤติกรรม"),
    ]
    assert saved(somchai, Role.SELF)  # the dry run wrote nothing more
    assert len(saved(somchai, Role.SELF)) == 3


# ---------------------------------------------------------------- the blank form


def test_the_blank_form_carries_every_indicator_with_its_words(round_open):
    assessment = fresh(round_open.somchai_assessment)

    text = ratings_import.csv_template(assessment, "supervisor")

    assert text.startswith("\ufeff")  # so that a spreadsheet reads the Thai words
    rows = list(csv.reader(io.StringIO(text[1:])))
    assert rows[0] == [*HEADER.split(","), "indicator_text"]
    indicators = all_indicators(assessment.cycle.framework)
    assert len(rows) == 1 + len(indicators) == 67
    words = {
        (i.level.competency.code, str(i.level.number), str(i.number)): " ".join(i.text.split())
        for i in indicators
    }
    for row in rows[1:]:
        assert row[:2] == ["K0202", "supervisor"]
        assert row[5] == ""
        assert row[6] == words[tuple(row[2:5])]
