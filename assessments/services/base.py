"""What every write of an assessment shares: the errors, the optimistic lock, the audit record.

A service checks the workflow rules itself (a submitted track is never written, whatever a
page shows), records an AssessmentEvent, and bumps the assessment's `version`: a caller that
read an older version gets StaleAssessment. Who may call is the views' (and the gate's) job.
"""

from django.core.exceptions import ValidationError
from django.db.models import F
from django.utils.translation import gettext as _

from assessments.models import (
    Assessment,
    AssessmentEvent,
)


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
            _("Rate every behaviour indicator before submitting: %(count)d not rated yet.")
            % {"count": len(missing)}
        )


def bump_version(assessment, expected_version, **changes):
    """Write `changes` and version+1 only if nobody saved since `expected_version`."""
    version = assessment.version if expected_version is None else int(expected_version)
    updated = Assessment.objects.filter(pk=assessment.pk, version=version).update(
        version=F("version") + 1, **changes
    )
    if not updated:
        raise StaleAssessment()
    for field, value in changes.items():
        setattr(assessment, field, value)
    assessment.version = version + 1


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
