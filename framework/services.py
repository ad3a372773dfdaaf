"""Every change to a framework version, each in one transaction, each recorded in its history.

A published (or retired) version never changes: every write here refuses anything but a draft,
whatever a page shows. HR works on a draft cloned from the published version, then publishes it;
the previous version retires, and rounds keep the version they pinned.
"""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from framework.models import (
    LEVEL_NUMBERS,
    Competency,
    ExpectedLevel,
    Framework,
    FrameworkEvent,
    Indicator,
    Level,
    PositionClass,
    ScalePoint,
)


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


def record(framework, by, action, detail=""):
    FrameworkEvent.objects.create(framework=framework, actor=by, action=action, detail=detail)


def next_version_number(organisation):
    highest = Framework.objects.filter(organisation=organisation).aggregate(Max("version"))
    return (highest["version__max"] or 0) + 1


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
        draft, by, FrameworkEvent.Action.CREATED, _("from version %(v)s") % {"v": source.version}
    )
    return draft


def clone(source, by=None):
    """Copy a version into a new draft with the next version number (bulk writes)."""
    draft = Framework.objects.create(
        organisation=source.organisation,
        version=next_version_number(source.organisation),
        name=source.name,
        required_share=source.required_share,
    )
    ScalePoint.objects.bulk_create(
        ScalePoint(
            framework=draft,
            value=p.value,
            label_th=p.label_th,
            label_en=p.label_en,
            demonstrated=p.demonstrated,
        )
        for p in source.scale_points.all()
    )
    competencies = list(
        source.competencies.prefetch_related("levels__indicators", "expected_levels")
    )
    copies = Competency.objects.bulk_create(
        Competency(
            framework=draft,
            code=c.code,
            name_th=c.name_th,
            name_en=c.name_en,
            definition=c.definition,
            order=c.order,
        )
        for c in competencies
    )
    pairs = list(zip(competencies, copies, strict=True))
    levels = Level.objects.bulk_create(
        Level(competency=copy, number=level.number, title=level.title)
        for original, copy in pairs
        for level in original.levels.all()
    )
    originals = [level for original, _copy in pairs for level in original.levels.all()]
    Indicator.objects.bulk_create(
        Indicator(level=new, number=i.number, text=i.text)
        for old, new in zip(originals, levels, strict=True)
        for i in old.indicators.all()
    )
    ExpectedLevel.objects.bulk_create(
        ExpectedLevel(competency=copy, position_class_id=e.position_class_id, level=e.level)
        for original, copy in pairs
        for e in original.expected_levels.all()
    )
    return draft


