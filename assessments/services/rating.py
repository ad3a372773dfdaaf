"""Writes of ratings, comments and work results, and submitting a track, each in one
transaction."""

import datetime
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.models import (
    Assessment,
    AssessmentEvent,
    CompetencyComment,
    Cycle,
    Rating,
    Role,
    Track,
)
from assessments.selectors import results
from assessments.services.base import (
    IncompleteRatings,
    WorkflowError,
    bump_version,
    locked,
    record_event,
)
from competency_portal.lib.bulk import in_chunks, insert_rows, prepared
from competency_portal.lib.textguard import MAX_COMMENT, clean_text
from competency_portal.lib.thai import thai_numbers
from framework.models import Indicator, ScalePoint


def _require_open_track(assessment, role):
    if assessment.cycle.status != Cycle.Status.OPEN:
        raise WorkflowError(_("This round is not open; ratings can no longer be changed."))
    if assessment.is_finalized:
        raise WorkflowError(_("This assessment has been finalised by HR."))
    if assessment.track_state(role) == Track.SUBMITTED:
        raise WorkflowError(_("These ratings have been submitted and can no longer be changed."))


def _check_ratings(assessment, values):
    """Every indicator must belong to the round's framework and every value to its scale."""
    framework_id = assessment.cycle.framework_id
    known = set(
        Indicator.objects.filter(
            level__competency__framework_id=framework_id, pk__in=list(values)
        ).values_list("pk", flat=True)
    )
    scale = set(
        ScalePoint.objects.filter(framework_id=framework_id).values_list("value", flat=True)
    )
    errors = []
    for indicator_id, value in values.items():
        if indicator_id not in known:
            message = _("Indicator %(id)s is not part of this round's framework.")
            errors.append(message % {"id": indicator_id})
        elif value is not None and value not in scale:
            errors.append(_("%(value)s is not a point of the rating scale.") % {"value": value})
    if errors:
        raise ValidationError(errors)


def _check_comments(assessment, comments):
    framework_id = assessment.cycle.framework_id
    known = set(
        assessment.cycle.framework.competencies.filter(pk__in=list(comments)).values_list(
            "pk", flat=True
        )
    )
    unknown = [pk for pk in comments if pk not in known or framework_id is None]
    if unknown:
        raise ValidationError(_("A comment names a competency that is not in this round."))
    for competency_id, text in comments.items():
        text = clean_text(text or "", multiline=True)
        if len(text) > MAX_COMMENT:
            raise ValidationError(
                _("A comment may have at most %(n)s characters.") % thai_numbers({"n": MAX_COMMENT})
            )
        comments[competency_id] = text


def parse_work_results(raw):
    """'85.5' → Decimal('85.50'); '' → None; anything outside 0–100 is refused."""
    if raw is None or str(raw).strip() == "":
        return None
    try:
        value = Decimal(str(raw).strip().replace(",", "."))
    except InvalidOperation:
        raise ValidationError(_("Work results must be a number from 0 to 100.")) from None
    if not value.is_finite() or not 0 <= value <= 100:
        raise ValidationError(_("Work results must be a number from 0 to 100."))
    return value.quantize(Decimal("0.01"))


