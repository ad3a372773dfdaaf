"""The framework editor pages: who may open them, and what each one changes."""

import re

import pytest
from django.urls import reverse

from framework import services
from framework.models import ExpectedLevel, Framework, Indicator, PositionClass, ScalePoint

ORG = "องค์การบริหารส่วนตำบลคลองขวาง"
NEW_TEXT = "จับประเด็นและสรุปสาระสำคัญได้ถูกต้องและรวดเร็ว"


@pytest.fixture
def draft(seed_framework, cast):
    return services.new_version(organisation=ORG, by=cast.hr)


def pages(draft):
    competency = draft.competencies.get(code="COM")
    return [
        reverse("framework:versions"),
        reverse("framework:version", args=[draft.version]),
        reverse("framework:competency_edit", args=[draft.version, competency.pk]),
        reverse("framework:competency_new", args=[draft.version]),
        reverse("framework:scale", args=[draft.version]),
        reverse("framework:expected", args=[draft.version]),
        reverse("framework:diff", args=[draft.version]),
        reverse("assessments:preview", args=[draft.version]),
    ]


def test_anonymous_is_sent_to_login(client, draft):
    for url in pages(draft):
        response = client.get(url)
        assert response.status_code == 302, url
        assert reverse("login") in response["Location"]


def test_staff_may_not_edit_the_framework(client, draft, cast):
    client.force_login(cast.head.user)
    for url in pages(draft):
        assert client.get(url).status_code == 403, url
    assert (
        client.post(reverse("framework:version_publish", args=[draft.version])).status_code == 403
    )
    assert Framework.objects.get(pk=draft.pk).status == "draft"


def test_hr_opens_every_page(client, draft, cast):
    client.force_login(cast.hr)
    for url in pages(draft):
        assert client.get(url).status_code == 200, url


def competency_post(competency, **overrides):
    data = {
        "code": competency.code,
        "name_th": competency.name_th,
        "name_en": competency.name_en,
        "definition": competency.definition,
    }
    for level in competency.levels.all():
        prefix = f"level{level.number}-ind"
        indicators = list(level.indicators.all())
        data[f"level{level.number}-title"] = level.title
        data[f"{prefix}-TOTAL_FORMS"] = len(indicators) + 1
        data[f"{prefix}-INITIAL_FORMS"] = len(indicators)
        for i, indicator in enumerate(indicators):
            data[f"{prefix}-{i}-text"] = indicator.text
            data[f"{prefix}-{i}-ORDER"] = indicator.number
        data[f"{prefix}-{len(indicators)}-text"] = ""
    data.update(overrides)
    return data


def test_hr_edits_reorders_adds_and_deletes_indicators(client, draft, cast):
    client.force_login(cast.hr)
    competency = draft.competencies.get(code="COM")
    url = reverse("framework:competency_edit", args=[draft.version, competency.pk])
    data = competency_post(
        competency,
        **{
            "level2-ind-0-text": NEW_TEXT,  # edit
            "level2-ind-0-ORDER": "4",  # and move it last
            "level2-ind-3-text": "ข้อใหม่ที่เพิ่มเข้ามา",  # add
            "level1-ind-2-DELETE": "on",  # delete
        },
    )
    response = client.post(url, data)
    assert response.status_code == 302
    level2 = list(
        Indicator.objects.filter(
            level__competency__framework=draft, level__competency__code="COM", level__number=2
        )
        .order_by("number")
        .values_list("text", flat=True)
    )
    assert level2[2] == NEW_TEXT and level2[3] == "ข้อใหม่ที่เพิ่มเข้ามา" and len(level2) == 4
    assert Indicator.objects.filter(level__competency=competency, level__number=1).count() == 2


def test_an_invalid_competency_changes_nothing(client, draft, cast):
    client.force_login(cast.hr)
    competency = draft.competencies.get(code="COM")
    url = reverse("framework:competency_edit", args=[draft.version, competency.pk])
    data = competency_post(competency, **{"level3-title": "", "code": "ACH"})
    response = client.post(url, data)
    assert response.status_code == 200
    assert competency.levels.get(number=3).title != ""
    assert draft.competencies.filter(code="ACH").count() == 1


def test_a_published_version_page_is_read_only(client, seed_framework, cast):
    client.force_login(cast.hr)
    competency = seed_framework.competencies.get(code="COM")
    url = reverse("framework:competency_edit", args=[1, competency.pk])
    before = list(
        Indicator.objects.filter(level__competency=competency).values_list("text", flat=True)
    )
    client.post(url, competency_post(competency, **{"level2-ind-0-text": NEW_TEXT}))
    after = list(
        Indicator.objects.filter(level__competency=competency).values_list("text", flat=True)
    )
    assert after == before


