"""Performance agreements from a CSV file (issue 15): assessments.imports.agreements and the
`import_agreements` management command. The work results an agreement gives are checked
against the formula worked by hand: Σ (achieved level × weight) ÷ (5 × Σ weight) × 100."""

from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from assessments import services
from assessments.imports import agreements as agreements_import
from assessments.models import Assessment, AssessmentEvent, AuditEntry, Cycle, Track, WorkIndicator
from tests.conftest import assert_message

HEADER = (
    "employee_code,indicator,unit,weight,target_1,target_2,target_3,target_4,target_5,"
    "achieved_level"
)
TARGETS = "50,60,70,80,90"
SOMCHAI = [  # (4 × 60 + 3 × 40) ÷ (5 × 100) × 100 = 72.00
    f"K0202,ร้อยละของฎีกาที่ตรวจเสร็จภายใน ๓ วัน,ร้อยละ,60,{TARGETS},4",
    "K0202,จำนวนครั้งที่รายงานการเงินล่าช้า,ครั้ง,40,5,4,3,2,1,3",
]
MALEE = [  # (5 × 30 + 2 × 30 + 3 × 40) ÷ 500 × 100 = 66.00
    f"K0203,ร้อยละของหนังสือที่ลงรับในวันเดียว,ร้อยละ,30,{TARGETS},5",
    f"K0203,ความพึงพอใจของผู้มาติดต่อ,คะแนน,30,{TARGETS},2",
    f"K0203,ร้อยละของแฟ้มที่จัดเก็บตามระบบ,ร้อยละ,40,{TARGETS},3",
]


def csv_bytes(lines):
    return ("\r\n".join([HEADER, *lines]) + "\r\n").encode("utf-8-sig")


def import_lines(cast, lines, **options):
    options.setdefault("by", cast.hr)
    return agreements_import.import_agreements(
        rows_or_file=csv_bytes(lines), cycle=cast.cycle, **options
    )


def import_errors(cast, lines):
    with pytest.raises(agreements_import.ImportErrors) as caught:
        import_lines(cast, lines)
    return caught.value.messages


def by_indicators(cast):
    Cycle.objects.filter(pk=cast.cycle.pk).update(work_results_method="indicators")
    cast.cycle.refresh_from_db()


def work_results(assessment):
    return Assessment.objects.get(pk=assessment.pk).work_results


def snapshot():
    return (
        list(
            WorkIndicator.objects.values_list("assessment_id", "number", "title", "achieved_level")
        ),
        list(Assessment.objects.order_by("pk").values_list("pk", "work_results")),
        AssessmentEvent.objects.count(),
    )


# ---------------------------------------------------------------- a good file


def test_a_good_file_writes_each_persons_agreement_and_their_work_results(round_open):
    cast = round_open
    by_indicators(cast)
    report = import_lines(cast, [*SOMCHAI, *MALEE])

    assert (report.people, report.indicators) == (2, 5)
    assert work_results(cast.somchai_assessment) == Decimal("72.00")
    assert work_results(cast.malee_assessment) == Decimal("66.00")
    indicators = list(WorkIndicator.objects.filter(assessment=cast.somchai_assessment))
    assert [(i.number, i.unit, i.weight, i.achieved_level) for i in indicators] == [
        (1, "ร้อยละ", Decimal("60.00"), 4),
        (2, "ครั้ง", Decimal("40.00"), 3),
    ]
    assert indicators[1].targets == ["5", "4", "3", "2", "1"]
    lines = AssessmentEvent.objects.filter(
        assessment=cast.somchai_assessment, action__in=["agreement", "work_assessed"]
    )
    assert sorted(lines.values_list("action", "detail")) == [
        ("agreement", "2"),
        ("work_assessed", "72.00"),
    ]
    assert AuditEntry.objects.filter(action="agreements_imported", target="2569-1").exists()


def test_an_agreement_without_achieved_levels_leaves_the_work_results_blank(round_open):
    cast = round_open
    by_indicators(cast)
    import_lines(cast, [line.rsplit(",", 1)[0] + "," for line in SOMCHAI])
    assert work_results(cast.somchai_assessment) is None
    assert WorkIndicator.objects.filter(assessment=cast.somchai_assessment).count() == 2
    assert not AssessmentEvent.objects.filter(action="work_assessed").exists()