@transaction.atomic
def save_ratings(
    *,
    assessment,
    role,
    by,
    values,
    comments=None,
    work_results=...,
    expected_version=None,
    quiet=False,
):
    """Save a draft of one track: ratings {indicator id: value or None}, comments {competency
    id: text}, and (supervisor only) the work-results percentage. Partial is fine.

    `expected_version` is the track's version the page was read at (`self_version` or
    `supervisor_version`): a save on top of someone else's later save of the same track is
    refused with StaleAssessment, while the other track's saves never get in the way.

    `quiet` (the page's autosave): a save by the same person within QUIET_MINUTES of their
    last recorded save moves that line of history to now rather than adding one, which would
    otherwise list every click."""
    assessment = locked(assessment)
    _require_open_track(assessment, role)
    comments = dict(comments or {})
    _check_ratings(assessment, values)
    _check_comments(assessment, comments)
    changes = {}
    if role == Role.SUPERVISOR and work_results is not ...:
        if assessment.cycle.work_results_method == Cycle.WorkResultsMethod.INDICATORS:
            raise WorkflowError(
                _(
                    "This round's work results come from the agreed indicators; they are not "
                    "typed in."
                )
            )
        changes["work_results"] = work_results
    before = assessment.track_state(role)
    if before == Track.NOT_STARTED:
        changes[f"{role}_state"] = Track.IN_PROGRESS
    bump_version(assessment, expected_version, track=role, **changes)
    _write_ratings(assessment, role, by, values)
    _store_levels(assessment, role)
    _write_comments(assessment, role, by, comments)
    # the count only: the history says "N ratings saved" in the reader's language
    count = str(sum(v is not None for v in values.values()))
    lately = _saved_lately(assessment, role, by) if quiet else None
    if lately is not None:
        # one line for a stretch of autosaves, showing when the latest was made
        AssessmentEvent.objects.filter(pk=lately.pk).update(at=timezone.now(), detail=count)
        return assessment
    record_event(
        assessment,
        by,
        AssessmentEvent.Action.SAVED,
        role,
        before,
        assessment.track_state(role),
        count,
    )
    return assessment


QUIET_MINUTES = 15


def _saved_lately(assessment, role, by):
    """The track's latest history line when it is this person's save of the last
    QUIET_MINUTES, else None."""
    latest = assessment.events.filter(role=role).order_by("-at", "-pk").first()
    recent = timezone.now() - datetime.timedelta(minutes=QUIET_MINUTES)
    if (
        latest is not None
        and latest.action == AssessmentEvent.Action.SAVED
        and latest.actor_id == by.pk
        and latest.at >= recent
    ):
        return latest
    return None


def _write_ratings(assessment, role, by, values):
    now = timezone.now()
    existing = {
        r.indicator_id: r
        for r in Rating.objects.filter(assessment=assessment, role=role, indicator_id__in=values)
    }
    to_create, to_update, to_delete = [], [], []
    for indicator_id, value in values.items():
        rating = existing.get(indicator_id)
        if value is None:
            if rating:
                to_delete.append(rating.pk)
        elif rating is None:
            to_create.append(
                Rating(
                    assessment=assessment,
                    indicator_id=indicator_id,
                    role=role,
                    value=value,
                    rated_by=by,
                    rated_at=now,
                )
            )
        elif rating.value != value:
            rating.value, rating.rated_by, rating.rated_at = value, by, now
            to_update.append(rating)
    Rating.objects.bulk_create(to_create)
    Rating.objects.bulk_update(to_update, ["value", "rated_by", "rated_at"])
    Rating.objects.filter(pk__in=to_delete).delete()


def _store_levels(assessment, role):
    """Keep the track's levels (Assessment.self_levels / supervisor_levels) in step with the
    ratings just written, in the same transaction: the results of a round are read from them."""
    field = results.TRACK_FIELDS[role]
    record = results.track_record_of(assessment, role)
    Assessment.objects.filter(pk=assessment.pk).update(**{field: record})
    setattr(assessment, field, record)


def _write_comments(assessment, role, by, comments):
    if not comments:
        return
    now = timezone.now()
    existing = {
        c.competency_id: c
        for c in CompetencyComment.objects.filter(
            assessment=assessment, role=role, competency_id__in=comments
        )
    }
    to_create, to_update = [], []
    for competency_id, text in comments.items():
        text = (text or "").strip()
        comment = existing.get(competency_id)
        if comment is None and text:
            to_create.append(
                CompetencyComment(
                    assessment=assessment,
                    competency_id=competency_id,
                    role=role,
                    text=text,
                    written_by=by,
                    written_at=now,
                )
            )
        elif comment is not None and comment.text != text:
            comment.text, comment.written_by, comment.written_at = text, by, now
            to_update.append(comment)
    CompetencyComment.objects.bulk_create(to_create)
    CompetencyComment.objects.bulk_update(to_update, ["text", "written_by", "written_at"])


