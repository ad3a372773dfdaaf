"""An accessibility scan of the main pages (issue 12, point 10): axe-core, as shipped in
axe-playwright-python's package (no CDN), in Debian's Chromium, at 1280 and 390 px; no
serious or critical violation on any page, for each kind of person."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.cast import make_cast, open_round
from tests.e2e.conftest import log_in
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
GRAVE = ("serious", "critical")


@pytest.fixture
def people(seed_framework):
    cast = make_cast()
    open_round(cast)
    return cast


def pages_of(people):
    a = people.somchai_assessment.pk
    return {
        "somchai": ["/", "/framework/", f"/assessments/{a}/self/", f"/assessments/{a}/"],
        "head": ["/assessments/team/", f"/assessments/{a}/rate/"],
        "hr": [
            "/assessments/hr/dashboard/",
            "/assessments/hr/cycles/",
            "/hr/people/",
            "/hr/analytics/",
            "/assessments/hr/audit/",
            "/framework/versions/",
        ],
    }


def grave_violations(page):
    found = Axe().run(page).response["violations"]
    return [
        (violation["id"], node["html"][:120])
        for violation in found
        if violation["impact"] in GRAVE
        for node in violation["nodes"]
    ]


@pytest.mark.parametrize("width", [1280, 390])
def test_no_serious_violation_on_the_main_pages(page, people, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto("/accounts/login/")
    found = {"/accounts/login/": grave_violations(page)}
    for username, paths in pages_of(people).items():
        page.context.clear_cookies()
        log_in(page, username, PASSWORD)
        for path in paths:
            response = page.goto(path)
            assert response.status == 200, path
            found[path] = grave_violations(page)
    assert {path: v for path, v in found.items() if v} == {}
