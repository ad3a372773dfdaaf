"""The `export_framework` and `import_framework` management commands."""

import csv
import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from framework import exchange
from framework.models import Competency, Framework, Indicator
from tests.conftest import assert_message


def export(*args):
    out = StringIO()
    call_command("export_framework", *args, stdout=out)
    return out.getvalue()


def import_file(path):
    out, err = StringIO(), StringIO()
    call_command("import_framework", str(path), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def row_counts():
    return Framework.objects.count(), Competency.objects.count(), Indicator.objects.count()


def test_export_writes_the_published_version_by_default(seed_framework, tmp_path):
    target = tmp_path / "framework.json"

    output = export("-o", str(target))

    assert target.read_bytes() == exchange.export_json(seed_framework).encode("utf-8")
    assert json.loads(target.read_text(encoding="utf-8"))["version"] == 1
    assert str(target) in output


def test_export_writes_the_version_asked_for(seed_framework, tmp_path):
    draft = exchange.import_data(exchange.export_data(seed_framework), by=None)
    target = tmp_path / "draft.json"

    export("--version", "2", "-o", str(target))

    data = json.loads(target.read_text(encoding="utf-8"))
    assert (data["version"], data["status"]) == (draft.version, "draft")


def test_export_of_an_unknown_version_fails_and_writes_no_file(seed_framework, tmp_path):
    target = tmp_path / "missing.json"

    with pytest.raises(CommandError) as caught:
        export("--version", "7", "-o", str(target))

    assert_message(str(caught.value), "ไม่มีกรอบสมรรถนะฉบับที่ 7", "version 7 does not exist")
    assert not target.exists()


def test_export_without_a_published_version_fails(no_framework, tmp_path):
    with pytest.raises(CommandError):
        export("-o", str(tmp_path / "none.json"))


def test_export_as_csv_is_chosen_by_the_option_not_the_file_name(seed_framework, tmp_path):
    as_csv, as_json = tmp_path / "indicators.json", tmp_path / "framework.csv"

    export("--format", "csv", "-o", str(as_csv))
    export("-o", str(as_json))

    raw = as_csv.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw
    rows = list(csv.reader(raw.decode("utf-8-sig").splitlines()))
    assert rows[0][0] == "competency_code" and len(rows) == 67
    assert json.loads(as_json.read_text(encoding="utf-8"))["format_version"] == 1


def test_import_prints_the_new_version_and_creates_a_draft(seed_framework, tmp_path):
    source = tmp_path / "framework.json"
    export("-o", str(source))

    output, errors = import_file(source)

    assert_message(output, "ฉบับร่างที่ 2", "draft version 2")
    assert errors == ""
    draft = Framework.objects.get(version=2)
    assert draft.status == Framework.Status.DRAFT
    assert draft.competencies.count() == 4
    assert Indicator.objects.filter(level__competency__framework=draft).count() == 66


def test_import_of_a_bad_file_reports_each_error_and_writes_nothing(seed_framework, tmp_path):
    data = exchange.export_data(seed_framework)
    data["competencies"][1]["levels"][2]["indicators"] = []
    data["expected_levels"]["ACH"]["GEN-1"] = 7
    source = tmp_path / "bad.json"
    source.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    before = row_counts()
    err = StringIO()

    with pytest.raises(CommandError) as caught:
        call_command("import_framework", str(source), stdout=StringIO(), stderr=err)

    assert_message(str(caught.value), "พบข้อผิดพลาด 2 รายการ", "errors: 2")
    lines = err.getvalue().splitlines()
    assert len(lines) == 2
    assert_message(lines[0], "สมรรถนะ COM ระดับ 3", "Competency COM, level 3")
    assert_message(lines[1], "ระดับที่คาดหวังของสมรรถนะ ACH", "Expected levels of ACH")
    assert row_counts() == before


def test_import_of_a_file_that_is_not_json_fails(seed_framework, tmp_path):
    source = tmp_path / "framework.json"
    source.write_bytes("competency_code,text\r\nACH,ทดสอบ\r\n".encode("utf-8-sig"))
    before = row_counts()

    with pytest.raises(CommandError):
        import_file(source)

    assert row_counts() == before


def test_import_of_a_missing_file_fails(seed_framework, tmp_path):
    with pytest.raises(CommandError) as caught:
        import_file(tmp_path / "nowhere.json")

    assert_message(str(caught.value), "อ่านไฟล์", "Cannot read")