def test_a_persons_lines_replace_their_agreement(round_open):
    cast = round_open
    by_indicators(cast)
    import_lines(cast, [*SOMCHAI, *MALEE])
    report = import_lines(cast, [f"K0202,งานเดียว,ชิ้น,100,{TARGETS},5"])

    assert report.rows[0].replaced == 2
    titles = WorkIndicator.objects.filter(assessment=cast.somchai_assessment)
    assert list(titles.values_list("title", flat=True)) == ["งานเดียว"]
    assert work_results(cast.somchai_assessment) == Decimal("100.00")
    assert WorkIndicator.objects.filter(assessment=cast.malee_assessment).count() == 3


def test_a_round_of_typed_percentages_keeps_the_typed_work_results(round_open):
    cast = round_open
    Assessment.objects.filter(pk=cast.somchai_assessment.pk).update(work_results=Decimal("88"))
    import_lines(cast, SOMCHAI)
    assert work_results(cast.somchai_assessment) == Decimal("88.00")
    assert WorkIndicator.objects.filter(assessment=cast.somchai_assessment).count() == 2


def test_thai_digits_are_read_as_numbers(round_open):
    cast = round_open
    by_indicators(cast)
    import_lines(cast, [f"K0202,งานหนึ่ง,ชิ้น,๖๐,{TARGETS},๔", f"K0202,งานสอง,ชิ้น,๔๐,{TARGETS},๓"])
    assert work_results(cast.somchai_assessment) == Decimal("72.00")


def test_a_dry_run_reports_and_changes_nothing(round_open):
    cast = round_open
    by_indicators(cast)
    before = snapshot()
    report = import_lines(cast, SOMCHAI, dry_run=True)
    assert report.rows[0].work_results == Decimal("72.00")
    assert snapshot() == before


# ---------------------------------------------------------------- refusals: all or nothing


@pytest.mark.parametrize(
    ("line", "thai", "english"),
    [
        (f"K9999,งาน,ชิ้น,100,{TARGETS},", "ไม่มีบุคลากรรหัส K9999", "no employee with code"),
        (f"K0202,,ชิ้น,100,{TARGETS},", "คอลัมน์ indicator", "column indicator"),
        (f"K0202,งาน,ชิ้น,หนึ่งร้อย,{TARGETS},", "ไม่ใช่น้ำหนัก", "is not a weight"),
        (f"K0202,งาน,ชิ้น,0,{TARGETS},", "ไม่ใช่น้ำหนัก", "is not a weight"),
        (f"K0202,งาน,ชิ้น,60.005,{TARGETS},", "มีทศนิยมเกิน", "more than two decimals"),
        (f"K0202,งาน,ชิ้น,100,{TARGETS},6", "ไม่ใช่ระดับ", "is not a level"),
        ("K0202,งาน,ชิ้น,100,50,60,,80,90,", "คอลัมน์ target_3", "column target_3"),
        (f"K0202,{'ก' * 301},ชิ้น,100,{TARGETS},", "ไม่เกิน ๓๐๐", "at most 300"),
    ],
)
def test_a_bad_line_is_refused_in_thai_with_its_line_and_nothing_changes(
    round_open, line, thai, english
):
    cast = round_open
    by_indicators(cast)
    before = snapshot()
    messages = import_errors(cast, [*MALEE, line])
    assert len(messages) == 1
    assert_message(messages[0], "แถวที่ ๕", "Line 5")
    assert_message(messages[0], thai, english)
    assert snapshot() == before


def test_weights_that_do_not_total_100_are_refused(round_open):
    cast = round_open
    before = snapshot()
    messages = import_errors(cast, [f"K0202,งานหนึ่ง,ชิ้น,60,{TARGETS},", *MALEE[:2]])
    assert len(messages) == 2  # somchai's 60 and malee's 30 + 30
    assert_message(messages[0], "รวมกันได้ ๖๐", "total 60")
    assert_message(messages[1], "แถวที่ ๓", "Line 3")
    assert snapshot() == before


def test_the_same_indicator_twice_is_refused(round_open):
    cast = round_open
    messages = import_errors(cast, [SOMCHAI[0], SOMCHAI[0]])
    assert_message(messages[0], "มีอยู่แล้วที่บรรทัด ๒", "already appears on line 2")


