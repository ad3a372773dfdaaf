"""Who is measured, by whom, and the results.

People (Department, Employee), appraisal rounds (Cycle), one Assessment per person and round
with its two rating tracks (self and supervisor), the Ratings and comments, and the audit trail
(AssessmentEvent). Workflows live in services.py; these classes hold data and constraints.
"""

import json
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from competency_portal.lib.audit import ActorNameMixin, reader_text
from framework.models import Competency, Framework, Indicator, PositionClass


class Department(models.Model):
    code = models.CharField(_("code"), max_length=20, unique=True)
    name_th = models.CharField(_("name"), max_length=200, unique=True)

    class Meta:
        ordering = ["name_th"]
        verbose_name = _("department")
        verbose_name_plural = _("departments")

    def __str__(self):
        return self.name_th


class Employee(models.Model):
    employee_code = models.CharField(
        _("employee code"),
        max_length=20,
        unique=True,
        validators=[RegexValidator(r"^[A-Za-z0-9._-]+$", _("Use Latin letters and digits."))],
    )
    title = models.CharField(_("name title"), max_length=50, blank=True)
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    position_title = models.CharField(_("position"), max_length=200)
    position_class = models.ForeignKey(
        PositionClass,
        on_delete=models.PROTECT,
        related_name="employees",
        verbose_name=_("position class"),
    )
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="employees", verbose_name=_("division")
    )
    supervisor = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="subordinates",
        verbose_name=_("supervisor"),
    )
    email = models.EmailField(_("email"), blank=True)
    active = models.BooleanField(_("active"), default=True)
    # Set when HR sets the password: the person must choose their own at the next login
    # (competency_portal/accounts.py).
    must_change_password = models.BooleanField(_("must change password"), default=False)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="employee",
        verbose_name=_("login"),
    )

    class Meta:
        ordering = ["department__name_th", "first_name", "last_name"]
        verbose_name = _("employee")
        verbose_name_plural = _("employees")
        constraints = [
            models.CheckConstraint(
                condition=~Q(supervisor=models.F("pk")), name="employee_not_own_supervisor"
            )
        ]

    def __str__(self):
        return f"{self.full_name} ({self.employee_code})"

    @property
    def full_name(self):
        return f"{self.title}{self.first_name} {self.last_name}".strip()


@dataclass(frozen=True)
class OutsidePerson:
    """Someone who signs a form without being an employee in the portal (the นายก อบต.): with
    the names an Employee gives the templates, so a form prints either the same way."""

    full_name: str
    position_title: str

    @classmethod
    def of(cls, name, position):
        return cls(name, position) if name else None


