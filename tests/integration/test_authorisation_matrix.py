"""Who may open what: every URL pattern of the portal × seven people (issue 10, point 8).

The object of every page is somchai's assessment of round 2569-1 (or somchai himself): he is
the person; malee, rated by the same head, is another member of staff; head is his rater;
other_head rates someone else; palad is the next-level supervisor (head's own supervisor);
hr is HR. A URL pattern without an entry here fails the test, so a new page must say who may
open it.
"""

import re

from django.urls import reverse

from tests.integration.test_hr_gate import HR_PAGES, portal_patterns, url_of

ROLES = ("anonymous", "somchai", "malee", "head", "other_head", "palad", "hr")
LOGIN = "login"  # a redirect to the login page
# GET outcome per role, in the order of ROLES, for every page that is not behind the HR gate.
VIEWER = [LOGIN, 200, 404, 200, 404, 200, 200]  # the person, the rater, the reviewer, HR
MATRIX = {
    "home": [LOGIN, 200, 200, 200, 200, 200, 200],
    "framework:detail": [LOGIN, 200, 200, 200, 200, 200, 200],
    "assessments:team": [LOGIN, 200, 200, 200, 200, 200, 200],
    "assessments:results": VIEWER,
    "assessments:pdf": VIEWER,
    "assessments:annual_pdf": VIEWER,
    "assessments:blank_pdf": VIEWER,
    # the performance agreement: read by whoever may see the assessment (written by the rater)
    "assessments:agreement": VIEWER,
    "assessments:agreement_pdf": VIEWER,
    # the rating pages: may see it, may not rate on it → 403; may not even see it → 404
    "assessments:self": [LOGIN, 200, 404, 403, 404, 403, 403],
    "assessments:rate": [LOGIN, 403, 404, 200, 404, 403, 403],
    # one person's history: the person, their current supervisor and HR
    "analytics:person": [LOGIN, 200, 404, 200, 404, 404, 200],
    "analytics:person_csv": [LOGIN, 200, 404, 200, 404, 404, 200],
    # the second step of the login: nobody here owes a code, so each is sent on (home)
    "two_factor:code": [LOGIN, 302, 302, 302, 302, 302, 302],
    # the load balancers' health page: open to anybody, no personal data
    "healthz": [200, 200, 200, 200, 200, 200, 200],
}
# Steps taken by POST on somchai's unrated assessment: a refusal by the service comes back as a
# redirect to the results page with a message (302); 403 and 404 as above.
POST_MATRIX = {
    "assessments:acknowledge": [LOGIN, 302, 404, 403, 404, 403, 403],
    "assessments:refusal": [LOGIN, 403, 404, 302, 404, 403, 403],
    "assessments:review": [LOGIN, 403, 404, 403, 404, 302, 302],
    # the development plan's choices: the rater, or HR from paper
    "assessments:plan": [LOGIN, 403, 404, 302, 404, 403, 302],
    # the rating pages' background saves (JSON): as the pages themselves
    "assessments:self_autosave": [LOGIN, 200, 404, 403, 404, 403, 403],
    "assessments:rate_autosave": [LOGIN, 403, 404, 200, 404, 403, 403],
}
# Django's own account pages, open to anybody.
ACCOUNT_PAGES = re.compile(r"^(login|logout|set_language|password_\w+)$")


def who(cast, role):
    if role == "anonymous":
        return None
    return cast.hr if role == "hr" else getattr(cast, role).user


def url_for(name, cast):
    if name.startswith("analytics:person"):
        return reverse(name, args=[cast.somchai.pk])
    if name in ("home", "framework:detail", "assessments:team", "two_factor:code", "healthz"):
        return reverse(name)
    return reverse(name, args=[cast.somchai_assessment.pk])


def outcome(response):
    if response.status_code == 302 and response["Location"].startswith("/accounts/login/"):
        return LOGIN
    return response.status_code


def test_every_url_pattern_has_an_entry():
    names = {name for name, _pattern in portal_patterns()}
    listed = set(MATRIX) | set(POST_MATRIX) | HR_PAGES
    unlisted = {name for name in names - listed if not ACCOUNT_PAGES.match(name)}
    assert unlisted == set()


def test_each_page_answers_each_person_as_the_matrix_says(client, round_open):
    found = {}
    for name, expected in MATRIX.items():
        url = url_for(name, round_open)
        for role, wanted in zip(ROLES, expected, strict=True):
            client.logout()
            if role != "anonymous":
                client.force_login(who(round_open, role))
            found[name, role] = (outcome(client.get(url)), wanted)
    wrong = {key: got for key, got in found.items() if got[0] != got[1]}
    assert wrong == {}


def test_each_step_answers_each_person_as_the_matrix_says(client, round_open):
    found = {}
    for name, expected in POST_MATRIX.items():
        url = url_for(name, round_open)
        for role, wanted in zip(ROLES, expected, strict=True):
            client.logout()
            if role != "anonymous":
                client.force_login(who(round_open, role))
            data = {"version": round_open.somchai_assessment.version}
            found[name, role] = (outcome(client.post(url, data)), wanted)
    wrong = {key: got for key, got in found.items() if got[0] != got[1]}
    assert wrong == {}


def test_every_hr_page_refuses_each_of_the_six_who_are_not_hr(client, round_open):
    """The HR pages (test_hr_gate.py lists them): a visitor is sent to log in, the five people
    of the cast who are not HR get 403, whatever the page's object."""
    gated = [(name, pattern) for name, pattern in portal_patterns() if name in HR_PAGES]
    assert {name for name, _pattern in gated} == HR_PAGES
    wrong = {}
    for name, pattern in gated:
        url = url_of(name, pattern)
        for role in ROLES[:-1]:
            client.logout()
            if role != "anonymous":
                client.force_login(who(round_open, role))
            got = outcome(client.get(url))
            if got != (LOGIN if role == "anonymous" else 403):
                wrong[name, role] = got
    assert wrong == {}