def missing_indicators(assessment, role):
    """Indicators of the round's framework that this track has not rated yet, in order."""
    rated = Rating.objects.filter(assessment=assessment, role=role).values("indicator_id")
    return list(
        Indicator.objects.filter(level__competency__framework_id=assessment.cycle.framework_id)
        .exclude(pk__in=rated)
        .select_related("level__competency")
        .order_by("level__competency__order", "level__number", "number")
    )


@transaction.atomic
def submit_track(*, assessment, role, by, expected_version=None):
    """Submit one track; every indicator must be rated. Afterwards it is read-only.
    `expected_version` is the track's version, as for save_ratings."""
    assessment = locked(assessment)
    _require_open_track(assessment, role)
    missing = missing_indicators(assessment, role)
    if missing:
        raise IncompleteRatings(missing)
    before = assessment.track_state(role)
    bump_version(
        assessment,
        expected_version,
        track=role,
        also=("version",),
        **{f"{role}_state": Track.SUBMITTED, f"{role}_submitted_at": timezone.now()},
    )
    record_event(assessment, by, AssessmentEvent.Action.SUBMITTED, role, before, Track.SUBMITTED)
    return assessment


def submit_self_assessment(*, assessment, by, expected_version=None):
    return submit_track(
        assessment=assessment, role=Role.SELF, by=by, expected_version=expected_version
    )


def submit_supervisor_rating(*, assessment, by, expected_version=None):
    return submit_track(
        assessment=assessment, role=Role.SUPERVISOR, by=by, expected_version=expected_version
    )


@dataclass
class TrackWrite:
    """One track of a bulk write (write_tracks): its assessment, locked in this transaction,
    the new and changed ratings {indicator id: value or None}, the ratings it had before
    {indicator id: value}, and whether it is submitted afterwards."""

    assessment: Assessment
    role: str
    values: dict
    saved: dict
    submit: bool = False
    state_before: str = ""  # the track's state before the write (write_tracks sets it)
    levels: dict | None = None  # its stored levels after the write


class TrackRefused(WorkflowError):
    """A track of a bulk write that may not be written; `write` says which."""

    def __init__(self, write, error):
        super().__init__(error.messages)
        self.write = write


@transaction.atomic
def write_tracks(*, cycle, writes, by):
    """save_ratings, then submit_track where asked, for many tracks of round `cycle` at once
    (a ratings import), with the same effect on each track (its ratings, state, versions,
    stored levels and history) in a number of queries that does not grow with the tracks (but
    for the statements of many rows each that the new ratings take).

    Each assessment must have been locked (select_for_update) in this transaction, and each
    track's `saved` read after that; every value must be checked against the round's
    framework and scale already. A track that may not be written raises TrackRefused before
    anything is written."""
    if not writes:
        return
    for write in writes:
        _check_write(cycle, write)
    shape = results.shapes_of([cycle.framework])[cycle.framework_id]
    indicators = {pk for levels in shape.layout.values() for pks in levels.values() for pk in pks}
    now = timezone.now()
    events = []
    for write in writes:
        after = {**write.saved, **write.values}
        after = {pk: value for pk, value in after.items() if value is not None}
        if write.submit and indicators - set(after):
            raise TrackRefused(write, IncompleteRatings(sorted(indicators - set(after))))
        events += _track_steps(write, shape, after, by)
    _write_many_ratings(writes, by, now)
    _move_tracks(writes, now)
    AssessmentEvent.objects.bulk_create(events, batch_size=1000)


def _check_write(cycle, write):
    if write.assessment.cycle_id != cycle.pk:
        raise ValueError("write_tracks writes the tracks of one round.")
    write.assessment.cycle = cycle
    try:
        _require_open_track(write.assessment, write.role)
    except WorkflowError as error:
        raise TrackRefused(write, error) from None