class Cycle(models.Model):
    """An appraisal round (รอบการประเมิน): two per fiscal year."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Not opened yet")
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    class Method(models.TextChoices):
        """How the competency score is worked out (assessments/scoring.py, issue 15)."""

        BAR = "bar", _("Points from the gap to the expected level")
        RATING = "rating", _("The achieved level × the competency's weight")
        RATING_EQUAL = "rating_equal", _("The achieved level, every competency the same weight")
        HYBRID = "hybrid", _("Achieved levels ÷ expected levels, at most 100 %")

    class WorkResultsMethod(models.TextChoices):
        """Where the work-results percentage comes from (issue 15); the round keeps its own."""

        INDICATORS = "indicators", _("From the agreed work-results indicators")
        PERCENTAGE = "percentage", _("A percentage the supervisor enters")

    class TotalRounding(models.TextChoices):
        """How the total is rounded: a round keeps the rule it was scored with."""

        PARTS = "parts", _("Each weighted part rounded, then added")
        TOTAL = "total", _("The exact sum, rounded once (rounds scored before December 2026)")

    code = models.CharField(
        _("code"),
        max_length=20,
        unique=True,
        validators=[RegexValidator(r"^\d{4}-[12]$", _("A code such as 2569-1."))],
    )
    fiscal_year = models.PositiveSmallIntegerField(
        _("fiscal year (BE)"), validators=[MinValueValidator(2500), MaxValueValidator(2700)]
    )
    round = models.PositiveSmallIntegerField(
        _("round"), choices=[(1, _("Round 1")), (2, _("Round 2"))]
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    framework = models.ForeignKey(
        Framework,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cycles",
        verbose_name=_("framework version"),
    )
    competency_weight = models.DecimalField(
        _("weight of competencies (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("30"),
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    method = models.CharField(
        _("scoring method"), max_length=12, choices=Method.choices, default=Method.BAR
    )
    # Method.RATING: {competency code: weight (%)}, totalling 100 over the framework's competencies
    competency_weights = models.JSONField(
        _("weights of the competencies"), default=dict, blank=True
    )
    # Rounds before issue 15 and rounds whose office keeps the figure on paper: PERCENTAGE
    work_results_method = models.CharField(
        _("work results"),
        max_length=12,
        choices=WorkResultsMethod.choices,
        default=WorkResultsMethod.PERCENTAGE,
    )
    # The lowest total of ดีเด่น, ดีมาก, ดี and พอใช้ (below: ต้องปรับปรุง); empty: the defaults
    band_thresholds = models.JSONField(_("thresholds of the bands"), default=list, blank=True)
    total_rounding = models.CharField(
        _("rounding of the total"),
        max_length=10,
        choices=TotalRounding.choices,
        default=TotalRounding.PARTS,
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    opened_at = models.DateTimeField(_("opened at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    # Whoever stands above the portal's top (the นายก อบต. above the ปลัด): not an employee, no
    # login. They rate whoever has no supervisor in the portal, give the next-level opinion
    # where the rater has none, and sign the block one level higher still; HR keys in what
    # they write on paper. An assessment may name someone else (Assessment.outside_*).
    outside_name = models.CharField(_("person above the organisation"), max_length=200, blank=True)
    outside_position = models.CharField(_("their position"), max_length=200, blank=True)

    class Meta:
        ordering = ["-fiscal_year", "-round"]
        verbose_name = _("appraisal round")
        verbose_name_plural = _("appraisal rounds")
        constraints = [
            models.UniqueConstraint(fields=["fiscal_year", "round"], name="cycle_unique_round"),
            models.CheckConstraint(condition=Q(round__in=[1, 2]), name="cycle_round_1_or_2"),
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")), name="cycle_dates_in_order"
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(framework__isnull=False),
                name="cycle_opened_with_framework",
            ),
            # One round open at a time, whoever writes (two HR officers opening two rounds at
            # once, a script). Global: an installation serves one organisation
            # (PORTAL_ORGANISATION) and Cycle has no organisation of its own.
            models.UniqueConstraint(
                fields=["status"],
                condition=Q(status="open"),
                name="one_open_cycle",
                violation_error_message=_(
                    "Another round is open; close it before opening this one."
                ),
            ),
        ]

    def __str__(self):
        return self.code

    def get_absolute_url(self):
        return reverse("assessments:cycle_detail", args=[self.pk])

    @property
    def is_open(self):
        return self.status == self.Status.OPEN

    @property
    def work_results_weight(self):
        """The work results' share of the total (%): what the competencies leave."""
        return 100 - self.competency_weight