def publish_problems(framework):
    """Why this version cannot be published yet, as Thai sentences (empty when it can)."""
    problems = []
    points = list(framework.scale_points.all())
    if not any(p.demonstrated for p in points) or all(p.demonstrated for p in points):
        problems.append(
            _(
                "The rating scale needs at least one point that counts as demonstrated and one "
                "that does not."
            )
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
    numbers = sorted(level.number for level in competency.levels.all())
    problems = []
    if numbers != list(LEVEL_NUMBERS):
        problems.append(
            _("%(name)s must have exactly five levels, numbered 1 to 5.")
            % {"name": competency.name_th}
        )
    for level in competency.levels.all():
        if not level.indicators.all():
            problems.append(
                _("%(name)s, level %(level)s, has no behaviour indicator.")
                % {"name": competency.name_th, "level": level.number}
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
            old, by, FrameworkEvent.Action.RETIRED, _("by version %(v)s") % {"v": framework.version}
        )
    framework.status = Framework.Status.PUBLISHED
    framework.published_at = timezone.now()
    framework.save(update_fields=["status", "published_at"])
    record(framework, by, FrameworkEvent.Action.PUBLISHED)
    return framework


@transaction.atomic
def discard_draft(*, framework, by):
    """Throw a draft away (nothing can have used it: rounds only pin published versions)."""
    framework = require_draft(framework)
    framework.delete()


# ---------------------------------------------------------------- editing a draft


def parse_share(raw):
    try:
        share = Decimal(str(raw).strip().replace(",", "."))
    except (InvalidOperation, ValueError):
        raise ValidationError(_("The pass share must be a number from 0.001 to 1.")) from None
    if share > 1 and share <= 100:
        share = share / 100  # "80" means 80 %
    if not share.is_finite() or not Decimal("0") < share <= 1:
        raise ValidationError(_("The pass share must be a number from 0.001 to 1."))
    return share.quantize(Decimal("0.001"))


@transaction.atomic
def update_settings(*, framework, by, name, required_share):
    framework = require_draft(framework)
    name = (name or "").strip()
    if not name:
        raise ValidationError(_("Give the version a name."))
    framework.name = name
    framework.required_share = parse_share(required_share)
    framework.save(update_fields=["name", "required_share"])
    record(framework, by, FrameworkEvent.Action.EDITED, _("name and pass share"))
    return framework


@transaction.atomic
def save_scale(*, framework, by, points):
    """Replace the rating scale: points = [(value, label_th, label_en, demonstrated)]."""
    framework = require_draft(framework)
    values = [p[0] for p in points]
    if len(set(values)) != len(values):
        raise ValidationError(_("Two points of the scale have the same value."))
    if any(not (label_th or "").strip() for _v, label_th, _e, _d in points):
        raise ValidationError(_("Every point of the scale needs a Thai label."))
    demonstrated = [d for *_rest, d in points]
    if not any(demonstrated) or all(demonstrated):
        raise ValidationError(
            _(
                "The rating scale needs at least one point that counts as demonstrated and one "
                "that does not."
            )
        )
    framework.scale_points.all().delete()
    ScalePoint.objects.bulk_create(
        ScalePoint(
            framework=framework,
            value=v,
            label_th=th.strip(),
            label_en=(en or "").strip(),
            demonstrated=d,
        )
        for v, th, en, d in sorted(points)
    )
    record(framework, by, FrameworkEvent.Action.EDITED, _("rating scale"))


@transaction.atomic
def save_competency(*, framework, by, code, data, competency=None):
    """Create or replace one competency with its five levels and their indicators.

    data: {"code", "name_th", "name_en", "definition",
           "levels": {number: {"title": str, "indicators": [text, …]}}}
    """
    framework = require_draft(framework)
    problems = _competency_data_problems(data)
    code = data["code"].strip().upper()
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
    levels = Level.objects.bulk_create(
        Level(competency=competency, number=n, title=data["levels"][n]["title"].strip())
        for n in LEVEL_NUMBERS
    )
    Indicator.objects.bulk_create(
        Indicator(level=level, number=i, text=text.strip())
        for level in levels
        for i, text in enumerate(data["levels"][level.number]["indicators"], start=1)
    )
    # A new competency has no expected levels until HR sets them: publishing asks for them.
    record(framework, by, FrameworkEvent.Action.EDITED, _("competency %(code)s") % {"code": code})
    return competency


def _competency_data_problems(data):
    problems = []
    code = (data.get("code") or "").strip().upper()
    if not code or not all(ch.isascii() and (ch.isalnum() or ch in "-_") for ch in code):
        problems.append(_("The code must be Latin letters, digits, - or _ (e.g. ACH)."))
    for field, label in [("name_th", _("the Thai name")), ("definition", _("the definition"))]:
        if not (data.get(field) or "").strip():
            problems.append(_("Fill in %(field)s.") % {"field": label})
    levels = data.get("levels") or {}
    if sorted(levels) != list(LEVEL_NUMBERS):
        problems.append(_("A competency has exactly five levels, numbered 1 to 5."))
        return problems
    for n in LEVEL_NUMBERS:
        if not (levels[n].get("title") or "").strip():
            problems.append(_("Level %(n)s needs a title.") % {"n": n})
        texts = [t for t in levels[n].get("indicators", []) if (t or "").strip()]
        if not texts:
            problems.append(_("Level %(n)s needs at least one behaviour indicator.") % {"n": n})
        levels[n]["indicators"] = texts
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
        _("competency %(code)s removed") % {"code": code},
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
    record(framework, by, FrameworkEvent.Action.EDITED, _("order of the competencies"))


@transaction.atomic
def save_expected_levels(*, framework, by, grid):
    """grid: {(competency id, position class id): level 0–5} for this version."""
    framework = require_draft(framework)
    if any(not isinstance(level, int) or not 0 <= level <= 5 for level in grid.values()):
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
    record(framework, by, FrameworkEvent.Action.EDITED, _("expected levels"))