def _track_steps(write, shape, after, by):
    """The lines of history of one track's save (when it has values) and submit, and its
    levels afterwards (`write.levels`)."""
    assessment, role = write.assessment, write.role
    state = write.state_before = assessment.track_state(role)
    steps = []
    if write.values:
        saved_state = Track.IN_PROGRESS if state == Track.NOT_STARTED else state
        count = str(sum(value is not None for value in write.values.values()))
        steps.append(_event(write, by, AssessmentEvent.Action.SAVED, state, saved_state, count))
        write.levels = results.track_record(shape, after)
        state = saved_state
    if write.submit:
        steps.append(_event(write, by, AssessmentEvent.Action.SUBMITTED, state, Track.SUBMITTED))
    return steps


def _event(write, by, action, from_state, to_state, detail=""):
    return AssessmentEvent(
        assessment=write.assessment,
        actor=by,
        action=action,
        role=write.role,
        from_state=from_state,
        to_state=to_state,
        detail=detail,
    )


def _move_tracks(writes, now):
    """Each track's state, versions and submission time as save_ratings and submit_track
    move them (a version up by one a step), in one UPDATE a kind of step; then its levels."""
    kinds = {}
    for write in writes:
        kind = (write.role, write.state_before, bool(write.values), write.submit)
        kinds.setdefault(kind, []).append(write.assessment.pk)
    for (role, before, saved, submitted), pks in kinds.items():
        changes = {f"{role}_version": F(f"{role}_version") + int(saved) + int(submitted)}
        if submitted:
            changes |= {f"{role}_state": Track.SUBMITTED, f"{role}_submitted_at": now}
            changes["version"] = F("version") + 1
        elif before == Track.NOT_STARTED:
            changes[f"{role}_state"] = Track.IN_PROGRESS
        for chunk in in_chunks(pks):
            Assessment.objects.filter(pk__in=chunk).update(**changes)
    for role, field in results.TRACK_FIELDS.items():
        levels = [write for write in writes if write.role == role and write.values]
        for write in levels:
            setattr(write.assessment, field, write.levels)
        objects = [write.assessment for write in levels]
        Assessment.objects.bulk_update(objects, [field], batch_size=500)


RATING_COLUMNS = ("assessment", "indicator", "role", "value", "rated_by", "rated_at")


def _write_many_ratings(writes, by, now):
    """The new, changed and cleared ratings of every track: a few queries in all."""
    new, changed, cleared = [], {}, set()
    at = prepared(Rating, "rated_at", now)
    for write in writes:
        key = write.assessment.pk, write.role
        for indicator_id, value in write.values.items():
            if value is None:
                if indicator_id in write.saved:
                    cleared.add((*key, indicator_id))
            elif indicator_id not in write.saved:
                new.append((key[0], indicator_id, key[1], value, by.pk, at))
            elif write.saved[indicator_id] != value:
                changed.setdefault(value, set()).add((*key, indicator_id))
    insert_rows(Rating, RATING_COLUMNS, new)
    if not changed and not cleared:
        return
    ids = _rating_ids(writes)
    for value, keys in changed.items():  # one UPDATE a value of the scale
        for chunk in in_chunks([ids[key] for key in keys]):
            Rating.objects.filter(pk__in=chunk).update(value=value, rated_by=by, rated_at=now)
    for chunk in in_chunks([ids[key] for key in cleared]):
        Rating.objects.filter(pk__in=chunk).delete()


def _rating_ids(writes):
    """{(assessment id, role, indicator id): rating id} of the ratings of these tracks' people
    (read in chunks within every database's limit on parameters)."""
    assessments = sorted({write.assessment.pk for write in writes})
    ids = {}
    for chunk in in_chunks(assessments):
        found = Rating.objects.filter(assessment_id__in=chunk).values_list(
            "pk", "assessment_id", "role", "indicator_id"
        )
        ids.update({tuple(key): pk for pk, *key in found})
    return ids