class Track(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    SUBMITTED = "submitted", _("Submitted")


class Role(models.TextChoices):
    SELF = "self", _("Self-assessment")
    SUPERVISOR = "supervisor", _("Supervisor")


STAGES = [
    ("not_started", _("Not started")),
    ("in_progress", _("Rating in progress")),
    ("self_submitted", _("Self-assessment submitted")),
    ("rated", _("Rated by the supervisor")),
    ("acknowledged", _("Results acknowledged")),
    ("refused", _("Refused to sign (witnessed)")),
    ("reviewed", _("Reviewed by the next-level supervisor")),
    ("finalized", _("Finalised by HR")),
]


class Assessment(models.Model):
    class Acknowledgement(models.TextChoices):
        PENDING = "pending", _("Not yet acknowledged")
        ACKNOWLEDGED = "acknowledged", _("Acknowledged by the employee")
        REFUSED = "refused", _("Refused to sign (witnessed)")

    class Opinion(models.TextChoices):
        AGREE = "agree", _("Agree")
        DIFFER = "differ", _("Differ")

    cycle = models.ForeignKey(Cycle, on_delete=models.PROTECT, related_name="assessments")
    employee = models.ForeignKey(Employee, on_delete=models.PROTECT, related_name="assessments")
    # Snapshots taken when the round opened: later changes to the person do not move them.
    supervisor = models.ForeignKey(
        Employee,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="rated_assessments",
        verbose_name=_("rater"),
    )
    reviewer = models.ForeignKey(
        Employee,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reviewed_assessments",
        verbose_name=_("next-level supervisor"),
    )
    position_class = models.ForeignKey(
        PositionClass, on_delete=models.PROTECT, related_name="assessments"
    )
    position_title = models.CharField(_("position"), max_length=200, blank=True)
    department_name = models.CharField(_("division"), max_length=200, blank=True)
    expected_levels = models.JSONField(_("expected levels"), default=dict)

    self_state = models.CharField(max_length=12, choices=Track.choices, default=Track.NOT_STARTED)
    self_submitted_at = models.DateTimeField(null=True, blank=True)
    supervisor_state = models.CharField(
        max_length=12, choices=Track.choices, default=Track.NOT_STARTED
    )
    supervisor_submitted_at = models.DateTimeField(null=True, blank=True)
    # Each track's levels as its ratings give them (selectors/results.py, stored_track), kept
    # in step by the one writer of ratings (services/rating.py) so that a round's results are
    # read without reading its 130,000 ratings; None: not worked out, read from the ratings.
    self_levels = models.JSONField(null=True, blank=True, editable=False)
    supervisor_levels = models.JSONField(null=True, blank=True, editable=False)
    # The person's confirmation of their performance agreement (issue 15): cleared when the
    # agreed terms (indicators, units, weights, targets) change
    agreement_confirmed_at = models.DateTimeField(null=True, blank=True)
    agreement_comment = models.TextField(_("comment on the agreement"), blank=True)
    work_results = models.DecimalField(
        _("work results (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )

    acknowledgement = models.CharField(
        max_length=12, choices=Acknowledgement.choices, default=Acknowledgement.PENDING
    )
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    refusal_date = models.DateField(_("date of refusal"), null=True, blank=True)
    refusal_witness = models.CharField(_("witness"), max_length=200, blank=True)

    review_opinion = models.CharField(max_length=10, choices=Opinion.choices, blank=True)
    review_comment = models.TextField(_("comment"), blank=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)

    finalized_at = models.DateTimeField(null=True, blank=True)
    # Named by HR for this person, in place of the round's person above the organisation:
    # a rater (when the person has no supervisor in the portal) or a next-level supervisor
    # (when the rater has none), who have no login.
    outside_rater_name = models.CharField(_("rater without a login"), max_length=200, blank=True)
    outside_rater_position = models.CharField(_("rater's position"), max_length=200, blank=True)
    outside_reviewer_name = models.CharField(
        _("next-level supervisor without a login"), max_length=200, blank=True
    )
    outside_reviewer_position = models.CharField(
        _("next-level supervisor's position"), max_length=200, blank=True
    )
    # Optimistic locks: `version` for the workflow steps (acknowledge, review, rater, final),
    # one per rating track so that an employee's draft never conflicts with the supervisor's.
    version = models.PositiveIntegerField(default=1)
    self_version = models.PositiveIntegerField(default=1)
    supervisor_version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["cycle", "employee__department__name_th", "employee__first_name"]
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        constraints = [
            models.UniqueConstraint(fields=["cycle", "employee"], name="assessment_one_per_round"),
            models.CheckConstraint(
                condition=Q(work_results__isnull=True)
                | (Q(work_results__gte=0) & Q(work_results__lte=100)),
                name="assessment_work_results_percent",
            ),
        ]
        # A rater's or a reviewer's people in a round ("my team", the menu's question whether
        # there is a team): found by the person, not by scanning the round through cycle_id.
        indexes = [
            models.Index(fields=["supervisor", "cycle"], name="assessment_rater_round"),
            models.Index(fields=["reviewer", "cycle"], name="assessment_reviewer_round"),
        ]

    def __str__(self):
        return f"{self.cycle.code} {self.employee.full_name}"

    def get_absolute_url(self):
        return reverse("assessments:results", args=[self.pk])

    @property
    def is_finalized(self):
        return self.finalized_at is not None

    @property
    def is_reviewed(self):
        return self.reviewed_at is not None

    @property
    def acknowledgement_recorded(self):
        return self.acknowledgement != self.Acknowledgement.PENDING

    def track_state(self, role):
        return self.self_state if role == Role.SELF else self.supervisor_state

    def track_version(self, role):
        return self.self_version if role == Role.SELF else self.supervisor_version

    @property
    def outside_rater(self):
        """The rater without a login (an OutsidePerson), when the person has no supervisor in
        the portal: the one HR named for them, else the round's person above the organisation."""
        if self.supervisor_id is not None:
            return None
        return OutsidePerson.of(self.outside_rater_name, self.outside_rater_position) or (
            OutsidePerson.of(self.cycle.outside_name, self.cycle.outside_position)
        )

    @property
    def outside_reviewer(self):
        """The next-level supervisor without a login, when the portal has none for this person:
        the one HR named; else, when the rater is in the portal (with no supervisor of their
        own), the round's person above the organisation."""
        if self.reviewer_id is not None:
            return None
        named = OutsidePerson.of(self.outside_reviewer_name, self.outside_reviewer_position)
        if named or self.supervisor_id is None:
            return named
        return OutsidePerson.of(self.cycle.outside_name, self.cycle.outside_position)

    @property
    def rater_name(self):
        rater = self.supervisor or self.outside_rater
        return rater.full_name if rater else ""

    @property
    def has_reviewer(self):
        """A next-level opinion is due: from the portal's reviewer or one without a login."""
        return self.reviewer_id is not None or self.outside_reviewer is not None

    @property
    def stage(self):
        """The furthest step reached, as a code for badges and filters."""
        if self.is_finalized:
            return "finalized"
        if self.is_reviewed:
            return "reviewed"
        if self.acknowledgement == self.Acknowledgement.REFUSED:
            return "refused"
        if self.acknowledgement_recorded:
            return "acknowledged"
        if self.supervisor_state == Track.SUBMITTED:
            return "rated"
        if self.self_state == Track.SUBMITTED:
            return "self_submitted"
        if Track.IN_PROGRESS in (self.self_state, self.supervisor_state):
            return "in_progress"
        return "not_started"

    @property
    def stage_label(self):
        return dict(STAGES)[self.stage]


class Rating(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="ratings")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="ratings")
    role = models.CharField(max_length=12, choices=Role.choices)
    value = models.SmallIntegerField()
    rated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    rated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "indicator", "role"], name="rating_one_per_indicator"
            ),
            models.CheckConstraint(
                condition=Q(role__in=["self", "supervisor"]), name="rating_role_valid"
            ),
        ]

    def __str__(self):
        return f"{self.assessment} {self.indicator_id} {self.role}={self.value}"


