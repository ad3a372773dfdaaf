"""What is measured: the competency framework, its versions, scale and expected levels.

A framework version is a tree Framework → Competency → Level → Indicator with its own rating
scale (ScalePoint) and expected levels (ExpectedLevel per position class). A published version
never changes; HR edits a draft copy instead. Natural keys make fixtures independent of ids.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from competency_portal.lib.audit import ActorNameMixin, reader_text
from framework.rules import CODE_MAX_LENGTH, CODE_PATTERN


class FrameworkManager(models.Manager):
    def get_by_natural_key(self, organisation, version):
        return self.get(organisation=organisation, version=version)

    def published(self, organisation):
        return self.filter(organisation=organisation, status=Framework.Status.PUBLISHED).first()


class Framework(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        RETIRED = "retired", _("Retired")

    organisation = models.CharField(_("organisation"), max_length=200)
    version = models.PositiveIntegerField(_("version"), validators=[MinValueValidator(1)])
    name = models.CharField(_("name"), max_length=200)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    required_share = models.DecimalField(
        _("share of a level's indicators that must be demonstrated"),
        max_digits=4,
        decimal_places=3,
        default=Decimal("1.000"),
        validators=[MinValueValidator(Decimal("0.001")), MaxValueValidator(Decimal("1"))],
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    objects = FrameworkManager()

    class Meta:
        ordering = ["organisation", "-version"]
        verbose_name = _("framework version")
        verbose_name_plural = _("framework versions")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "version"], name="framework_unique_version"
            ),
            models.UniqueConstraint(
                fields=["organisation"],
                condition=Q(status="published"),
                name="framework_one_published",
            ),
            models.CheckConstraint(
                condition=Q(required_share__gt=0) & Q(required_share__lte=1),
                name="framework_share_in_range",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "published", "retired"]),
                name="framework_status_valid",
            ),
        ]

    def __str__(self):
        return f"{self.name} ({_('version')} {self.version}, {self.get_status_display()})"

    def natural_key(self):
        return (self.organisation, self.version)

    @property
    def is_editable(self):
        return self.status == self.Status.DRAFT


class FrameworkPartManager(models.Manager):
    """Looks a row up by its framework's natural key plus its own fields."""

    def get_by_natural_key(self, organisation, version, *rest):
        return self.get(**self.model.natural_lookup(organisation, version, *rest))


class ScalePoint(models.Model):
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="scale_points")
    value = models.SmallIntegerField(_("value"))
    label_th = models.CharField(_("Thai label"), max_length=100)
    label_en = models.CharField(_("English label"), max_length=100, blank=True)
    demonstrated = models.BooleanField(_("counts as demonstrated"), default=False)

    objects = FrameworkPartManager()

    class Meta:
        ordering = ["framework", "value"]
        verbose_name = _("scale point")
        verbose_name_plural = _("scale points")
        constraints = [
            models.UniqueConstraint(fields=["framework", "value"], name="scalepoint_unique_value")
        ]

    def __str__(self):
        return f"{self.value} {self.label_th}"

    @property
    def label(self):
        """The label in the language of the page (Thai unless English is chosen and given)."""
        if self.label_en and get_language() and get_language().startswith("en"):
            return self.label_en
        return self.label_th

    def natural_key(self):
        return (*self.framework.natural_key(), self.value)

    natural_key.dependencies = ["framework.framework"]

    @staticmethod
    def natural_lookup(organisation, version, value):
        return {
            "framework__organisation": organisation,
            "framework__version": version,
            "value": value,
        }


