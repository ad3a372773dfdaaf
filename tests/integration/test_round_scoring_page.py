"""HR chooses how a round scores on its page before opening it, sees what each position class
would get, and cannot change it once the round is open (issue 15, item 3)."""

from decimal import Decimal

import pytest
from django.urls import reverse

from assessments import services
from assessments.models import Cycle
from assessments.selectors.results import preview_by_method
from framework.selectors import published_framework


@pytest.fixture
def draft(cast):
    return services.create_cycle(code="2569-1", fiscal_year=2569, round_number=1)


def save(client, cycle, **data):
    url = reverse("assessments:cycle_scoring", args=[cycle.pk])
    return client.post(url, data, follow=True)


RATING = {
    "method": "rating",
    "competency_weight": "20",
    "weight_ACH": "40",
    "weight_COM": "20",
    "weight_SDEV": "20",
    "weight_LOCAL": "20",
    "thresholds": "85, 75, 65, 55",
}


def test_hr_chooses_the_rating_method_before_opening(client, cast, draft):
    client.force_login(cast.hr)
    page = save(client, draft, **RATING).content.decode()
    cycle = Cycle.objects.get(pk=draft.pk)
    assert (cycle.method, cycle.competency_weight) == ("rating", Decimal("20"))
    assert cycle.competency_weights == {"ACH": "40", "COM": "20", "SDEV": "20", "LOCAL": "20"}
    assert cycle.band_thresholds == ["85", "75", "65", "55"]
    assert "บันทึกวิธีคิดคะแนนของรอบการประเมิน" in page
    # the preview: ACA-1 is expected at level 1 everywhere (the seed's grid): by hand,
    # (1×40 + 1×20 + 1×20 + 1×20) ÷ 5 = 20; one below is 0; level 5 everywhere is 100
    assert "๒๐.๐๐" in page and "๑๐๐.๐๐" in page


def test_the_preview_by_hand_for_the_bar_scale(cast, draft):
    rows = {
        row.position_class.code: row for row in preview_by_method(published_framework(), "bar", {})
    }
    aca = rows["ACA-1"]
    assert aca.expected == [1, 1, 1, 1]
    # at or above: 3 points each; one below (level 0): 2 points each, 8 of 12 → 66.67
    assert (aca.at_expected, aca.one_below, aca.all_five) == (
        Decimal("100.00"),
        Decimal("66.67"),
        Decimal("100.00"),
    )


def test_weights_that_do_not_total_100_are_refused_and_nothing_changes(client, cast, draft):
    client.force_login(cast.hr)
    page = save(client, draft, **{**RATING, "weight_LOCAL": "10"}).content.decode()
    assert "ต้องรวมกันได้ร้อยละ 100" in page
    assert Cycle.objects.get(pk=draft.pk).method == "bar"


def test_once_open_the_rules_cannot_change(client, cast, draft):
    services.open_cycle(cycle=draft)
    client.force_login(cast.hr)
    page = save(client, draft, **RATING).content.decode()
    assert "กำหนดไว้แล้วเมื่อเปิดรอบ" in page
    assert Cycle.objects.get(pk=draft.pk).method == "bar"
    assert 'action="/hr/cycles/' not in page.split('id="scoring"', 1)[1].split("</section>")[0]


def test_only_hr_may_choose(client, cast, draft):
    client.force_login(cast.head.user)
    url = reverse("assessments:cycle_scoring", args=[draft.pk])
    assert client.post(url, RATING).status_code == 403
    assert Cycle.objects.get(pk=draft.pk).method == "bar"
