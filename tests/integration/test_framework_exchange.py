"""Export and import of a framework version: framework.exchange."""

import copy
import csv
import io
import json

import pytest
from django.conf import settings

from framework import exchange
from framework.models import (
    Competency,
    ExpectedLevel,
    Framework,
    FrameworkEvent,
    Indicator,
    Level,
    PositionClass,
)


def without_version_and_status(data):
    return {key: value for key, value in data.items() if key not in ("version", "status")}


def tree(framework):
    """{(code, level): (title, [(number, text)])} of one version, as stored."""
    levels = Level.objects.filter(competency__framework=framework).select_related("competency")
    return {
        (level.competency.code, level.number): (
            level.title,
            [(i.number, i.text) for i in level.indicators.order_by("number")],
        )
        for level in levels.prefetch_related("indicators")
    }


def row_counts():
    return (
        Framework.objects.count(),
        Competency.objects.count(),
        Level.objects.count(),
        Indicator.objects.count(),
        ExpectedLevel.objects.count(),
        PositionClass.objects.count(),
        FrameworkEvent.objects.count(),
    )


def import_errors(data):
    with pytest.raises(exchange.ImportProblems) as caught:
        exchange.import_data(data, by=None)
    return caught.value.messages


def assert_reported(messages, thai, english):
    """One of the messages says it, in Thai once translated, else in English."""
    assert any(thai in m or english in m for m in messages), messages


@pytest.fixture
def exported(seed_framework):
    """The export of version 1, a fresh copy for each test to spoil as it likes."""
    return exchange.export_data(seed_framework)


def test_the_json_round_trip_is_lossless(seed_framework, exported):
    draft = exchange.import_json(exchange.export_json(seed_framework), by=None)

    assert (draft.version, draft.status) == (2, Framework.Status.DRAFT)
    again = exchange.export_data(draft)
    assert (again["version"], again["status"]) == (2, "draft")
    assert without_version_and_status(again) == without_version_and_status(exported)


def test_every_title_and_indicator_of_the_seed_survives(seed_framework, exported):
    draft = exchange.import_data(exported, by=None)

    original = tree(seed_framework)
    assert len(original) == 20
    assert sum(len(indicators) for _title, indicators in original.values()) == 66
    assert tree(draft) == original


def test_the_export_is_in_a_fixed_order(seed_framework, exported):
    assert exported["format"] == "khlong-khwang-competency-framework"
    assert exported["format_version"] == 1
    assert exported["required_share"] == "1.000"
    assert [c["code"] for c in exported["competencies"]] == ["ACH", "COM", "SDEV", "LOCAL"]
    assert [p["value"] for p in exported["scale"]] == [0, 1]
    assert [pc["code"] for pc in exported["position_classes"]][:3] == ["GEN-1", "GEN-2", "GEN-3"]
    assert exported["expected_levels"]["ACH"]["EXE-3"] == 5
    for competency in exported["competencies"]:
        assert [level["number"] for level in competency["levels"]] == [1, 2, 3, 4, 5]


def test_the_json_text_keeps_thai_readable_and_ends_with_a_newline(seed_framework):
    text = exchange.export_json(seed_framework)

    assert "การมุ่งมั่นสู่ความสำเร็จ" in text
    assert "\\u0e" not in text
    assert text.endswith("}\n")
    assert json.loads(text) == exchange.export_data(seed_framework)


def test_the_csv_has_one_row_per_indicator_and_opens_in_excel(seed_framework):
    text = exchange.export_csv(seed_framework)
    raw = text.encode("utf-8")

    assert raw.startswith(b"\xef\xbb\xbf")
    assert text.count("\r\n") == 67 and "\n" not in text.replace("\r\n", "")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    assert rows[0] == [
        "competency_code",
        "competency_name",
        "level",
        "level_title",
        "indicator_number",
        "text",
    ]
    assert len(rows[1:]) == 66
    first = Indicator.objects.get(
        level__competency__framework=seed_framework,
        level__competency__code="ACH",
        level__number=1,
        number=1,
    )
    assert rows[1] == [
        "ACH",
        "การมุ่งมั่นสู่ความสำเร็จ",
        "1",
        first.level.title,
        "1",
        first.text,
    ]
    assert {tuple(row[:3]) for row in rows[1:]} >= {("LOCAL", "ความเป็นพนักงานส่วนท้องถิ่น", "5")}


