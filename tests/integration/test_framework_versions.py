"""Framework versions: clone, edit a draft, publish; published versions never change."""

import pytest
from django.core.exceptions import ValidationError

from assessments import services as assessment_services
from assessments.models import Assessment, Role
from assessments.reports import context
from framework import services
from framework.models import (
    Competency,
    ExpectedLevel,
    Framework,
    FrameworkEvent,
    Indicator,
    ScalePoint,
)
from tests.factories import values_up_to

ORG = "องค์การบริหารส่วนตำบลคลองขวาง"


def texts(framework):
    return sorted(
        Indicator.objects.filter(level__competency__framework=framework).values_list(
            "level__competency__code", "level__number", "number", "text"
        )
    )


def competency_data(competency, **changes):
    levels = {
        level.number: {"title": level.title, "indicators": [i.text for i in level.indicators.all()]}
        for level in competency.levels.all()
    }
    data = {
        "code": competency.code,
        "name_th": competency.name_th,
        "name_en": competency.name_en,
        "definition": competency.definition,
        "levels": levels,
    }
    data.update(changes)
    return data


@pytest.fixture
def draft(seed_framework, cast):
    return services.new_version(organisation=ORG, by=cast.hr)


def test_a_new_version_is_a_full_draft_copy(seed_framework, draft, cast):
    assert (draft.version, draft.status) == (2, "draft")
    assert texts(draft) == texts(seed_framework)
    assert draft.scale_points.count() == 2
    assert ExpectedLevel.objects.filter(competency__framework=draft).count() == 64
    assert draft.events.get().action == FrameworkEvent.Action.CREATED
    # asking again gives the same draft, not a second one
    assert services.new_version(organisation=ORG, by=cast.hr) == draft


def test_a_published_version_refuses_every_write(seed_framework, cast):
    competency = seed_framework.competencies.get(code="ACH")
    attempts = [
        lambda: services.update_settings(
            framework=seed_framework, by=cast.hr, name="x", required_share="1"
        ),
        lambda: services.save_scale(
            framework=seed_framework, by=cast.hr, points=[(0, "ไม่", "", False), (1, "ใช่", "", True)]
        ),
        lambda: services.save_competency(
            framework=seed_framework,
            by=cast.hr,
            code="ACH",
            data=competency_data(competency),
            competency=competency,
        ),
        lambda: services.delete_competency(
            framework=seed_framework, by=cast.hr, competency=competency
        ),
        lambda: services.move_competency(
            framework=seed_framework, by=cast.hr, competency=competency, step=1
        ),
        lambda: services.save_expected_levels(framework=seed_framework, by=cast.hr, grid={}),
        lambda: services.publish(framework=seed_framework, by=cast.hr),
    ]
    before = texts(seed_framework)
    for attempt in attempts:
        with pytest.raises(services.NotADraft):
            attempt()
    assert texts(seed_framework) == before
    assert Competency.objects.filter(framework=seed_framework).count() == 4


def test_editing_an_indicator_in_the_draft(draft, cast):
    competency = draft.competencies.get(code="COM")
    data = competency_data(competency)
    data["levels"][2]["indicators"][0] = "จับประเด็นและสรุปสาระสำคัญได้ถูกต้องและรวดเร็ว"
    services.save_competency(
        framework=draft, by=cast.hr, code="COM", data=data, competency=competency
    )
    changed = Indicator.objects.get(level__competency=competency, level__number=2, number=1)
    assert changed.text == "จับประเด็นและสรุปสาระสำคัญได้ถูกต้องและรวดเร็ว"


def test_publishing_an_invalid_draft_is_refused_with_the_reasons(draft, cast):
    Indicator.objects.filter(
        level__competency__framework=draft, level__competency__code="SDEV", level__number=3
    ).delete()
    ScalePoint.objects.filter(framework=draft).update(demonstrated=True)
    ExpectedLevel.objects.filter(competency__framework=draft, competency__code="LOCAL").delete()
    with pytest.raises(ValidationError) as refused:
        services.publish(framework=draft, by=cast.hr)
    reasons = " ".join(refused.value.messages)
    assert "การพัฒนาตนเอง" in reasons or "SDEV" in reasons
    assert len(refused.value.messages) == 3
    draft.refresh_from_db()
    assert draft.status == "draft"
    assert Framework.objects.get(version=1).status == "published"