def test_a_submitted_supervisor_assessment_or_a_closed_round_is_refused(round_open):
    cast = round_open
    Assessment.objects.filter(pk=cast.somchai_assessment.pk).update(
        supervisor_state=Track.SUBMITTED
    )
    messages = import_errors(cast, [*SOMCHAI, *MALEE])
    assert len(messages) == 1
    assert_message(messages[0], "ผู้บังคับบัญชาส่งผลการประเมินแล้ว", "has been submitted")
    Cycle.objects.filter(pk=cast.cycle.pk).update(status=Cycle.Status.CLOSED)
    messages = import_errors(cast, MALEE)
    assert_message(messages[0], "ปิดแล้ว", "is closed")
    assert not WorkIndicator.objects.exists()


def test_typed_work_results_are_refused_in_a_round_of_indicators(round_open):
    cast = round_open
    by_indicators(cast)
    with pytest.raises(services.WorkflowError) as caught:
        services.save_ratings(
            assessment=cast.somchai_assessment,
            role="supervisor",
            by=cast.head.user,
            values={},
            work_results=Decimal("90"),
        )
    assert_message(caught.value.messages[0], "คำนวณจากตัวชี้วัด", "come from the agreed")
    assert work_results(cast.somchai_assessment) is None


# ---------------------------------------------------------------- the command


def test_the_command_imports_and_prints_each_person(round_open, tmp_path):
    cast = round_open
    by_indicators(cast)
    path = tmp_path / "agreements.csv"
    path.write_bytes(csv_bytes([*SOMCHAI, *MALEE]))
    out = StringIO()
    call_command("import_agreements", str(path), "--cycle", "2569-1", "--by", "hr", stdout=out)
    assert "72.00" in out.getvalue() and "66.00" in out.getvalue()
    assert work_results(cast.malee_assessment) == Decimal("66.00")


def test_the_command_lists_every_error_and_imports_nothing(round_open, tmp_path):
    cast = round_open
    path = tmp_path / "agreements.csv"
    path.write_bytes(csv_bytes([*SOMCHAI, f"K9999,งาน,ชิ้น,100,{TARGETS},"]))
    err = StringIO()
    with pytest.raises(CommandError) as caught:
        call_command("import_agreements", str(path), "--cycle", "2569-1", stderr=err)
    assert_message(str(caught.value), "ไม่มีการนำเข้า", "Nothing was imported")
    assert "K9999" in err.getvalue()
    assert not WorkIndicator.objects.exists()
    assert cast.cycle.code == "2569-1"


def test_a_round_keeps_its_work_results_when_the_next_round_types_them(round_open):
    from assessments.exports.results import export_csv
    from tests.cast import open_round

    cast = round_open
    by_indicators(cast)
    import_lines(cast, [*SOMCHAI, *MALEE])
    before = export_csv(cast.cycle)
    first = cast.cycle
    Cycle.objects.filter(pk=first.pk).update(status=Cycle.Status.CLOSED)
    open_round(cast, code="2569-2")  # the next round: typed percentages, the default
    assert cast.cycle.work_results_method == "percentage"
    first.refresh_from_db()
    assert first.work_results_method == "indicators"
    assert export_csv(first) == before
    assert (
        ",72.00," in before.decode("utf-8-sig")
        if isinstance(before, bytes)
        else ",72.00," in before
    )


def test_importing_again_keeps_the_evidence_and_records_only_what_changed(round_open):
    cast = round_open
    by_indicators(cast)
    import_lines(cast, SOMCHAI)
    WorkIndicator.objects.filter(assessment=cast.somchai_assessment, number=1).update(
        evidence="รายงานผลการเบิกจ่ายประจำเดือน"
    )
    lines_before = AssessmentEvent.objects.filter(assessment=cast.somchai_assessment).count()
    import_lines(cast, SOMCHAI)  # the same file again: nothing changes, nothing is recorded
    assert AssessmentEvent.objects.filter(assessment=cast.somchai_assessment).count() == (
        lines_before
    )
    first = WorkIndicator.objects.get(assessment=cast.somchai_assessment, number=1)
    assert first.evidence == "รายงานผลการเบิกจ่ายประจำเดือน"
    import_lines(cast, [SOMCHAI[0][:-1] + "5", SOMCHAI[1]])  # a level reached: one line
    actions = AssessmentEvent.objects.filter(assessment=cast.somchai_assessment).values_list(
        "action", flat=True
    )
    assert list(actions)[lines_before:] == ["work_assessed"]
    assert work_results(cast.somchai_assessment) == Decimal("84.00")  # (5×60 + 3×40) ÷ 500