class WorkIndicator(models.Model):
    """One work-results indicator of a person's performance agreement (ข้อตกลงการปฏิบัติงาน,
    issue 15), agreed at the start of the round: what is measured, in what unit, its weight
    (the weights of an agreement total 100) and the target of each of the five levels; at the
    end of the round, the level achieved and its evidence. In a round whose work results come
    from the indicators (Cycle.WorkResultsMethod.INDICATORS) the assessment's work_results is
    worked out from them by their one writer (services/agreements.py)."""

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="work_indicators"
    )
    number = models.PositiveSmallIntegerField(_("number"))
    title = models.CharField(_("work-results indicator"), max_length=300)
    unit = models.CharField(_("unit"), max_length=100, blank=True)
    weight = models.DecimalField(
        _("weight (%)"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(100)],
    )
    target_1 = models.CharField(_("target of level 1"), max_length=200, blank=True)
    target_2 = models.CharField(_("target of level 2"), max_length=200, blank=True)
    target_3 = models.CharField(_("target of level 3"), max_length=200, blank=True)
    target_4 = models.CharField(_("target of level 4"), max_length=200, blank=True)
    target_5 = models.CharField(_("target of level 5"), max_length=200, blank=True)
    achieved_level = models.PositiveSmallIntegerField(
        _("level achieved"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    evidence = models.TextField(_("evidence"), blank=True)

    class Meta:
        ordering = ["assessment", "number"]
        verbose_name = _("work-results indicator")
        verbose_name_plural = _("work-results indicators")
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "number"], name="work_indicator_one_number"
            ),
            models.CheckConstraint(
                condition=Q(weight__gt=0) & Q(weight__lte=100), name="work_indicator_weight"
            ),
            models.CheckConstraint(
                condition=Q(achieved_level__isnull=True)
                | (Q(achieved_level__gte=1) & Q(achieved_level__lte=5)),
                name="work_indicator_level",
            ),
        ]

    def __str__(self):
        return f"{self.assessment} {self.number}. {self.title}"

    @property
    def targets(self):
        """The targets of levels 1–5, in order."""
        return [getattr(self, f"target_{level}") for level in range(1, 6)]


