"""A save on top of someone else's save of the same rating track: what to show.

The rating page carries a signed snapshot of what it showed (the base). When a save is refused
as stale, each indicator, comment and the work results are compared three ways: the base, what
this person sent (mine) and what the database holds now (theirs).

- only mine changed: my change is offered on top of theirs;
- only theirs changed: theirs is kept;
- both changed, differently: a conflict, and the person must choose one or the other.

Nothing is written here; the page asks first. Without a base (a page from before snapshots),
every item where mine differs from theirs is a conflict: nothing is ever guessed.
"""

import hashlib
from dataclasses import dataclass, field

from django.core import signing
from django.utils.translation import gettext as _

from assessments.models import AssessmentEvent, Role
from assessments.selectors.rating import rating_sheet

SALT = "assessments.rating.base"
WORK = "w"
UNKNOWN = object()
Action = AssessmentEvent.Action


def digest(text):
    """A comment, as compared (the full text need not travel in the snapshot): as stored,
    with line ends as a browser may send them and the spaces a save strips."""
    text = (text or "").replace("\r\n", "\n").strip()
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:20]


def work_text(value):
    """Work results as compared and posted: '85.50', or '' when blank."""
    return "" if value is None else f"{value:.2f}"


def snapshot(sheet, role, work_results=None):
    """{field key: compared value} of one track as the sheet shows it."""
    state = {}
    for block in sheet.blocks:
        for level_rows in block.levels:
            for row in level_rows.rows:
                state[f"r{row.indicator.pk}"] = row.value
        state[f"c{block.competency.pk}"] = digest(block.comment)
    if role == Role.SUPERVISOR:
        state[WORK] = work_text(work_results)
    return state


def sign(state):
    return signing.dumps(state, salt=SALT, compress=True)


def unsign(token):
    """The snapshot a page was read with, or None when it is missing or tampered with."""
    try:
        state = signing.loads(token or "", salt=SALT)
    except signing.BadSignature:
        return None
    return state if isinstance(state, dict) else None


@dataclass
class Item:
    """One indicator, comment or the work results, as mine and theirs."""

    key: str
    label: str
    text: str
    mine: str
    theirs: str
    mine_posted: str  # what to send back when mine is kept


@dataclass
class Conflict:
    assessment: object
    role: str
    version: int
    token: str
    conflicts: list = field(default_factory=list)
    mine_only: list = field(default_factory=list)
    theirs_only: list = field(default_factory=list)
    saved_by: object = None
    picks: dict = field(default_factory=dict)  # choices already made on a page sent back

    @property
    def differs(self):
        """False when what this person sent is exactly what is saved now: nothing to ask."""
        return bool(self.conflicts or self.mine_only)

    @property
    def keys(self):
        return [item.key for item in self.conflicts]

    def picked(self):
        """The conflicts, each with the choice already made ("mine", "theirs" or None)."""
        return [(item, self.picks.get(item.key)) for item in self.conflicts]


@dataclass
class Mine:
    """What this person sent: {indicator id: value}, {competency id: text}, work results
    (Decimal, None, or ... when the page has none)."""

    values: dict
    comments: dict
    work_results: object = ...

    def posted(self, key):
        """(compared value, text to post back), or (UNKNOWN, '') when not sent."""
        if key == WORK:
            if self.work_results is ...:
                return UNKNOWN, ""
            text = work_text(self.work_results)
            return text, text
        number = int(key[1:])
        if key.startswith("r"):
            if number not in self.values:
                return UNKNOWN, ""
            value = self.values[number]
            return value, "" if value is None else str(value)
        if number not in self.comments:
            return UNKNOWN, ""
        return digest(self.comments[number]), self.comments[number]


def rating_conflict(assessment, role, mine, base, unresolved=()):
    """The three-way comparison of one track after a refused save (see the module).
    `unresolved`: keys of a conflict page's items left without a choice; they stay conflicts
    while mine and theirs differ."""
    sheet = rating_sheet(assessment, role)
    theirs = snapshot(sheet, role, assessment.work_results)
    shown = _shown(sheet, role, assessment.work_results)
    conflict = Conflict(
        assessment,
        role,
        assessment.track_version(role),
        sign(theirs),
        saved_by=_last_save(assessment, role),
    )
    for key, their_value in theirs.items():
        my_value, my_text = mine.posted(key)
        start = base.get(key, UNKNOWN) if base is not None else UNKNOWN
        if my_value is UNKNOWN:
            my_value = their_value if start is UNKNOWN else start
        if key in unresolved:
            start = UNKNOWN
        _place(conflict, key, shown[key], (start, my_value, their_value), my_text, mine, sheet)
    return conflict


def _place(conflict, key, shown, values, my_text, mine, sheet):
    start, my_value, their_value = values
    mine_changed = start is UNKNOWN or my_value != start
    theirs_changed = start is UNKNOWN or their_value != start
    if my_value == their_value or not (mine_changed or theirs_changed):
        return
    label, text, their_display = shown
    item = Item(key, label, text, _display(key, my_value, my_text, sheet), their_display, my_text)
    if mine_changed and theirs_changed:
        conflict.conflicts.append(item)
    elif mine_changed:
        conflict.mine_only.append(item)
    else:
        conflict.theirs_only.append(item)


def _display(key, value, text, sheet):
    if key.startswith("r"):
        return _scale_label(sheet, value)
    if key == WORK:
        return text or _("Not given")
    return text or _("(empty)")


def _scale_label(sheet, value):
    for point in sheet.scale:
        if point.value == value:
            return point.label
    return _("Not rated")


def _shown(sheet, role, work_results):
    """{key: (label, indicator text, what the database holds, for reading)}."""
    shown = {}
    for block in sheet.blocks:
        name = block.competency.name_th
        for level_rows in block.levels:
            for row in level_rows.rows:
                label = _("%(competency)s · level %(level)s · item %(item)s") % {
                    "competency": name,
                    "level": level_rows.level.number,
                    "item": row.indicator.number,
                }
                their = _scale_label(sheet, row.value)
                shown[f"r{row.indicator.pk}"] = (label, row.indicator.text, their)
        label = _("%(competency)s · comments") % {"competency": name}
        shown[f"c{block.competency.pk}"] = (label, "", block.comment or _("(empty)"))
    if role == Role.SUPERVISOR:
        shown[WORK] = (_("Work results (%)"), "", work_text(work_results) or _("Not given"))
    return shown


def _last_save(assessment, role):
    """The latest save or submission of this track (who and when), for the page."""
    return (
        assessment.events.filter(role=role, action__in=(Action.SAVED, Action.SUBMITTED))
        .select_related("actor")
        .order_by("-at", "-pk")
        .first()
    )
