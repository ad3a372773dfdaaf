import json
from io import StringIO

import pytest
from django.core.management import call_command

from framework.models import (
    Competency,
    ExpectedLevel,
    Framework,
    Indicator,
    Level,
    PositionClass,
    ScalePoint,
)
from tests import seed

EXPECTED_BY_CLASS = {
    "GEN-1": 1, "GEN-2": 1, "GEN-3": 2,
    "ACA-1": 1, "ACA-2": 2, "ACA-3": 3, "ACA-4": 4,
    "DIR-1": 3, "DIR-2": 3, "DIR-3": 4,
    "EXE-1": 4, "EXE-2": 4, "EXE-3": 5,
    "PERM": 1, "CON-M": 1, "CON-G": 1,
}  # fmt: skip


def tree_from_database():
    """{code: {level number: (title, [(indicator number, text)])}} as stored."""
    tree = {}
    for level in Level.objects.select_related("competency").prefetch_related("indicators"):
        indicators = [(i.number, i.text) for i in level.indicators.all()]
        tree.setdefault(level.competency.code, {})[level.number] = (level.title, indicators)
    return tree


def tree_from_dump(dump):
    """The same tree from `manage.py dumpdata framework` output (plain ids)."""
    rows = {(row["model"], row["pk"]): row["fields"] for row in dump}
    codes = {pk: f["code"] for (model, pk), f in rows.items() if model == "framework.competency"}
    tree, levels = {}, {}
    for (model, pk), fields in rows.items():
        if model == "framework.level":
            code = codes[fields["competency"]]
            levels[pk] = (code, fields["number"])
            tree.setdefault(code, {})[fields["number"]] = (fields["title"], [])
    for (model, _pk), fields in sorted(rows.items(), key=lambda item: item[1].get("number", 0)):
        if model == "framework.indicator":
            code, number = levels[fields["level"]]
            tree[code][number][1].append((fields["number"], fields["text"]))
    return tree


def assert_matches_seed(tree):
    sections = seed.seed_sections()
    assert sorted(tree) == sorted(seed.CODES)
    for code, (_name, _definition, seed_levels) in sections.items():
        assert sorted(tree[code]) == [1, 2, 3, 4, 5], code
        for number, (title, indicators) in tree[code].items():
            assert [n for n, _ in indicators] == list(range(1, len(indicators) + 1))
            leftover = seed.leftover_of_level(seed_levels[number], title, indicators)
            assert leftover == "", f"{code} level {number}: seed text left over: {leftover}"


def test_the_copy_in_fixtures_is_the_seed_itself():
    if not seed.SEED_SHARED.exists():
        pytest.skip(f"shared seed not found at {seed.SEED_SHARED}")
    assert seed.SEED_COPY.read_bytes() == seed.SEED_SHARED.read_bytes()


def test_every_title_and_indicator_matches_the_seed(seed_framework):
    assert_matches_seed(tree_from_database())


def test_indicator_counts_per_level(seed_framework):
    counts = {
        code: [
            Indicator.objects.filter(level__competency__code=code, level__number=n).count()
            for n in range(1, 6)
        ]
        for code in seed.CODES
    }
    assert counts == {
        "ACH": [4, 4, 3, 3, 3],
        "COM": [3, 3, 4, 4, 4],
        "SDEV": [3, 4, 4, 3, 3],
        "LOCAL": [3, 2, 3, 3, 3],
    }


def test_texts_are_clean_of_layout(seed_framework):
    texts = [lv.title for lv in Level.objects.all()] + [i.text for i in Indicator.objects.all()]
    texts += [c.definition for c in Competency.objects.all()]
    for text in texts:
        assert text == text.strip()
        assert "  " not in text and "\t" not in text and "\n" not in text, text
        assert "<p>" not in text and "</p>" not in text, text


def test_the_moved_level_5_title_of_ach_is_whole(seed_framework):
    level = Level.objects.get(competency__code="ACH", number=5)
    assert level.title == ("แสดงสมรรถนะในระดับที่ ๔ และสามารถนำการเปลี่ยนแปลงเพื่อความเลิศของหน่วยงานได้")
    first = level.indicators.get(number=1)
    assert first.text.endswith("ตามพันธกิจ/ภารกิจของหน่วยงาน")


def test_levels_above_one_say_they_are_cumulative(seed_framework):
    for level in Level.objects.filter(number__gt=1):
        assert level.title.startswith(
            f"แสดงสมรรถนะในระดับที่ {seed.thai_number(level.number - 1)} และ"
        ), level


def test_competencies_codes_names_and_definitions(seed_framework):
    sections = seed.seed_sections()
    rows = list(Competency.objects.order_by("order"))
    assert [c.code for c in rows] == seed.CODES
    for competency in rows:
        name, definition, _levels = sections[competency.code]
        assert name.startswith(seed.squeeze(competency.name_th))
        assert seed.squeeze(competency.definition) == definition
    assert rows[0].name_en == "Achievement Orientation"
    assert rows[3].name_th == "ความเป็นพนักงานส่วนท้องถิ่น"


def test_version_1_is_published_with_the_two_point_scale(seed_framework):
    assert seed_framework.status == Framework.Status.PUBLISHED
    scale = [(p.value, p.label_th, p.demonstrated) for p in ScalePoint.objects.all()]
    assert scale == [(0, "ไม่แสดงพฤติกรรม", False), (1, "แสดงพฤติกรรม", True)]


def test_position_classes_and_expected_levels_follow_the_domain(seed_framework):
    assert set(PositionClass.objects.values_list("code", flat=True)) == set(EXPECTED_BY_CLASS)
    for row in ExpectedLevel.objects.select_related("position_class"):
        assert row.level == EXPECTED_BY_CLASS[row.position_class.code], row
    assert ExpectedLevel.objects.count() == len(EXPECTED_BY_CLASS) * 4


def test_loading_twice_changes_nothing(seed_framework):
    before = json.loads(dump_framework())
    out = StringIO()
    call_command("load_framework", stdout=out)
    assert json.loads(dump_framework()) == before
    assert "nothing changed" in out.getvalue() or "ไม่มีการเปลี่ยนแปลง" in out.getvalue()


def test_loading_keeps_an_expected_level_that_hr_changed(seed_framework):
    cell = ExpectedLevel.objects.get(competency__code="COM", position_class__code="GEN-1")
    cell.level = 3
    cell.save()
    call_command("load_framework", stdout=StringIO())
    cell.refresh_from_db()
    assert cell.level == 3


def dump_framework():
    out = StringIO()
    call_command(
        "dumpdata",
        "framework",
        natural_foreign=True,
        natural_primary=True,
        stdout=out,
    )
    return out.getvalue()


def test_dumpdata_holds_every_title_and_indicator_of_the_seed(seed_framework):
    out = StringIO()
    call_command("dumpdata", "framework", stdout=out)
    assert_matches_seed(tree_from_dump(json.loads(out.getvalue())))
