"""The rating pages: a self-assessment, and a supervisor's rating with the self-ratings
beside it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from assessments import forms, permissions, services
from assessments.models import Cycle, Role, Track
from assessments.selectors import conflicts, results
from assessments.selectors import rating as selectors
from assessments.views.common import assessment_for, error_messages, flash_errors
from competency_portal.lib.thai import thai_digits

KEYS_SALT = "assessments.rating.conflict-keys"
WORK_FIELD = "work_results"


class WorkResultsError(ValidationError):
    """The work results field is wrong: shown at the field, not only at the top."""


ROLE_PAGES = {
    Role.SELF: ("assessments:self", permissions.can_rate_self),
    Role.SUPERVISOR: ("assessments:rate", permissions.can_rate_as_supervisor),
}


@login_required
def self_assessment(request, pk):
    return _rating_page(request, pk, Role.SELF)


@login_required
def supervisor_rating(request, pk):
    return _rating_page(request, pk, Role.SUPERVISOR)


@login_required
@require_POST
def self_autosave(request, pk):
    return _autosave(request, pk, Role.SELF)


@login_required
@require_POST
def supervisor_autosave(request, pk):
    return _autosave(request, pk, Role.SUPERVISOR)


def _autosave(request, pk, role):
    """A draft saved in the background by static/js/rating.js, as the page's own "save"
    would save it; the answer gives the page its new version and snapshot (JSON)."""
    _url_name, allowed = ROLE_PAGES[role]
    assessment = assessment_for(request.user, pk, allowed)
    try:
        assessment = _save(request, assessment, role, request.POST, quiet=True)
    except services.StaleAssessment:
        message = _(
            "Someone else saved these ratings after you opened the page. Press "
            "“Save draft” to see both and choose."
        )
        return JsonResponse({"saved": False, "conflict": True, "message": message}, status=409)
    except ValidationError as error:
        text = " ".join(error_messages(error))
        return JsonResponse({"saved": False, "message": text}, status=400)
    sheet = selectors.rating_sheet(assessment, role)
    now = timezone.localtime()
    return JsonResponse(
        {
            "saved": True,
            "version": assessment.track_version(role),
            "base": conflicts.sign(conflicts.snapshot(sheet, role, assessment.work_results)),
            "levels": _all_levels_text(sheet, role),
            "message": _("Saved at %(time)s") % {"time": thai_digits(now.strftime("%H:%M"))},
        }
    )


def _rating_page(request, pk, role):
    url_name, allowed = ROLE_PAGES[role]
    assessment = assessment_for(request.user, pk, allowed)
    missing, field_errors = [], {}
    status = 200
    if request.method == "POST":
        outcome = _save_rating_post(request, assessment, role)
        if outcome is None:
            return redirect(url_name, pk=pk)
        if isinstance(outcome, conflicts.Conflict):
            return _conflict_page(request, outcome)
        status, missing, field_errors = outcome
        assessment.refresh_from_db()
    sheet = selectors.rating_sheet(assessment, role)
    for code, text in _all_levels_text(sheet, role).items():
        sheet.block(code).levels_text = text
    work_results = assessment.work_results
    version = assessment.track_version(role)
    base = conflicts.sign(conflicts.snapshot(sheet, role, work_results))
    if status == 400:
        # Nothing was saved: show what the person entered, so that nothing typed is lost, with
        # the version and snapshot it was typed on (a later save by someone else still counts).
        posted = _keep_posted(sheet, request.POST)
        if assessment.cycle.work_results_method == Cycle.WorkResultsMethod.PERCENTAGE:
            work_results = posted  # as typed; in a round of indicators, theirs stays shown
        version = request.POST.get("version", version)
        base = request.POST.get("base", base)
    context = {
        "assessment": assessment,
        "sheet": sheet,
        "role": role,
        "read_only": _read_only(assessment, role),
        "missing": missing,
        "missing_ids": {indicator.pk for indicator in missing},
        "work_results": work_results,
        "work_indicators": _work_indicators(assessment, role),
        "form_version": version,
        "form_base": base,
        "field_errors": field_errors,
    }
    return render(request, "assessments/rating.html", context, status=status)


def _all_levels_text(sheet, role):
    levels = results.sheet_levels(sheet)
    return {
        block.competency.code: _levels_text(levels, block.competency.code, role)
        for block in sheet.blocks
    }


def _levels_text(levels, code, role):
    """What a competency's ratings give so far, as the page shows it beside the counter."""
    own, self_level = levels.get(code, (None, None))
    mine = own if role == Role.SUPERVISOR else self_level
    if mine is None:
        text = _("Level given: when every indicator is rated")
    else:
        text = _("Level given: %(level)s") % {"level": thai_digits(mine)}
    if role == Role.SUPERVISOR and self_level is not None:
        text += " · " + _("self-assessment: %(level)s") % {"level": thai_digits(self_level)}
    return text


def _conflict_page(request, conflict, status=409):
    context = {
        "assessment": conflict.assessment,
        "role": conflict.role,
        "conflict": conflict,
        "keys_token": signing.dumps(conflict.keys, salt=KEYS_SALT),
    }
    return render(request, "assessments/rating_conflict.html", context, status=status)


