"""Every change to a framework version, each in one transaction, each recorded in its history.

A published (or retired) version never changes: every write here refuses anything but a draft,
whatever a page shows. HR works on a draft cloned from the published version, then publishes it;
the previous version retires, and rounds keep the version they pinned.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from competency_portal.lib.audit import portal_text
from framework import rules, signals, tree
from framework.models import (
    Competency,
    ExpectedLevel,
    Framework,
    FrameworkEvent,
    PositionClass,
)
from framework.rules import LEVEL_NUMBERS


class NotADraft(ValidationError):
    def __init__(self, framework):
        super().__init__(
            _("Version %(v)s is %(status)s and cannot be changed; make a new version instead.")
            % {"v": framework.version, "status": framework.get_status_display()}
        )


def require_draft(framework):
    framework = Framework.objects.get(pk=framework.pk)
    if framework.status != Framework.Status.DRAFT:
        raise NotADraft(framework)
    return framework


def record(framework, by, action, message="", **params):
    """One line of the version's history. `message` (marked with gettext_noop) is kept with its
    parameters, so the history reads in the reader's language (FrameworkEvent.detail_text)."""
    FrameworkEvent.objects.create(
        framework=framework,
        actor=by,
        action=action,
        detail=portal_text(message, params) if message else "",
        detail_message=message,
        detail_params=params,
    )


# ---------------------------------------------------------------- versions


@transaction.atomic
def new_version(*, organisation, by):
    """A draft copy of the published version: competencies, levels, indicators, scale and
    expected levels. There is at most one draft at a time: an existing one is returned."""
    draft = Framework.objects.filter(organisation=organisation, status="draft").first()
    if draft:
        return draft
    source = Framework.objects.published(organisation)
    if source is None:
        raise ValidationError(_("There is no published version to copy."))
    draft = clone(source, by)
    record(
        draft,
        by,
        FrameworkEvent.Action.CREATED,
        gettext_noop("from version %(v)s"),
        v=source.version,
    )
    return draft


def clone(source, by=None):
    """Copy a version into a new draft with the next version number (bulk writes)."""
    draft = tree.create_draft(
        source.organisation, name=source.name, required_share=source.required_share
    )
    tree.write_scale(draft, [tree.scale_point_data(p) for p in source.scale_points.all()])
    competencies = list(
        source.competencies.prefetch_related("levels__indicators", "expected_levels")
    )
    copies = tree.write_competencies(draft, [tree.competency_data(c) for c in competencies])
    tree.write_expected_levels(
        copies,
        (
            (competency.code, e.position_class_id, e.level)
            for competency in competencies
            for e in competency.expected_levels.all()
        ),
    )
    return draft


def publish_problems(framework):
    """Why this version cannot be published yet, as Thai sentences (empty when it can)."""
    problems = rules.scale_problems(
        (p.value, p.label_th, p.demonstrated) for p in framework.scale_points.all()
    )
    competencies = list(framework.competencies.prefetch_related("levels__indicators"))
    if not competencies:
        problems.append(_("The version has no competency."))
    classes = PositionClass.objects.count()
    expected = {}
    for row in ExpectedLevel.objects.filter(competency__framework=framework):
        expected[row.competency_id] = expected.get(row.competency_id, 0) + 1
    for competency in competencies:
        problems += _competency_problems(competency)
        if expected.get(competency.pk, 0) < classes:
            problems.append(
                _("%(name)s: set the expected level for every position class.")
                % {"name": competency.name_th}
            )
    return problems


def _competency_problems(competency):
    levels = list(competency.levels.all())
    problems = []
    if not rules.has_five_levels(level.number for level in levels):
        problems.append(
            _("%(name)s must have exactly five levels, numbered 1 to 5.")
            % {"name": competency.name_th}
        )
    for number in rules.without_indicator(
        (level.number, level.indicators.all()) for level in levels
    ):
        problems.append(
            _("%(name)s, level %(level)s, has no behaviour indicator.")
            % {"name": competency.name_th, "level": number}
        )
    return problems


