"""Every write and state change of the appraisal, each in one transaction.

rounds.py (create, open, close), rating.py (ratings, comments, submission), workflow.py (after the
rating, and `allowed_steps`), people.py (people and logins), reminders.py (email), printing.py
(batch prints asked for), demo.py (the demo organisation). The workflow API is re-exported here:
`services.save_ratings(...)`."""

from assessments.services.base import (
    IncompleteRatings,
    StaleAssessment,
    WorkflowError,
    bump_version,
    record_event,
)
from assessments.services.rating import (
    TrackRefused,
    TrackWrite,
    missing_indicators,
    parse_work_results,
    save_ratings,
    submit_self_assessment,
    submit_supervisor_rating,
    submit_track,
    write_tracks,
)
from assessments.services.rounds import (
    add_missing_assessments,
    close_cycle,
    create_cycle,
    framework_to_pin,
    open_cycle,
    people_without_assessment,
    reopen_cycle,
    round_dates,
    set_scoring,
)
from assessments.services.workflow import (
    ACKNOWLEDGE,
    CHANGE_RATER,
    FINALIZE,
    RECORD_REFUSAL,
    REOPEN,
    REOPEN_STEPS,
    REVIEW,
    acknowledge,
    allowed_steps,
    change_rater,
    finalize,
    finalize_blockers,
    record_refusal,
    reopen,
    review,
)

__all__ = [
    "ACKNOWLEDGE",
    "CHANGE_RATER",
    "FINALIZE",
    "IncompleteRatings",
    "RECORD_REFUSAL",
    "REOPEN",
    "REOPEN_STEPS",
    "REVIEW",
    "StaleAssessment",
    "WorkflowError",
    "acknowledge",
    "add_missing_assessments",
    "allowed_steps",
    "bump_version",
    "change_rater",
    "close_cycle",
    "create_cycle",
    "finalize",
    "finalize_blockers",
    "framework_to_pin",
    "missing_indicators",
    "open_cycle",
    "set_scoring",
    "parse_work_results",
    "people_without_assessment",
    "record_event",
    "record_refusal",
    "reopen",
    "reopen_cycle",
    "review",
    "round_dates",
    "save_ratings",
    "submit_self_assessment",
    "submit_supervisor_rating",
    "submit_track",
    "TrackRefused",
    "TrackWrite",
    "write_tracks",
]
