"""The known slips of the published document (fixtures/README.md): each one stands where the
list says in the seed version, the version page shows them to HR, and a slip corrected in a new
version is no longer listed."""

import pytest
from django.urls import reverse

from framework import services, source_slips
from framework.models import Indicator

ORG = "องค์การบริหารส่วนตำบลคลองขวาง"


def test_every_known_slip_stands_where_the_list_says(seed_framework):
    found = source_slips.slips_in(seed_framework)
    assert [f.slip for f in found] == list(source_slips.SLIPS)


def test_the_readme_lists_every_slip():
    from pathlib import Path

    from django.conf import settings

    readme = (Path(settings.BASE_DIR) / "fixtures" / "README.md").read_text(encoding="utf-8")
    readme = readme.replace("**", "")
    for slip in source_slips.SLIPS:
        assert slip.published in readme, slip


def test_the_version_page_shows_the_slips_to_hr(hr_client, seed_framework):
    page = hr_client.get(reverse("framework:version", args=[seed_framework.version]))
    text = page.content.decode()
    assert "ข้อความที่น่าจะพิมพ์ผิดในเอกสารต้นฉบับ" in text
    assert "<mark>เพื่อนประโยชน์</mark>" in text
    assert "LOCAL ระดับ ๑ ข้อ ๓" in text
    assert "น่าจะหมายถึง: เพื่อประโยชน์" in text


@pytest.fixture
def draft(seed_framework, cast):
    return services.new_version(organisation=ORG, by=cast.hr)


def test_a_slip_corrected_in_a_new_version_is_no_longer_listed(draft):
    indicator = Indicator.objects.get(
        level__competency__framework=draft,
        level__competency__code="LOCAL",
        level__number=1,
        number=3,
    )
    indicator.text = indicator.text.replace("เพื่อนประโยชน์", "เพื่อประโยชน์")
    indicator.save()
    published = [f.slip.published for f in source_slips.slips_in(draft)]
    assert "เพื่อนประโยชน์" not in published
    assert len(published) == len(source_slips.SLIPS) - 1