def test_the_import_is_a_draft_of_this_portal_whatever_the_file_says(seed_framework, exported):
    exported["status"] = "published"
    exported["version"] = 9
    exported["organisation"] = "องค์การบริหารส่วนตำบลอื่น"

    draft = exchange.import_data(exported, by=None)

    assert draft.organisation == settings.PORTAL_ORGANISATION
    assert (draft.version, draft.status) == (2, Framework.Status.DRAFT)
    assert Framework.objects.published(settings.PORTAL_ORGANISATION) == seed_framework


def test_the_import_goes_to_the_organisation_given(seed_framework, exported):
    draft = exchange.import_data(exported, by=None, organisation="เทศบาลตำบลทดลอง")

    # The first version of a new organisation, still a draft
    assert (draft.organisation, draft.version, draft.status) == ("เทศบาลตำบลทดลอง", 1, "draft")


def test_the_import_is_recorded_in_the_history(seed_framework, exported, hr_user):
    draft = exchange.import_data(exported, by=hr_user)

    event = FrameworkEvent.objects.get(framework=draft)
    assert (event.action, event.actor) == (FrameworkEvent.Action.IMPORTED, hr_user)
    assert "1" in event.detail


def test_a_file_may_bring_a_richer_scale_and_another_pass_share(seed_framework, exported):
    exported["required_share"] = "0.75"
    exported["scale"] = [
        {"value": 0, "label_th": "ไม่เคย", "label_en": "Never", "demonstrated": False},
        {"value": 1, "label_th": "บางครั้ง", "label_en": "Sometimes", "demonstrated": False},
        {"value": 2, "label_th": "บ่อยครั้ง", "label_en": "Often", "demonstrated": True},
        {"value": 3, "label_th": "สม่ำเสมอ", "label_en": "Always", "demonstrated": True},
    ]

    draft = exchange.import_data(exported, by=None)

    again = exchange.export_data(draft)
    assert again["required_share"] == "0.750"
    assert again["scale"] == exported["scale"]


def test_a_new_position_class_described_in_the_file_is_created(seed_framework, exported):
    exported["position_classes"].append(
        {"code": "TEACH-1", "name_th": "ครู ระดับปฏิบัติการ", "group": "academic", "order": 20}
    )
    for cells in exported["expected_levels"].values():
        cells["TEACH-1"] = 2

    draft = exchange.import_data(exported, by=None)

    teacher = PositionClass.objects.get(code="TEACH-1")
    assert (teacher.name_th, teacher.group, teacher.order) == ("ครู ระดับปฏิบัติการ", "academic", 20)
    assert (
        ExpectedLevel.objects.filter(competency__framework=draft, position_class=teacher).count()
        == 4
    )
    # The published version does not get expected levels for it
    assert not ExpectedLevel.objects.filter(
        competency__framework=seed_framework, position_class=teacher
    ).exists()


def test_an_existing_position_class_is_left_as_it_is(seed_framework, exported):
    exported["position_classes"][0]["name_th"] = "ชื่ออื่น"

    exchange.import_data(exported, by=None)

    assert PositionClass.objects.get(code="GEN-1").name_th == "ทั่วไป ระดับปฏิบัติงาน"


def test_a_file_with_errors_in_many_places_reports_each_and_creates_nothing(
    seed_framework, exported
):
    data = copy.deepcopy(exported)
    data["format"] = "something-else"
    com, ach = data["competencies"][1], data["competencies"][0]
    com["levels"][4]["number"] = 6
    ach["levels"][2]["indicators"] = []
    ach["levels"][3]["indicators"][1]["number"] = 1
    data["scale"].append({"value": 1, "label_th": "ซ้ำ", "label_en": "", "demonstrated": True})
    data["expected_levels"]["SDEV"]["NEW-9"] = 2
    data["expected_levels"]["LOCAL"]["GEN-1"] = 7
    data["expected_levels"]["NOPE"] = {"GEN-1": 1}
    before = row_counts()

    messages = import_errors(data)

    assert_reported(messages, "ไม่ใช่ไฟล์ส่งออกกรอบสมรรถนะ", "not a competency framework export")
    assert_reported(
        messages,
        "สมรรถนะ COM: ต้องมีห้าระดับพอดี หมายเลข 1 ถึง 5 (พบ 1, 2, 3, 4)",
        "Competency COM: needs exactly five levels, numbered 1 to 5 (found 1, 2, 3, 4)",
    )
    assert_reported(
        messages,
        "สมรรถนะ ACH ระดับ 3: ต้องมีพฤติกรรมบ่งชี้อย่างน้อย 1 ข้อ",
        "Competency ACH, level 3: needs at least one behaviour indicator",
    )
    assert_reported(
        messages,
        "สมรรถนะ ACH ระดับ 4: พฤติกรรมบ่งชี้ข้อ 1 ซ้ำกัน",
        "Competency ACH, level 4: indicator 1 appears more than once",
    )
    assert_reported(messages, "มาตรวัด: ค่า 1 ซ้ำกัน", "Rating scale: value 1 appears more than once")
    assert_reported(
        messages,
        "ประเภทตำแหน่ง NEW-9: ไม่มีในระบบ",
        "Position class NEW-9: not in the portal",
    )
    assert_reported(
        messages,
        "ระดับที่คาดหวังของสมรรถนะ LOCAL: GEN-1: ต้องเป็นจำนวนเต็มตั้งแต่ 0 ถึง 5 (พบ 7)",
        "Expected levels of LOCAL: GEN-1: must be a whole number from 0 to 5 (found 7)",
    )
    assert_reported(messages, "ไม่มีสมรรถนะ NOPE ในไฟล์", "there is no competency NOPE in the file")
    assert row_counts() == before


