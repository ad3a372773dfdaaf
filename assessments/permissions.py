"""Who may see or change which assessment: plain predicates, asked by the views (through
assessments/views/common.py `assessment_for`) and by the workflow's `allowed_steps`.

Staff reach only their own assessments, a supervisor those they rate (their direct
subordinates when the round opened), the next-level supervisor those they review, HR all.
"""

from assessments.models import Assessment, Cycle, Employee
from framework.permissions import is_hr

__all__ = [
    "is_hr",
    "employee_of",
    "can_view",
    "can_rate_self",
    "can_rate_as_supervisor",
    "can_review",
    "can_manage",
    "has_team",
]


def employee_of(user):
    """The Employee linked to a login, or None (an HR-only account, an anonymous visitor)."""
    if not user.is_authenticated:
        return None
    try:
        return user.employee
    except Employee.DoesNotExist:
        return None


def has_team(user):
    """Whether this login rates or reviews someone in the open round (the "My team" menu);
    one query."""
    if not user.is_authenticated:
        return False
    # Two lookups by the person (UNION ALL), not one OR across two joins: the OR made the
    # database read every assessment of the round (3 ms at 5,000 people, on every page).
    open_round = Assessment.objects.filter(cycle__status=Cycle.Status.OPEN).order_by()
    rated = open_round.filter(supervisor__user=user).values("pk")
    reviewed = open_round.filter(reviewer__user=user).values("pk")
    return bool(rated.union(reviewed, all=True)[:1])


def _is(user, employee_id):
    person = employee_of(user)
    return person is not None and employee_id is not None and person.pk == employee_id


def can_rate_self(user, assessment):
    return _is(user, assessment.employee_id)


def can_rate_as_supervisor(user, assessment):
    return _is(user, assessment.supervisor_id)


def can_speak_for_the_rater(user, assessment):
    """The rater; or HR, keying in what a rater without a login wrote on paper (a refusal)."""
    if can_rate_as_supervisor(user, assessment):
        return True
    return can_manage(user) and assessment.outside_rater is not None


def can_review(user, assessment):
    return _is(user, assessment.reviewer_id)


def can_manage(user):
    """HR: rounds, people, finalising and reopening."""
    return is_hr(user)


def can_view(user, assessment):
    return (
        can_manage(user)
        or can_rate_self(user, assessment)
        or can_rate_as_supervisor(user, assessment)
        or can_review(user, assessment)
    )