@transaction.atomic
def publish(*, framework, by):
    """Publish a valid draft; the version published before it retires."""
    framework = require_draft(Framework.objects.select_for_update().get(pk=framework.pk))
    problems = publish_problems(framework)
    if problems:
        raise ValidationError(problems)
    previous = Framework.objects.select_for_update().filter(
        organisation=framework.organisation, status=Framework.Status.PUBLISHED
    )
    for old in previous:
        old.status = Framework.Status.RETIRED
        old.save(update_fields=["status"])
        record(
            old,
            by,
            FrameworkEvent.Action.RETIRED,
            gettext_noop("by version %(v)s"),
            v=framework.version,
        )
    framework.status = Framework.Status.PUBLISHED
    framework.published_at = timezone.now()
    framework.save(update_fields=["status", "published_at"])
    record(framework, by, FrameworkEvent.Action.PUBLISHED)
    signals.published.send(sender=Framework, framework=framework, by=by)
    return framework


@transaction.atomic
def discard_draft(*, framework, by):
    """Throw a draft away (nothing can have used it: rounds only pin published versions)."""
    framework = require_draft(framework)
    framework.delete()


# ---------------------------------------------------------------- editing a draft


@transaction.atomic
def update_settings(*, framework, by, name, required_share):
    framework = require_draft(framework)
    name = (name or "").strip()
    if not name:
        raise ValidationError(_("Give the version a name."))
    framework.name = name
    framework.required_share = rules.parse_share(required_share)
    framework.save(update_fields=["name", "required_share"])
    record(framework, by, FrameworkEvent.Action.EDITED, gettext_noop("name and pass share"))
    return framework


@transaction.atomic
def save_scale(*, framework, by, points):
    """Replace the rating scale: points = [(value, label_th, label_en, demonstrated)]."""
    framework = require_draft(framework)
    problems = rules.scale_problems((value, th, d) for value, th, _en, d in points)
    if problems:
        raise ValidationError(problems)
    framework.scale_points.all().delete()
    tree.write_scale(
        framework,
        (
            {"value": v, "label_th": th.strip(), "label_en": (en or "").strip(), "demonstrated": d}
            for v, th, en, d in sorted(points)
        ),
    )
    record(framework, by, FrameworkEvent.Action.EDITED, gettext_noop("rating scale"))


@transaction.atomic
def save_competency(*, framework, by, code, data, competency=None):
    """Create or replace one competency with its five levels and their indicators.

    data: {"code", "name_th", "name_en", "definition",
           "levels": {number: {"title": str, "indicators": [text, …]}}}
    """
    framework = require_draft(framework)
    problems = _competency_data_problems(data)
    code = rules.normal_code(data["code"])
    clash = framework.competencies.filter(code=code)
    if competency is not None:
        clash = clash.exclude(pk=competency.pk)
    if clash.exists():
        problems.append(
            _("Another competency of this version has the code %(code)s.") % {"code": code}
        )
    if problems:
        raise ValidationError(problems)
    if competency is None:
        order = (framework.competencies.aggregate(Max("order"))["order__max"] or 0) + 1
        competency = Competency(framework=framework, order=order)
    else:
        competency = framework.competencies.get(pk=competency.pk)
    competency.code = code
    competency.name_th = data["name_th"].strip()
    competency.name_en = (data.get("name_en") or "").strip()
    competency.definition = data["definition"].strip()
    competency.full_clean(exclude=["framework"], validate_unique=False, validate_constraints=False)
    competency.save()
    competency.levels.all().delete()
    levels = [
        {
            "number": n,
            "title": data["levels"][n]["title"].strip(),
            "indicators": [
                {"number": i, "text": text.strip()}
                for i, text in enumerate(data["levels"][n]["indicators"], start=1)
            ],
        }
        for n in LEVEL_NUMBERS
    ]
    tree.write_levels([(competency, levels)])
    # A new competency has no expected levels until HR sets them: publishing asks for them.
    record(
        framework, by, FrameworkEvent.Action.EDITED, gettext_noop("competency %(code)s"), code=code
    )
    return competency