def test_the_diff_and_the_preview_show_the_new_wording(client, draft, cast):
    client.force_login(cast.hr)
    competency = draft.competencies.get(code="COM")
    client.post(
        reverse("framework:competency_edit", args=[draft.version, competency.pk]),
        competency_post(competency, **{"level2-ind-0-text": NEW_TEXT}),
    )
    diff = client.get(reverse("framework:diff", args=[draft.version])).content.decode()
    assert diff.count('class="diff-changed"') == 1
    assert "<ins>" in diff and "<del>" in diff
    assert "COM · ระดับ ๒ ข้อ ๑" in diff  # named as people name it, in Thai digits
    preview = client.get(reverse("assessments:preview", args=[draft.version])).content.decode()
    assert NEW_TEXT in preview
    assert preview.count('type="radio"') == 66 * 2


def test_the_scale_and_the_expected_levels(client, draft, cast):
    client.force_login(cast.hr)
    client.post(
        reverse("framework:scale", args=[draft.version]),
        {
            "scale-TOTAL_FORMS": 3,
            "scale-INITIAL_FORMS": 2,
            "scale-0-value": 0,
            "scale-0-label_th": "ไม่เคยแสดง",
            "scale-1-value": 1,
            "scale-1-label_th": "แสดงบางครั้ง",
            "scale-2-value": 2,
            "scale-2-label_th": "แสดงสม่ำเสมอ",
            "scale-2-demonstrated": "on",
        },
    )
    assert list(
        ScalePoint.objects.filter(framework=draft).values_list("value", "demonstrated")
    ) == [
        (0, False),
        (1, False),
        (2, True),
    ]
    grid = {
        f"e-{c.pk}-{pc.pk}": 2
        for c in draft.competencies.all()
        for pc in PositionClass.objects.all()
    }
    client.post(reverse("framework:expected", args=[draft.version]), grid)
    levels = set(
        ExpectedLevel.objects.filter(competency__framework=draft).values_list("level", flat=True)
    )
    assert levels == {2}


def test_publishing_from_the_page(client, seed_framework, draft, cast):
    client.force_login(cast.hr)
    ScalePoint.objects.filter(framework=draft).update(demonstrated=False)
    client.post(reverse("framework:version_publish", args=[draft.version]))
    assert Framework.objects.get(pk=draft.pk).status == "draft"
    ScalePoint.objects.filter(framework=draft, value=1).update(demonstrated=True)
    client.post(reverse("framework:version_publish", args=[draft.version]))
    assert Framework.objects.get(pk=draft.pk).status == "published"
    assert Framework.objects.get(pk=seed_framework.pk).status == "retired"
    page = client.get(reverse("framework:version", args=[draft.version])).content.decode()
    assert "ประกาศใช้" in page


def test_hr_downloads_json_and_csv_and_imports_them_back(client, seed_framework, cast):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(cast.hr)
    exported = client.get(reverse("framework:export", args=[1]))
    assert exported["Content-Type"].startswith("application/json")
    csv_file = client.get(reverse("framework:export_csv", args=[1]))
    assert csv_file.content.decode("utf-8-sig").count("\r\n") == 67  # header + 66 indicators
    upload = SimpleUploadedFile("framework-v1.json", exported.content, "application/json")
    response = client.post(reverse("framework:import"), {"file": upload})
    imported = Framework.objects.get(version=2)
    assert response["Location"] == reverse("framework:version", args=[2])
    assert imported.status == "draft"
    assert Indicator.objects.filter(level__competency__framework=imported).count() == 66


def test_a_bad_file_is_refused_with_the_reasons(client, seed_framework, cast):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(cast.hr)
    upload = SimpleUploadedFile("x.json", b'{"format": "something else"}', "application/json")
    response = client.post(reverse("framework:import"), {"file": upload})
    assert response.status_code == 200
    assert 'class="mb-0 import-problems"' in response.content.decode()
    assert Framework.objects.count() == 1


def test_staff_may_not_export_or_import(client, seed_framework, cast):
    client.force_login(cast.head.user)
    assert client.get(reverse("framework:export", args=[1])).status_code == 403
    assert client.get(reverse("framework:import")).status_code == 403


def test_every_indicator_field_says_its_level_and_number(client, cast, draft):
    """A screen reader hears "ข้อ (ระดับ ๒ ข้อ ๓)", not twenty fields all named "ข้อ"."""
    competency = draft.competencies.get(code="COM")
    client.force_login(cast.hr)
    html = client.get(
        reverse("framework:competency_edit", args=[draft.version, competency.pk])
    ).content.decode()
    level_2 = competency.levels.get(number=2)
    assert level_2.indicators.count() >= 3
    labels = re.findall(r"<label[^>]*>พฤติกรรมบ่งชี้<span class=\"visually-hidden\"> \(([^)]*)\)", html)
    assert "ระดับ ๒ ข้อ ๓" in labels
    assert len(labels) == len(set(labels))  # no two fields with the same name
