"""Errors at their field (issue 12, point 4): a form sent back with errors puts the focus on
the first field in error, which says so to screen readers."""

import pytest

from tests.cast import make_cast
from tests.e2e.conftest import log_in
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def people(seed_framework):
    return make_cast()


def test_a_form_sent_back_with_errors_puts_the_focus_on_the_first(page, people):
    log_in(page, "hr", PASSWORD)
    page.goto("/hr/people/new/")
    page.locator("form.person-form button[type=submit], main form button[type=submit]").last.click()
    page.wait_for_load_state()
    focused = page.evaluate_handle("document.activeElement")
    assert focused.get_attribute("aria-invalid") == "true"
    described = focused.get_attribute("aria-describedby")
    assert described and page.locator(f"#{described.split()[-1]}").inner_text().strip()