def _competency_data_problems(data):
    problems = []
    code = rules.normal_code(data.get("code"))
    if not rules.code_is_well_formed(code):
        problems.append(_("The code must be Latin letters, digits, - or _ (e.g. ACH)."))
    elif not rules.code_fits(code):
        problems.append(
            _("The code has at most %(max)s characters.") % {"max": rules.CODE_MAX_LENGTH}
        )
    for field, label in [("name_th", _("the Thai name")), ("definition", _("the definition"))]:
        if not (data.get(field) or "").strip():
            problems.append(_("Fill in %(field)s.") % {"field": label})
    levels = data.get("levels") or {}
    if not rules.has_five_levels(levels):
        problems.append(_("A competency has exactly five levels, numbered 1 to 5."))
        return problems
    for n in LEVEL_NUMBERS:
        if not (levels[n].get("title") or "").strip():
            problems.append(_("Level %(n)s needs a title.") % {"n": n})
        # a box left blank is not an indicator
        levels[n]["indicators"] = [t for t in levels[n].get("indicators", []) if (t or "").strip()]
    for n in rules.without_indicator((n, levels[n]["indicators"]) for n in LEVEL_NUMBERS):
        problems.append(_("Level %(n)s needs at least one behaviour indicator.") % {"n": n})
    return problems


@transaction.atomic
def delete_competency(*, framework, by, competency):
    framework = require_draft(framework)
    competency = framework.competencies.get(pk=competency.pk)
    code = competency.code
    competency.delete()
    record(
        framework,
        by,
        FrameworkEvent.Action.EDITED,
        gettext_noop("competency %(code)s removed"),
        code=code,
    )


@transaction.atomic
def move_competency(*, framework, by, competency, step):
    """Move a competency one place up (step −1) or down (+1) in the order."""
    framework = require_draft(framework)
    ordered = list(framework.competencies.order_by("order", "code"))
    index = next(i for i, c in enumerate(ordered) if c.pk == competency.pk)
    other = index + step
    if not 0 <= other < len(ordered):
        return
    ordered[index], ordered[other] = ordered[other], ordered[index]
    for position, item in enumerate(ordered, start=1):
        item.order = position
    Competency.objects.bulk_update(ordered, ["order"])
    record(framework, by, FrameworkEvent.Action.EDITED, gettext_noop("order of the competencies"))


@transaction.atomic
def save_expected_levels(*, framework, by, grid):
    """grid: {(competency id, position class id): level 0–5} for this version."""
    framework = require_draft(framework)
    if not all(rules.is_expected_level(level) for level in grid.values()):
        raise ValidationError(_("An expected level is a whole number from 0 to 5."))
    competencies = set(framework.competencies.values_list("pk", flat=True))
    if any(competency_id not in competencies for competency_id, _pc in grid):
        raise ValidationError(_("A cell names a competency of another version."))
    existing = {
        (row.competency_id, row.position_class_id): row
        for row in ExpectedLevel.objects.filter(competency__framework=framework)
    }
    to_update, to_create = [], []
    for key, level in grid.items():
        row = existing.get(key)
        if row is None:
            to_create.append(
                ExpectedLevel(competency_id=key[0], position_class_id=key[1], level=level)
            )
        elif row.level != level:
            row.level = level
            to_update.append(row)
    ExpectedLevel.objects.bulk_create(to_create)
    ExpectedLevel.objects.bulk_update(to_update, ["level"])
    record(framework, by, FrameworkEvent.Action.EDITED, gettext_noop("expected levels"))
