"""The key pages take as many queries in an organisation of 150 people as in one of 45 (issue
14): the figures `make bench` measures, on the same synthetic organisation. A page whose
count depended on the people would read them one by one."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments.models import Assessment, Track
from assessments.services import synthetic
from framework.models import Indicator, ScalePoint

# queries of each page, the same at every size (the session row is written once a minute at
# most, not at every request: IdleSessionMiddleware; the assessment's position class read with
# it, and its results computed from the assessment the page has read, not from a second read)
EXPECTED = {
    "self_page": 12,
    "self_save": 19,
    "rate_page": 12,
    "team": 7,
    "dashboard": 14,
    "hr_results": 17,
    "csv": 9,
    "xlsx": 9,
    "analytics": 9,
    "framework": 11,
    "pdf": 15,
}


def client_of(user):
    client = Client(HTTP_HOST="localhost")
    client.force_login(user)
    return client


def pages(cycle):
    """{page: a callable that requests it once}, as benchmarks/portal.py picks them."""
    hr_user = get_user_model().objects.create(username="counts-hr")
    hr_user.groups.add(Group.objects.get(name="hr"))
    hr = client_of(hr_user)
    drafting = Assessment.objects.filter(cycle=cycle, self_state=Track.IN_PROGRESS).first()
    person = client_of(drafting.employee.user)
    rating = (
        Assessment.objects.filter(cycle=cycle, supervisor_state=Track.IN_PROGRESS)
        .exclude(supervisor=None)
        .first()
    )
    head = client_of(rating.supervisor.user)
    rated = Assessment.objects.filter(cycle=cycle, supervisor_state=Track.SUBMITTED).first()
    shown = ScalePoint.objects.get(framework=cycle.framework, demonstrated=True).value
    indicators = Indicator.objects.filter(level__competency__framework=cycle.framework)
    values = {f"r{pk}": shown for pk in indicators.values_list("pk", flat=True)}

    def save():
        version = Assessment.objects.get(pk=drafting.pk).self_version
        data = {**values, "version": version, "action": "save"}
        return person.post(reverse("assessments:self", args=[drafting.pk]), data)

    return {
        "self_page": lambda: person.get(reverse("assessments:self", args=[drafting.pk])),
        "self_save": save,
        "rate_page": lambda: head.get(reverse("assessments:rate", args=[rating.pk])),
        "team": lambda: head.get(reverse("assessments:team")),
        "dashboard": lambda: hr.get(reverse("assessments:dashboard")),
        "hr_results": lambda: hr.get(reverse("assessments:results", args=[rated.pk])),
        "csv": lambda: hr.get(reverse("exports:results", args=[cycle.pk, "csv"])),
        "xlsx": lambda: hr.get(reverse("exports:results", args=[cycle.pk, "xlsx"])),
        "analytics": lambda: hr.get(reverse("analytics:index")),
        "framework": lambda: person.get(reverse("framework:detail")),
        "pdf": lambda: hr.get(reverse("assessments:pdf", args=[rated.pk])),
    }


def queries_of(page):
    page()  # once before: sessions, caches
    with CaptureQueriesContext(connection) as queries:
        answer = page()
    assert answer.status_code in (200, 302), answer.status_code
    return len(queries)


@pytest.mark.parametrize("people", [45, 150])
def test_the_key_pages_take_as_many_queries_at_every_size(seed_framework, people):
    cycle = synthetic.build(people=people, seed=5)
    counts = {name: queries_of(page) for name, page in pages(cycle).items()}
    assert counts == EXPECTED