def test_wrong_types_and_missing_keys_are_reported_with_their_place(seed_framework, exported):
    exported["name"] = ""
    exported["required_share"] = "1.5"
    exported["competencies"][2]["code"] = "sdev"
    del exported["competencies"][3]["definition"]
    exported["competencies"][0]["levels"][0]["title"] = 5
    exported["scale"][0]["demonstrated"] = "no"

    messages = import_errors(exported)

    assert_reported(messages, "ไฟล์: name ว่างอยู่", "The file: name is empty")
    assert_reported(messages, "ตั้งแต่ 0.001 ถึง 1", "from 0.001 to 1")
    assert_reported(messages, "สมรรถนะ sdev: รหัสต้องเป็น", "Competency sdev: the code must be")
    assert_reported(
        messages, "สมรรถนะ LOCAL: ไม่มี definition", "Competency LOCAL: definition is missing"
    )
    assert_reported(
        messages,
        "สมรรถนะ ACH ระดับ 1: title ต้องเป็นข้อความ",
        "Competency ACH, level 1: title must be text",
    )
    assert_reported(
        messages,
        "มาตรวัด รายการที่ 1: demonstrated ต้องเป็น true หรือ false",
        "Rating scale, point 1: demonstrated must be true or false",
    )


def test_a_scale_needs_a_point_that_counts_and_one_that_does_not(seed_framework, exported):
    for point in exported["scale"]:
        point["demonstrated"] = True

    messages = import_errors(exported)

    assert len(messages) == 1
    assert_reported(
        messages,
        "มาตรวัด: ต้องมีอย่างน้อยหนึ่งค่าที่นับว่าแสดงพฤติกรรม",
        "Rating scale: needs at least one point that counts as demonstrated",
    )


def test_a_newer_format_version_is_refused(seed_framework, exported):
    exported["format_version"] = 2

    messages = import_errors(exported)

    assert_reported(messages, "ไม่รองรับรูปแบบไฟล์รุ่น 2", "format version 2 is not supported")


def test_text_that_is_not_json_gives_one_clear_message(seed_framework):
    before = row_counts()

    with pytest.raises(exchange.ImportProblems) as caught:
        exchange.import_json("สมรรถนะ, ระดับ\nACH, 1\n", by=None)

    assert len(caught.value.messages) == 1
    assert_reported(caught.value.messages, "ไม่ใช่ JSON ที่ถูกต้อง", "not valid JSON")
    assert row_counts() == before


def test_json_that_is_not_an_object_is_refused(seed_framework):
    messages = import_errors([1, 2, 3])

    assert len(messages) == 1
    assert_reported(messages, "ไม่มีข้อมูลกรอบสมรรถนะ", "does not hold a competency framework")


def test_an_import_is_refused_while_another_draft_exists(seed_framework, exported):
    exchange.import_data(exported, by=None)
    before = row_counts()

    messages = import_errors(exported)

    assert_reported(messages, "ฉบับที่ 2 เป็นฉบับร่างอยู่แล้ว", "Version 2 is already a draft")
    assert row_counts() == before


def test_importing_never_touches_the_published_version(seed_framework):
    before = exchange.export_json(seed_framework)
    data = json.loads(before)
    data["competencies"][0]["levels"][0]["title"] = "ชื่อระดับที่แก้แล้ว"
    data["expected_levels"]["ACH"]["GEN-1"] = 3

    exchange.import_data(data, by=None)

    seed_framework.refresh_from_db()
    assert seed_framework.status == Framework.Status.PUBLISHED
    assert exchange.export_json(seed_framework) == before
