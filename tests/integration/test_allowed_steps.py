"""`allowed_steps(assessment, user)`: who may take which workflow step now, asked by the results
page instead of restating the rules. Somchai is rated by head; palad, head's own supervisor,
reviews; hr is HR."""

from django.urls import reverse

from assessments import services
from assessments.models import Assessment, Role
from tests.factories import rate

REACHED = {"ACH": 1, "COM": 1, "SDEV": 1, "LOCAL": 1}
HR_BEFORE_RATING = {"reopen", "change_rater"}


def fresh(assessment):
    return Assessment.objects.select_related("cycle").get(pk=assessment.pk)


def rate_and_submit(cast):
    a = cast.somchai_assessment
    for role, user in [(Role.SELF, cast.somchai.user), (Role.SUPERVISOR, cast.head.user)]:
        rate(a, role, user, REACHED)
    return fresh(a)


def steps(assessment, user):
    return set(services.allowed_steps(assessment, user))


def test_before_the_rating_only_hr_has_steps(round_open):
    a = fresh(round_open.somchai_assessment)
    assert steps(a, round_open.somchai.user) == set()
    assert steps(a, round_open.head.user) == set()
    assert steps(a, round_open.palad.user) == set()
    assert steps(a, round_open.hr) == HR_BEFORE_RATING


def test_once_rated_the_person_acknowledges_or_the_rater_records_a_refusal(round_open):
    a = rate_and_submit(round_open)
    assert steps(a, round_open.somchai.user) == {"acknowledge"}
    assert steps(a, round_open.head.user) == {"record_refusal"}
    assert steps(a, round_open.palad.user) == set()  # the review waits for the acknowledgement
    assert steps(a, round_open.outsider.user) == set()
    assert steps(a, round_open.hr) == {"reopen"}  # the rater can no longer change


def test_after_the_acknowledgement_the_reviewer_or_hr_gives_the_opinion(round_open):
    a = rate_and_submit(round_open)
    services.acknowledge(assessment=a, by=round_open.somchai.user)
    a = fresh(a)
    assert steps(a, round_open.somchai.user) == set()
    assert steps(a, round_open.head.user) == set()
    assert steps(a, round_open.palad.user) == {"review"}
    assert steps(a, round_open.hr) == {"review", "reopen"}


def test_hr_may_finalise_once_nothing_blocks_it_and_nobody_acts_after(round_open):
    a = rate_and_submit(round_open)
    services.acknowledge(assessment=a, by=round_open.somchai.user)
    services.review(assessment=fresh(a), by=round_open.palad.user, opinion="agree")
    a = fresh(a)
    assert steps(a, round_open.hr) == {"finalize", "reopen"}
    services.finalize(assessment=a, by=round_open.hr)
    a = fresh(a)
    assert steps(a, round_open.hr) == {"reopen"}
    for person in ("somchai", "head", "palad"):
        assert steps(a, getattr(round_open, person).user) == set()


def test_the_results_page_shows_exactly_the_allowed_forms(client, round_open):
    a = rate_and_submit(round_open)
    forms = {
        "acknowledge": reverse("assessments:acknowledge", args=[a.pk]),
        "record_refusal": reverse("assessments:refusal", args=[a.pk]),
        "review": reverse("assessments:review", args=[a.pk]),
        "change_rater": reverse("assessments:change_rater", args=[a.pk]),
        "reopen": reverse("assessments:reopen", args=[a.pk]),
    }
    for user, shown in [
        (round_open.somchai.user, {"acknowledge"}),
        (round_open.head.user, {"record_refusal"}),
        (round_open.hr, {"reopen"}),
    ]:
        client.force_login(user)
        html = client.get(reverse("assessments:results", args=[a.pk])).content.decode()
        assert {step for step, url in forms.items() if f'action="{url}"' in html} == shown
