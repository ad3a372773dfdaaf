"""The HR gate: every HR page is reached through URL patterns wrapped by one gate
(competency_portal/urls.py). Each gated pattern refuses anyone but HR (403) and sends a visitor to
the login page; a page outside the gate must be listed here as open on purpose."""

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver, reverse

# Every HR page, by its URL name: each must be behind the gate.
HR_PAGES = {
    "framework:versions",
    "framework:version_new",
    "framework:import",
    "framework:export",
    "framework:export_csv",
    "framework:version",
    "framework:version_publish",
    "framework:version_discard",
    "framework:diff",
    "framework:scale",
    "framework:expected",
    "framework:competency_new",
    "framework:competency_edit",
    "framework:competency_delete",
    "framework:competency_move",
    "assessments:finalize",
    "assessments:reopen",
    "assessments:change_rater",
    "assessments:preview",
    "assessments:dashboard",
    "assessments:cycle_list",
    "assessments:cycle_detail",
    "assessments:cycle_open",
    "assessments:cycle_close",
    "assessments:cycle_reopen",
    "assessments:cycle_add_people",
    "assessments:print_job_create",
    "assessments:print_job",
    "assessments:print_job_file",
    "assessments:print_job_status",
    "assessments:print_job_retry",
    "assessments:reminders_retry",
    "assessments:audit",
    "assessments:development_methods",
    "assessments:outside_people",
    "assessments:cycle_outside",
    "assessments:cycle_scoring",
    "assessments:audit_csv",
    "people:list",
    "people:create",
    "people:edit",
    "people:password",
    "people:unlock",
    "people:deactivate",
    "people:reactivate",
    "people:import",
    "people:import_template",
    "ratings_import:upload",
    "ratings_import:template",
    "ratings_import:agreements",
    "exports:results",
    "exports:results_page",
    "analytics:index",
    "analytics:csv",
    "analytics:trend",
    "two_factor:setup",
    "two_factor:disable",
}
# Pages outside the gate on purpose: each checks its own object (permissions.py) or is public.
OPEN_PAGES = {
    "home",
    "framework:detail",
    "assessments:results",
    "assessments:self",
    "assessments:self_autosave",
    "assessments:pdf",
    "assessments:annual_pdf",
    "assessments:blank_pdf",
    "assessments:rate",
    "assessments:rate_autosave",
    "assessments:acknowledge",
    "assessments:refusal",
    "assessments:review",
    "assessments:plan",
    "assessments:agreement",
    "assessments:agreement_pdf",
    "assessments:team",
    "analytics:person",
    "analytics:person_csv",
    "two_factor:code",
    "healthz",
}
# Stand-in values for the URL parameters, by converter.
SAMPLE = {"int": 1, "str": "csv", "path": "x", "slug": "x"}


def portal_patterns(patterns=None, namespace=""):
    """(full name, pattern, route converters) of every named pattern of the portal's own apps."""
    patterns = get_resolver().url_patterns if patterns is None else patterns
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace in ("admin",) or pattern.app_name == "admin":
                continue
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from portal_patterns(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}", pattern


def url_of(name, pattern):
    route = str(pattern.pattern)
    converters = re.findall(r"<(?:(\w+):)?(\w+)>", route)
    kwargs = {key: SAMPLE[kind or "str"] for kind, key in converters}
    kwargs.update(pattern.default_args)
    kwargs.pop("kind", None)
    return reverse(name, kwargs={k: v for k, v in kwargs.items() if k != "kind"})


GATED = sorted(
    (name, pattern)
    for name, pattern in portal_patterns()
    if getattr(pattern.callback, "gate", None) == "hr_required"
)


def test_every_hr_page_is_behind_the_gate_and_nothing_else_is():
    gated = {name for name, _pattern in GATED}
    assert gated == HR_PAGES


def test_every_page_outside_the_gate_is_open_on_purpose():
    names = {name for name, _pattern in portal_patterns()}
    auth = {n for n in names if n in {"login", "logout", "set_language"} or "password" in n}
    assert names - HR_PAGES - auth == OPEN_PAGES


def test_every_gated_page_refuses_a_visitor_and_anyone_but_hr(client, round_open):
    """One test over all gated pages (a round each would cost a minute); a failure names the
    page."""
    for name, pattern in GATED:
        url = url_of(name, pattern)
        client.logout()
        for method in (client.get, client.post):
            response = method(url)
            assert response.status_code == 302, name
            assert response["Location"].startswith("/accounts/login/"), name
        # a division head, who rates people and reviews others, is not HR
        client.force_login(round_open.head.user)
        assert client.get(url).status_code == 403, name
        assert client.post(url).status_code == 403, name
        # and HR passes the gate (the page may still find no object number 1: 404)
        client.force_login(round_open.hr)
        assert client.get(url).status_code != 403, name


def test_the_hr_role_is_read_once_per_request(client, round_open):
    client.force_login(round_open.hr)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("assessments:dashboard")).status_code == 200
    group_reads = [q for q in queries.captured_queries if "auth_group" in q["sql"]]
    assert len(group_reads) == 1