class Competency(models.Model):
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="competencies")
    code = models.CharField(
        _("code"),
        max_length=CODE_MAX_LENGTH,
        validators=[RegexValidator(CODE_PATTERN, _("Use capital Latin letters, digits, - or _."))],
    )
    name_th = models.CharField(_("Thai name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    definition = models.TextField(_("definition"))
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    objects = FrameworkPartManager()

    class Meta:
        ordering = ["framework", "order", "code"]
        verbose_name = _("competency")
        verbose_name_plural = _("competencies")
        constraints = [
            models.UniqueConstraint(fields=["framework", "code"], name="competency_unique_code")
        ]

    def __str__(self):
        return f"{self.code} {self.name_th}"

    def natural_key(self):
        return (*self.framework.natural_key(), self.code)

    natural_key.dependencies = ["framework.framework"]

    @staticmethod
    def natural_lookup(organisation, version, code):
        return {
            "framework__organisation": organisation,
            "framework__version": version,
            "code": code,
        }


class Level(models.Model):
    competency = models.ForeignKey(Competency, on_delete=models.CASCADE, related_name="levels")
    number = models.PositiveSmallIntegerField(
        _("level"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    title = models.TextField(_("title"))

    objects = FrameworkPartManager()

    class Meta:
        ordering = ["competency", "number"]
        verbose_name = _("level")
        verbose_name_plural = _("levels")
        constraints = [
            models.UniqueConstraint(fields=["competency", "number"], name="level_unique_number"),
            models.CheckConstraint(
                condition=Q(number__gte=1) & Q(number__lte=5), name="level_number_1_to_5"
            ),
        ]

    def __str__(self):
        return f"{self.competency.code} {_('level')} {self.number}"

    def natural_key(self):
        return (*self.competency.natural_key(), self.number)

    natural_key.dependencies = ["framework.competency"]

    @staticmethod
    def natural_lookup(organisation, version, code, number):
        return {
            "competency__framework__organisation": organisation,
            "competency__framework__version": version,
            "competency__code": code,
            "number": number,
        }


class Indicator(models.Model):
    level = models.ForeignKey(Level, on_delete=models.CASCADE, related_name="indicators")
    number = models.PositiveSmallIntegerField(_("number"), validators=[MinValueValidator(1)])
    text = models.TextField(_("behaviour indicator"))

    objects = FrameworkPartManager()

    class Meta:
        ordering = ["level", "number"]
        verbose_name = _("behaviour indicator")
        verbose_name_plural = _("behaviour indicators")
        constraints = [
            models.UniqueConstraint(fields=["level", "number"], name="indicator_unique_number"),
            models.CheckConstraint(condition=Q(number__gte=1), name="indicator_number_positive"),
        ]

    def __str__(self):
        return f"{self.level} {self.number}. {self.text[:40]}"

    def natural_key(self):
        return (*self.level.natural_key(), self.number)

    natural_key.dependencies = ["framework.level"]

    @staticmethod
    def natural_lookup(organisation, version, code, level, number):
        return {
            "level__competency__framework__organisation": organisation,
            "level__competency__framework__version": version,
            "level__competency__code": code,
            "level__number": level,
            "number": number,
        }


class PositionClassManager(models.Manager):
    def get_by_natural_key(self, code):
        return self.get(code=code)


class PositionClass(models.Model):
    class Group(models.TextChoices):
        GENERAL = "general", _("General")
        ACADEMIC = "academic", _("Academic")
        DIRECTOR = "director", _("Local director")
        EXECUTIVE = "executive", _("Local executive")
        EMPLOYEE = "employee", _("Permanent and contract employees")

    code = models.CharField(_("code"), max_length=20, unique=True)
    name_th = models.CharField(_("Thai name"), max_length=200)
    group = models.CharField(_("group"), max_length=20, choices=Group.choices)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    objects = PositionClassManager()

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("position class")
        verbose_name_plural = _("position classes")

    def __str__(self):
        return f"{self.code} {self.name_th}"

    def natural_key(self):
        return (self.code,)


class ExpectedLevelManager(models.Manager):
    def get_by_natural_key(self, organisation, version, code, position_class):
        return self.get(
            competency__framework__organisation=organisation,
            competency__framework__version=version,
            competency__code=code,
            position_class__code=position_class,
        )


class ExpectedLevel(models.Model):
    """The level a position class is expected to show on one competency of one version.

    The competency belongs to exactly one framework version, so the version is implied.
    """

    competency = models.ForeignKey(
        Competency, on_delete=models.CASCADE, related_name="expected_levels"
    )
    position_class = models.ForeignKey(
        PositionClass, on_delete=models.PROTECT, related_name="expected_levels"
    )
    level = models.PositiveSmallIntegerField(
        _("expected level"), validators=[MinValueValidator(0), MaxValueValidator(5)]
    )

    objects = ExpectedLevelManager()

    class Meta:
        ordering = ["competency", "position_class"]
        verbose_name = _("expected level")
        verbose_name_plural = _("expected levels")
        constraints = [
            models.UniqueConstraint(
                fields=["competency", "position_class"], name="expectedlevel_unique_cell"
            ),
            models.CheckConstraint(
                condition=Q(level__gte=0) & Q(level__lte=5), name="expectedlevel_0_to_5"
            ),
        ]

    def __str__(self):
        return f"{self.competency.code} × {self.position_class.code} → {self.level}"

    def natural_key(self):
        return (*self.competency.natural_key(), self.position_class.code)

    natural_key.dependencies = ["framework.competency", "framework.positionclass"]


class FrameworkEvent(ActorNameMixin, models.Model):
    """The history of a version: who created, edited, imported and published it, and when."""

    class Action(models.TextChoices):
        CREATED = "created", _("Created as a copy of the published version")
        IMPORTED = "imported", _("Imported from a file")
        EDITED = "edited", _("Edited")
        PUBLISHED = "published", _("Published")
        RETIRED = "retired", _("Retired by a newer version")

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)
    action = models.CharField(max_length=12, choices=Action.choices)
    detail = models.TextField(blank=True)
    # the detail's message (English source) and parameters, shown in the reader's language;
    # `detail` keeps it in the portal's language (and is all that older events have)
    detail_message = models.CharField(max_length=200, blank=True, editable=False)
    detail_params = models.JSONField(default=dict, blank=True, editable=False)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.framework} {self.action} {self.at:%Y-%m-%d %H:%M}"

    @property
    def detail_text(self):
        return reader_text(self.detail_message, self.detail_params, self.detail)