def test_a_competency_needs_five_levels_each_with_an_indicator(draft, cast):
    competency = draft.competencies.get(code="ACH")
    data = competency_data(competency)
    data["levels"][4]["indicators"] = ["  "]
    data["levels"][5]["title"] = ""
    with pytest.raises(ValidationError) as refused:
        services.save_competency(
            framework=draft, by=cast.hr, code="ACH", data=data, competency=competency
        )
    assert len(refused.value.messages) == 2
    assert Indicator.objects.filter(level__competency=competency, level__number=4).count() == 3


def test_publishing_retires_the_previous_version(seed_framework, draft, cast):
    services.publish(framework=draft, by=cast.hr)
    seed_framework.refresh_from_db()
    draft.refresh_from_db()
    assert (seed_framework.status, draft.status) == ("retired", "published")
    assert draft.published_at is not None
    assert list(draft.events.values_list("action", flat=True)) == ["created", "published"]


def test_editing_a_draft_never_changes_an_earlier_assessment(round_open, cast):
    a = round_open.somchai_assessment
    for role, user in [(Role.SELF, cast.somchai.user), (Role.SUPERVISOR, cast.head.user)]:
        values = values_up_to(a.cycle.framework, {"ACH": 2, "COM": 1, "SDEV": 1, "LOCAL": 1})
        assessment_services.save_ratings(assessment=a, role=role, by=user, values=values)
    printed_before = context.person_form_html(context.assessment_for_print(a.pk))

    draft = services.new_version(organisation=ORG, by=cast.hr)
    competency = draft.competencies.get(code="ACH")
    data = competency_data(competency)
    data["levels"][1]["indicators"] = ["พฤติกรรมใหม่ทั้งหมด"]
    services.save_competency(
        framework=draft, by=cast.hr, code="ACH", data=data, competency=competency
    )
    services.save_scale(
        framework=draft,
        by=cast.hr,
        points=[(0, "ไม่เคย", "", False), (1, "บางครั้ง", "", False), (2, "สม่ำเสมอ", "", True)],
    )
    services.publish(framework=draft, by=cast.hr)

    a = Assessment.objects.get(pk=a.pk)
    assert a.cycle.framework.version == 1
    printed_after = context.person_form_html(context.assessment_for_print(a.pk))
    assert printed_after.replace("retired", "") == printed_before.replace("retired", "")
    assert "พฤติกรรมใหม่ทั้งหมด" not in printed_after


def test_a_new_round_takes_the_version_published_now(seed_framework, draft, cast):
    services.publish(framework=draft, by=cast.hr)
    cycle = assessment_services.create_cycle(code="2569-2", fiscal_year=2569, round_number=2)
    cycle = assessment_services.open_cycle(cycle=cycle, by=cast.hr)
    assert cycle.framework == draft


def test_reordering_and_removing_competencies(draft, cast):
    local = draft.competencies.get(code="LOCAL")
    services.move_competency(framework=draft, by=cast.hr, competency=local, step=-1)
    assert list(draft.competencies.order_by("order").values_list("code", flat=True)) == [
        "ACH",
        "COM",
        "LOCAL",
        "SDEV",
    ]
    services.delete_competency(framework=draft, by=cast.hr, competency=local)
    assert draft.competencies.count() == 3


def test_the_pass_share_accepts_a_percentage(draft, cast):
    services.update_settings(framework=draft, by=cast.hr, name="ฉบับปรับปรุง", required_share="80")
    draft.refresh_from_db()
    assert str(draft.required_share) == "0.800"
    with pytest.raises(ValidationError):
        services.update_settings(framework=draft, by=cast.hr, name="x", required_share="0")


def test_a_new_competency_waits_for_its_expected_levels_before_publishing(draft, cast):
    levels = {n: {"title": f"ระดับ {n}", "indicators": [f"พฤติกรรม {n}"]} for n in range(1, 6)}
    data = {"code": "TEAM", "name_th": "การทำงานเป็นทีม", "definition": "ร่วมมือกัน", "levels": levels}
    services.save_competency(framework=draft, by=cast.hr, code="TEAM", data=data)
    problems = services.publish_problems(draft)
    assert any("การทำงานเป็นทีม" in text for text in problems)
    with pytest.raises(ValidationError):
        services.publish(framework=draft, by=cast.hr)