class CompetencyComment(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="comments")
    competency = models.ForeignKey(Competency, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(max_length=12, choices=Role.choices)
    text = models.TextField(blank=True)
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    written_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "competency", "role"], name="comment_one_per_competency"
            )
        ]

    def __str__(self):
        return f"{self.assessment} {self.competency.code} {self.role}"


class DevelopmentMethod(models.Model):
    """A way of developing a competency that a development plan may name (อบรม, สอนงาน, …):
    HR's list, edited on its own page. A method in use by a plan is retired, never deleted."""

    name_th = models.CharField(_("method"), max_length=100, unique=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    active = models.BooleanField(_("offered"), default=True)

    class Meta:
        ordering = ["order", "name_th"]
        verbose_name = _("development method")

    def __str__(self):
        return self.name_th


class DevelopmentPlanItem(models.Model):
    """The supervisor's plan for one competency below the expected level: how the person will
    develop (a method of HR's list) and when (a period, as the office writes it)."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="plan_items")
    competency = models.ForeignKey(Competency, on_delete=models.PROTECT, related_name="+")
    method = models.ForeignKey(DevelopmentMethod, on_delete=models.PROTECT, related_name="+")
    # the method's name when chosen: a later rename of HR's list does not rewrite a plan
    method_name = models.CharField(_("method"), max_length=100, blank=True)
    period = models.CharField(_("period"), max_length=100, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "competency"], name="one_plan_item_per_competency"
            )
        ]

    def __str__(self):
        return f"{self.assessment_id} {self.competency_id} {self.method_id}"


class AssessmentEvent(ActorNameMixin, models.Model):
    """The audit trail: every save, submission, acknowledgement, review, reopening."""

    class Action(models.TextChoices):
        OPENED = "opened", _("Assessment created")
        SAVED = "saved", _("Draft saved")
        SUBMITTED = "submitted", _("Submitted")
        ACKNOWLEDGED = "acknowledged", _("Acknowledged")
        REFUSED = "refused", _("Refusal to sign recorded")
        REVIEWED = "reviewed", _("Opinion of the next-level supervisor")
        FINALIZED = "finalized", _("Finalised by HR")
        REOPENED = "reopened", _("Reopened by HR")
        RATER_CHANGED = "rater", _("Rater changed by HR")
        PLANNED = "planned", _("Development plan saved")
        AGREEMENT = "agreement", _("Performance agreement recorded")
        AGREEMENT_CONFIRMED = "agreed", _("Performance agreement confirmed by the person")
        WORK_ASSESSED = "work_assessed", _("Work results assessed")

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    at = models.DateTimeField(default=timezone.now, db_index=True)
    action = models.CharField(max_length=20, choices=Action.choices)
    role = models.CharField(max_length=12, choices=Role.choices, blank=True)
    from_state = models.CharField(max_length=20, blank=True)
    to_state = models.CharField(max_length=20, blank=True)
    detail = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.assessment_id}"


class PrintJob(models.Model):
    """A batch of printed forms built in the background: a whole round or one division."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to start")
        RUNNING = "running", _("Printing")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    class Only(models.TextChoices):
        """Which forms: every one, or only those whose supervisor's rating is submitted, or
        only the finalised ones (a form not finalised is printed marked "ร่าง")."""

        ALL = "", _("Every form (those not finalised marked as drafts)")
        SUBMITTED = "submitted", _("Only forms the supervisor has submitted")
        FINALIZED = "finalized", _("Only finalised forms")

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="print_jobs")
    department = models.CharField(_("division"), max_length=200, blank=True)
    only = models.CharField(_("forms"), max_length=10, choices=Only.choices, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    failed = models.JSONField(default=list, blank=True)  # [[name, reason], …]
    error = models.TextField(blank=True)
    file = models.FileField(upload_to="print-jobs/", blank=True)
    # 2 and more: the worker printing it died and another started it again (services/leases.py)
    attempt = models.PositiveSmallIntegerField(default=1)

    class Meta:
        ordering = ["-requested_at"]
        verbose_name = _("batch print")
        verbose_name_plural = _("batch prints")

    def __str__(self):
        return f"{self.cycle.code} {self.department or '*'} {self.status}"

    def get_absolute_url(self):
        return reverse("assessments:print_job", args=[self.pk])

    @property
    def finished(self):
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def percent(self):
        return round(100 * self.done / self.total) if self.total else 0

    def file_name(self):
        scope = f"-{self.department}" if self.department else ""
        return f"appraisals-{self.cycle.code}{scope}.pdf"


class Reminder(models.Model):
    """An email reminding someone of the steps they still have to take in a round.

    Recorded as queued when HR asks for it and sent by a background task
    (services/reminders.py); `sent_at` is set only once the mail server accepted it. A try the
    server refuses is tried again later; after the last try it is failed, with the reason.
    Queued and sent reminders count for the once-a-day rule (`sent_on`: the day HR asked);
    failed ones do not.
    """

    class Step(models.TextChoices):
        SELF = "self", _("Self-assessment not submitted")
        SUPERVISOR = "supervisor", _("Rating of a subordinate not submitted")
        ACKNOWLEDGE = "acknowledge", _("Results not acknowledged")
        REVIEW = "review", _("Opinion of the next-level supervisor not given")
        FINALIZE = "finalize", _("Not finalised by HR")

    class Status(models.TextChoices):
        QUEUED = "queued", _("waiting to be sent")
        SENT = "sent", _("sent")
        FAILED = "failed", _("not sent")

    class Error(models.TextChoices):
        CONNECT = "connect", _("cannot connect to the mail server")
        TIMEOUT = "timeout", _("the mail server did not answer in time")
        LOGIN = "login", _("the mail server refused the login")
        REFUSED = "refused", _("the mail server refused the message")
        WORKER = "worker", _("the background worker stopped while sending")

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="reminders")
    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="reminders")
    sent_on = models.DateField(default=timezone.localdate)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    queued_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_try_at = models.DateTimeField(default=timezone.now)
    # a task is sending it until then (services/reminders.py `_claim`): a retry leaves it alone
    claimed_until = models.DateTimeField(null=True, blank=True)
    error = models.CharField(max_length=10, choices=Error.choices, blank=True)
    last_error = models.CharField(max_length=200, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    steps = models.JSONField(default=list)

    class Meta:
        ordering = ["-queued_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["employee", "sent_on"],
                condition=Q(status__in=["queued", "sent"]),
                name="reminder_once_a_day",
            )
        ]

    def __str__(self):
        return f"{self.employee} {self.sent_on} {self.status}"