def _keep_posted(sheet, post):
    """Put the posted (refused) ratings and comments back on the sheet; return work results."""
    try:
        values, comments = forms.parse_ratings(post)
    except ValidationError:
        return post.get("work_results", "")
    for block in sheet.blocks:
        block.comment = comments.get(block.competency.pk, block.comment)
        for level_rows in block.levels:
            for row in level_rows.rows:
                row.value = values.get(row.indicator.pk, row.value)
    return post.get("work_results", "")


def _read_only(assessment, role):
    return (
        assessment.track_state(role) == Track.SUBMITTED
        or assessment.is_finalized
        or not assessment.cycle.is_open
    )


def _resolution(post):
    """A conflict page's answer: (the keys in conflict, {key: "mine" or "theirs"})."""
    try:
        keys = signing.loads(post.get("resolve_keys", ""), salt=KEYS_SALT)
    except signing.BadSignature:
        raise ValidationError(_("The form has expired; reload the page.")) from None
    picks = {key: post.get(f"pick_{key}") for key in keys}
    return keys, {key: pick for key, pick in picks.items() if pick in ("mine", "theirs")}


def _with_mine(post, keys):
    """The answer as an ordinary rating post: mine for `keys` (theirs is already saved), on
    top of the person's other changes, which the page sends as ordinary fields."""
    data = post.copy()
    for key in keys:
        data[WORK_FIELD if key == conflicts.WORK else key] = post.get(f"mine_{key}", "")
    return data


def _work_indicators(assessment, role):
    """The agreed indicators shown on the supervisor's page of a round whose work results
    come from them (None: the supervisor types the percentage)."""
    if role != Role.SUPERVISOR:
        return None
    if assessment.cycle.work_results_method != Cycle.WorkResultsMethod.INDICATORS:
        return None
    return list(assessment.work_indicators.all())


def _mine(post, role, assessment):
    """What the person sent, parsed: a conflicts.Mine. ValidationError when malformed."""
    values, comments = forms.parse_ratings(post)
    work_results = ...
    typed = assessment.cycle.work_results_method == Cycle.WorkResultsMethod.PERCENTAGE
    if role == Role.SUPERVISOR and WORK_FIELD in post and typed:
        try:
            work_results = services.parse_work_results(post.get(WORK_FIELD))
        except ValidationError as error:
            raise WorkResultsError(error.messages) from None
    return conflicts.Mine(values, comments, work_results)


def _save_rating_post(request, assessment, role):
    """Save (and maybe submit) one track. None when done; a Conflict when someone else saved
    this track first; else (status, missing indicators)."""
    post = request.POST
    try:
        if "resolve_keys" in post:
            keys, picks = _resolution(post)
            if len(picks) < len(keys):
                messages.error(request, _("Choose one version for every item in conflict."))
                return _conflict(assessment, role, _with_mine(post, keys), keys, picks)
            post = _with_mine(post, [key for key in keys if picks[key] == "mine"])
        assessment = _save(request, assessment, role, post)
    except services.StaleAssessment:
        conflict = _conflict(assessment, role, post)
        if not conflict.differs:
            return _after_save(request, conflict.assessment, role, post)
        return conflict
    except WorkResultsError as error:
        return 400, [], {WORK_FIELD: error.messages[0]}
    except ValidationError as error:
        flash_errors(request, error)
        return 400, [], {}
    return _after_save(request, assessment, role, post)


def _after_save(request, assessment, role, post):
    """Saved, or found already saved exactly so (a background save got there first)."""
    if post.get("action") != "submit":
        messages.success(request, _("Your draft was saved."))
        return None
    return _submit(request, assessment, role)


def _save(request, assessment, role, post, quiet=False):
    """A draft of one track from what a rating page sent (the page's save, or its autosave)."""
    mine = _mine(post, role, assessment)
    extra = {} if mine.work_results is ... else {"work_results": mine.work_results}
    return services.save_ratings(
        assessment=assessment,
        role=role,
        by=request.user,
        values=mine.values,
        comments=mine.comments,
        expected_version=forms.parse_version(post),
        quiet=quiet,
        **extra,
    )


def _conflict(assessment, role, post, unresolved=(), picks=None):
    """The conflict to show; `unresolved` and `picks`: a conflict page answered in part."""
    assessment.refresh_from_db()
    base = conflicts.unsign(post.get("base"))
    mine = _mine(post, role, assessment)
    conflict = conflicts.rating_conflict(assessment, role, mine, base, unresolved)
    conflict.picks = picks or {}
    return conflict


def _submit(request, assessment, role):
    try:
        services.submit_track(assessment=assessment, role=role, by=request.user)
    except services.IncompleteRatings as error:
        messages.warning(request, error.message)
        return 200, error.missing, {}
    except ValidationError as error:
        flash_errors(request, error)
        return 400, [], {}
    messages.success(request, _("Submitted. The ratings can no longer be changed."))
    return None
