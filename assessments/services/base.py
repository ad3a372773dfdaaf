"""What every write of an assessment shares: the errors, the optimistic lock, the audit record.

A service checks the workflow rules itself (a submitted track is never written, whatever a
page shows), records an AssessmentEvent, and bumps the assessment's `version` (or the rating
track's own): a caller that read an older version gets StaleAssessment. Who may call is the
views' (and the gate's) job.
"""

from django.core.exceptions import ValidationError
from django.db.models import F
from django.utils.translation import gettext as _

from assessments.models import (
    Assessment,
    AssessmentEvent,
)
from competency_portal.lib.thai import thai_digits


class StaleAssessment(Exception):
    """Someone else saved the assessment after this caller read it."""

    def __init__(self):
        super().__init__(
            _("Someone else saved this assessment first. Reload the page to see their changes.")
        )


class WorkflowError(ValidationError):
    """A step that the assessment's state does not allow now."""


class IncompleteRatings(ValidationError):
    """Submission refused: these indicators have no rating yet (`missing`)."""

    def __init__(self, missing):
        self.missing = missing
        super().__init__(
            _("Rate every behaviour indicator before submitting: %(count)s not rated yet.")
            % {"count": thai_digits(len(missing))}
        )


def bump_version(assessment, expected_version, *, track=None, also=(), **changes):
    """Write `changes` and add one to a version, only if nobody saved since `expected_version`.

    The version is the workflow's (`version`), or one rating track's (`self_version`,
    `supervisor_version`) when `track` names it: a draft of one track never conflicts with
    the other. `also` names versions that move too, unchecked (a submit changes both)."""
    field = f"{track}_version" if track else "version"
    version = getattr(assessment, field) if expected_version is None else int(expected_version)
    increments = {name: F(name) + 1 for name in (field, *also)}
    updated = Assessment.objects.filter(pk=assessment.pk, **{field: version}).update(
        **increments, **changes
    )
    if not updated:
        raise StaleAssessment()
    for name, value in changes.items():
        setattr(assessment, name, value)
    setattr(assessment, field, version + 1)
    if also:
        assessment.refresh_from_db(fields=list(also))


def locked(assessment):
    """The assessment as the database has it now, its row locked until the transaction ends."""
    return (
        Assessment.objects.select_related("cycle__framework")
        .select_for_update(of=("self",))
        .get(pk=assessment.pk)
    )


def record_event(assessment, by, action, role="", from_state="", to_state="", detail=""):
    AssessmentEvent.objects.create(
        assessment=assessment,
        actor=by,
        action=action,
        role=role,
        from_state=from_state,
        to_state=to_state,
        detail=detail,
    )