class AuditRefused(Exception):
    """An audit entry is never changed or deleted."""


class AuditQuerySet(models.QuerySet):
    """No bulk change or delete of the audit trail."""

    def update(self, **kwargs):
        raise AuditRefused("audit entries cannot be changed")

    def delete(self):
        raise AuditRefused("audit entries cannot be deleted")

    def bulk_update(self, objs, fields, batch_size=None):
        raise AuditRefused("audit entries cannot be changed")


NOT_SIGNED_IN = _("Someone not signed in")


class AuditEntry(ActorNameMixin, models.Model):
    """The portal-wide audit trail of sensitive acts (logins, people, passwords, raters,
    imports, exports, prints, publications): append-only, written by services/audit.py."""

    class Action(models.TextChoices):
        LOGIN = "login", _("Logged in")
        LOGIN_FAILED = "login_failed", _("Login failed")
        LOCKED_OUT = "locked_out", _("Login locked after failed attempts")
        UNLOCKED = "unlocked", _("Login unlocked by HR")
        PASSWORD_SET = "password_set", _("Password set by HR")
        PASSWORD_CHANGED = "password_changed", _("Password changed by the person")
        PASSWORD_RESET = "password_reset", _("Password reset through the emailed link")
        PERSON_CREATED = "person_created", _("Person added")
        PERSON_UPDATED = "person_updated", _("Person changed")
        PERSON_DEACTIVATED = "person_deactivated", _("Person deactivated")
        PERSON_REACTIVATED = "person_reactivated", _("Person reactivated")
        RATER_CHANGED = "rater_changed", _("Rater changed")
        STAFF_IMPORTED = "staff_imported", _("Staff CSV imported")
        RATINGS_IMPORTED = "ratings_imported", _("Paper ratings imported")
        AGREEMENTS_IMPORTED = "agreements_imported", _("Performance agreements imported")
        FRAMEWORK_IMPORTED = "framework_imported", _("Framework imported")
        FRAMEWORK_PUBLISHED = "framework_published", _("Framework published")
        FRAMEWORK_EXPORTED = "framework_exported", _("Framework exported")
        RESULTS_EXPORTED = "results_exported", _("Results exported")
        ANALYTICS_EXPORTED = "analytics_exported", _("Analytics CSV downloaded")
        AUDIT_EXPORTED = "audit_exported", _("Audit trail downloaded")
        BATCH_PRINT = "batch_print", _("Batch print requested")
        TWO_FACTOR_ENABLED = "2fa_enabled", _("Two-factor sign-in turned on")
        TWO_FACTOR_DISABLED = "2fa_disabled", _("Two-factor sign-in turned off")
        TWO_FACTOR_FAILED = "2fa_failed", _("Wrong two-factor code")

    at = models.DateTimeField(_("when"), default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    address = models.GenericIPAddressField(_("address"), null=True, blank=True)
    action = models.CharField(_("action"), max_length=30, choices=Action.choices)
    target = models.CharField(_("concerning"), max_length=200, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    # the summary's message (English source, as marked for translation) and its parameters:
    # the trail is shown in the reader's language; entries older than these fields keep `summary`
    summary_message = models.CharField(max_length=200, blank=True, editable=False)
    summary_params = models.JSONField(default=dict, blank=True, editable=False)
    detail = models.JSONField(_("detail"), default=dict, blank=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["at"], name="audit_at"),
            models.Index(fields=["action", "at"], name="audit_action_at"),
        ]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit trail")

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.target}"

    def save(self, *args, **kwargs):
        if self.pk is not None or kwargs.get("force_update"):
            raise AuditRefused("audit entries cannot be changed")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditRefused("audit entries cannot be deleted")

    @property
    def actor_name(self):
        """A failed login or a lockout has nobody signed in: not "the system"."""
        anonymous = (self.Action.LOGIN_FAILED, self.Action.LOCKED_OUT)
        if self.actor_id is None and self.action in anonymous:
            return NOT_SIGNED_IN
        return super().actor_name

    @property
    def detail_text(self):
        return json.dumps(self.detail, ensure_ascii=False, sort_keys=True)

    @property
    def summary_text(self):
        """The summary in the reader's language, its numbers in the interface's digits."""
        return reader_text(self.summary_message, self.summary_params, self.summary)


class TaskLease(models.Model):
    """A background task's lease (services/leases.py): the worker running it writes
    `heartbeat_at` every few seconds. A running task whose heartbeat is older than
    PORTAL_TASK_LEASE_SECONDS lost its worker: it is queued again, or after
    PORTAL_TASK_MAX_ATTEMPTS tries marked failed with a reason."""

    task_id = models.CharField(max_length=64, unique=True)  # the django-tasks result id
    task_path = models.CharField(max_length=200)
    worker = models.CharField(max_length=200)
    attempts = models.PositiveSmallIntegerField(default=0)
    heartbeat_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("task lease")
        verbose_name_plural = _("task leases")

    def __str__(self):
        return f"{self.task_path} #{self.attempts} {self.worker}"


class WorkerBeat(models.Model):
    """A task worker (`manage.py db_worker`) that is alive: it writes `seen_at` every few
    seconds. The batch print page and /healthz read the newest."""

    worker = models.CharField(max_length=200, unique=True)
    started_at = models.DateTimeField(default=timezone.now)
    seen_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("task worker")
        verbose_name_plural = _("task workers")

    def __str__(self):
        return self.worker
