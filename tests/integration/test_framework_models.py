import pytest
from django.db import IntegrityError, transaction

from framework.models import Competency, ExpectedLevel, Framework, Indicator, Level, PositionClass


def refused(create):
    with pytest.raises(IntegrityError), transaction.atomic():
        create()


def test_level_numbers_are_1_to_5(seed_framework):
    competency = Competency.objects.get(code="ACH")
    refused(lambda: Level.objects.create(competency=competency, number=6, title="เกิน"))
    refused(lambda: Level.objects.create(competency=competency, number=0, title="ศูนย์"))


def test_level_numbers_are_unique_in_a_competency(seed_framework):
    competency = Competency.objects.get(code="ACH")
    refused(lambda: Level.objects.create(competency=competency, number=3, title="ซ้ำ"))


def test_indicator_numbers_are_unique_in_a_level(seed_framework):
    level = Level.objects.get(competency__code="COM", number=1)
    refused(lambda: Indicator.objects.create(level=level, number=1, text="ซ้ำ"))


def test_competency_codes_are_unique_in_a_version(seed_framework):
    refused(
        lambda: Competency.objects.create(
            framework=seed_framework, code="ACH", name_th="ซ้ำ", definition="-"
        )
    )


def test_the_same_code_is_fine_in_another_version(seed_framework):
    draft = Framework.objects.create(
        organisation=seed_framework.organisation, version=2, name="ร่าง"
    )
    Competency.objects.create(framework=draft, code="ACH", name_th="ใหม่", definition="-")
    assert Competency.objects.filter(code="ACH").count() == 2


def test_expected_levels_are_0_to_5(seed_framework):
    competency = Competency.objects.get(code="SDEV")
    new_class = PositionClass.objects.create(code="TEST", name_th="ทดสอบ", group="general")
    refused(
        lambda: ExpectedLevel.objects.create(
            competency=competency, position_class=new_class, level=6
        )
    )
    ExpectedLevel.objects.create(competency=competency, position_class=new_class, level=0)


def test_only_one_published_version_per_organisation(seed_framework):
    refused(
        lambda: Framework.objects.create(
            organisation=seed_framework.organisation,
            version=2,
            name="อีกฉบับ",
            status=Framework.Status.PUBLISHED,
        )
    )


def test_versions_are_unique_per_organisation(seed_framework):
    refused(
        lambda: Framework.objects.create(
            organisation=seed_framework.organisation, version=1, name="ซ้ำ"
        )
    )
    Framework.objects.create(organisation="อบต.อื่น", version=1, name="ของอีกแห่ง")


def test_natural_keys_find_their_rows(seed_framework):
    indicator = Indicator.objects.get(level__competency__code="LOCAL", level__number=2, number=2)
    key = indicator.natural_key()
    assert key == (seed_framework.organisation, 1, "LOCAL", 2, 2)
    assert Indicator.objects.get_by_natural_key(*key) == indicator
    cell = ExpectedLevel.objects.get(competency__code="ACH", position_class__code="EXE-3")
    assert ExpectedLevel.objects.get_by_natural_key(*cell.natural_key()) == cell


def test_readable_names(seed_framework):
    assert str(Competency.objects.get(code="COM")) == "COM ทักษะการสื่อสาร"
    assert "1" in str(seed_framework)
    assert str(PositionClass.objects.get(code="PERM")) == "PERM ลูกจ้างประจำ"
