"""The development plan in a real browser, at 1280 and 390 px: the rater chooses a method and
a period for a competency below expectation on the results page; the person reads them."""

from decimal import Decimal

import pytest

from assessments.models import DevelopmentMethod, DevelopmentPlanItem, Role
from tests.cast import make_cast, open_round
from tests.e2e.conftest import log_in
from tests.factories import PASSWORD, rate

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def rated(seed_framework):
    # a browser test empties the tables after it runs: the methods its migration offers too
    for order, name in enumerate(["อบรม", "สอนงาน"], start=1):
        DevelopmentMethod.objects.get_or_create(name_th=name, defaults={"order": order})
    cast = make_cast()
    open_round(cast)
    a = cast.somchai_assessment
    rate(a, Role.SELF, cast.somchai.user, 0)  # nothing shown: below expectation everywhere
    rate(a, Role.SUPERVISOR, cast.head.user, 0, work_results=Decimal("75"))
    return cast


def fits_the_width(page, width):
    scroll = page.evaluate("() => document.scrollingElement.scrollWidth")
    assert scroll <= width + 1, f"the page scrolls sideways: {scroll} px at {width} px"


@pytest.mark.parametrize("width", [1280, 390])
def test_the_rater_draws_up_the_plan_and_the_person_reads_it(page, rated, width):
    page.set_viewport_size({"width": width, "height": 900})
    cast = rated
    url = f"/assessments/{cast.somchai_assessment.pk}/"
    log_in(page, cast.head.user.username, PASSWORD)
    page.goto(url)
    page.get_by_label("วิธีการพัฒนา: การมุ่งมั่นสู่ความสำเร็จ").select_option(label="สอนงาน")
    page.get_by_label("ช่วงเวลา: การมุ่งมั่นสู่ความสำเร็จ").fill("เมษายน – มิถุนายน ๒๕๖๙")
    page.get_by_role("button", name="บันทึกแผนพัฒนา").click()
    page.get_by_text("บันทึกแผนพัฒนาแล้ว").wait_for()
    fits_the_width(page, width)
    item = DevelopmentPlanItem.objects.get()
    assert (item.competency.code, item.method.name_th, item.period) == (
        "ACH",
        "สอนงาน",
        "เมษายน – มิถุนายน ๒๕๖๙",
    )

    page.context.clear_cookies()
    log_in(page, cast.somchai.user.username, PASSWORD)
    page.goto(url)
    plan = page.locator(".plan-item").filter(has_text="การมุ่งมั่นสู่ความสำเร็จ")
    assert "วิธีการพัฒนา: สอนงาน" in plan.inner_text()
    assert "ช่วงเวลา: เมษายน – มิถุนายน ๒๕๖๙" in plan.inner_text()
    assert page.locator("select[name^=method-]").count() == 0  # the person only reads it
    fits_the_width(page, width)
