"""Analytics of appraisal rounds: achieved levels, gaps, self/supervisor agreement and trends.

Each public function reads with a fixed number of queries, whatever the number of people:
the assessments in one query, all their ratings in one, the competencies and indicators of
the framework version(s) in two and the scale in one: all read by the one results loader,
assessments/selectors/results.py, the one behind the results page. The rest is counting over its
results; the self-ratings serve only the agreement figures.

Only the supervisor's submitted ratings are counted by default: a draft, even one with every
indicator rated, may still change. The reports say how many drafts were left out
(`drafts`), and `include_drafts` counts them too.
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from assessments.models import Cycle, Track
from assessments.selectors.results import LEVELS, TWO_PLACES, load_results
from framework.models import Competency

LEVEL_VALUES = (0, *LEVELS)
ONE_PLACE = Decimal("0.1")

# The fixed colour scale of the gap heat map: (tone, lowest mean gap of the tone), lowest first.
# Means are rounded to two places before they are placed, so the bounds below are exact.
GAP_TONES = (
    ("far-below", None),  # −2.00 or lower
    ("below", Decimal("-1.99")),  # −1.99 … −1.00
    ("slightly-below", Decimal("-0.99")),  # −0.99 … −0.01
    ("meets", Decimal("0.00")),  # 0.00 … 0.99
    ("above", Decimal("1.00")),  # 1.00 or more
)


def percent(part, whole):
    """part ÷ whole as a percentage with one place; None when nobody is counted."""
    if not whole:
        return None
    return (Decimal(part) * 100 / whole).quantize(ONE_PLACE, rounding=ROUND_HALF_UP)


def mean(total, count):
    """The mean with two places; None when nobody is counted."""
    if not count:
        return None
    return (Decimal(total) / count).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def gap_tone(mean_gap):
    """The heat-map tone of a mean gap ("none" when nobody is rated)."""
    if mean_gap is None:
        return "none"
    tone = GAP_TONES[0][0]
    for name, lowest in GAP_TONES[1:]:
        if mean_gap >= lowest:
            tone = name
    return tone


def is_counted(person, include_drafts=False):
    """Whether a person's results count in the figures: their supervisor has submitted the
    rating (or, with `include_drafts`, whatever is rated so far)."""
    return include_drafts or person.assessment.supervisor_state == Track.SUBMITTED


def is_draft(person):
    """The supervisor has begun rating the person and not submitted yet."""
    return person.assessment.supervisor_state == Track.IN_PROGRESS


def _competencies_of(shapes, latest=None):
    """Competencies to show across versions: the latest version's in its order, then any
    code found only in older versions (matched by code)."""
    ordered = list(shapes.values())
    if latest is not None and latest in shapes:
        ordered.sort(key=lambda shape: shape.framework.pk != latest)
    seen, competencies = set(), []
    for shape in ordered:
        for competency in shape.competencies:
            if competency.code not in seen:
                seen.add(competency.code)
                competencies.append(competency)
    return competencies


# ---------------------------------------------------------------- levels and expectations


@dataclass
class Share:
    """How many of the rated people are at or above their expected level."""

    label: str = ""
    rated: int = 0
    at_or_above: int = 0

    def add(self, result):
        self.rated += 1
        self.at_or_above += result.gap >= 0

    @property
    def percent(self):
        return percent(self.at_or_above, self.rated)


@dataclass
class Distribution:
    """One competency: people per achieved level (0–5), and the share at or above expected,
    overall and by division."""

    competency: Competency
    counts: list
    overall: Share
    departments: list

    @property
    def rated(self):
        return self.overall.rated

    @property
    def levels(self):
        return list(zip(LEVEL_VALUES, self.counts, strict=True))


def level_distribution(scored, competencies, listed=None):
    """`listed`: the people whose divisions get a row, counted or not (default: `scored`)."""
    departments = sorted({s.department for s in (scored if listed is None else listed)})
    rows = []
    for competency in competencies:
        counts = [0] * len(LEVEL_VALUES)
        overall = Share()
        by_department = {name: Share(name) for name in departments}
        for person in scored:
            result = person.result(competency.code)
            if result is None or result.supervisor_level is None:
                continue
            counts[result.supervisor_level] += 1
            overall.add(result)
            by_department[person.department].add(result)
        rows.append(Distribution(competency, counts, overall, list(by_department.values())))
    return rows


# ---------------------------------------------------------------- gap heat map


@dataclass
class HeatCell:
    count: int = 0
    gap_total: int = 0

    def add(self, result):
        self.count += 1
        self.gap_total += result.gap

    @property
    def mean_gap(self):
        return mean(self.gap_total, self.count)

    @property
    def tone(self):
        return gap_tone(self.mean_gap)


@dataclass
class HeatRow:
    department: str
    cells: list
    is_total: bool = False


@dataclass
class HeatMap:
    """Divisions × competencies → mean gap (achieved − expected) and how many people."""

    competencies: list
    rows: list

    def cell(self, department, code):
        index = [c.code for c in self.competencies].index(code)
        row = next(row for row in self.rows if row.department == department and not row.is_total)
        return row.cells[index]

    @property
    def total(self):
        return next(row for row in self.rows if row.is_total)


def gap_heatmap(scored, competencies, listed=None):
    """`listed`: the people whose divisions get a row, counted or not (default: `scored`)."""
    departments = sorted({s.department for s in (scored if listed is None else listed)})
    cells = {(d, c.code): HeatCell() for d in departments for c in competencies}
    totals = {c.code: HeatCell() for c in competencies}
    for person in scored:
        for competency in competencies:
            result = person.result(competency.code)
            if result is None or result.gap is None:
                continue
            cells[person.department, competency.code].add(result)
            totals[competency.code].add(result)
    rows = [HeatRow(d, [cells[d, c.code] for c in competencies]) for d in departments]
    rows.append(HeatRow("", [totals[c.code] for c in competencies], is_total=True))
    return HeatMap(competencies, rows)


# ---------------------------------------------------------------- self vs supervisor


@dataclass
class AgreementRow:
    """Among the people rated on both tracks: how far the two levels are apart."""

    competency: Competency
    same: int = 0
    one_apart: int = 0
    two_or_more: int = 0

    @property
    def total(self):
        return self.same + self.one_apart + self.two_or_more


@dataclass
class Disagreement:
    assessment: object
    competency: object
    self_level: int
    supervisor_level: int

    @property
    def difference(self):
        """Self − supervisor: positive when the person rated themself higher."""
        return self.self_level - self.supervisor_level


def agreement(scored, competencies):
    """(rows per competency, [Disagreement of two levels or more]) ."""
    rows, disagreements = [], []
    for competency in competencies:
        row = AgreementRow(competency)
        for person in scored:
            result = person.result(competency.code)
            if result is None or None in (result.self_level, result.supervisor_level):
                continue
            apart = abs(result.self_level - result.supervisor_level)
            if apart == 0:
                row.same += 1
            elif apart == 1:
                row.one_apart += 1
            else:
                row.two_or_more += 1
                disagreements.append(
                    Disagreement(
                        person.assessment,
                        competency,
                        result.self_level,
                        result.supervisor_level,
                    )
                )
        rows.append(row)
    disagreements.sort(
        key=lambda d: (
            d.assessment.department_name,
            d.assessment.employee.first_name,
            d.assessment.employee.last_name,
            d.assessment.employee_id,
        )
    )
    return rows, disagreements


# ---------------------------------------------------------------- one round


@dataclass
class CycleReport:
    """Everything the analytics page shows for one round (and maybe one division)."""

    cycle: Cycle
    department: str
    departments: list  # every division of the round, for the filter
    competencies: list
    scored: list  # everyone of the round (or division), counted or not
    distribution: list
    heatmap: HeatMap
    agreement: list
    disagreements: list
    include_drafts: bool = False
    counted: list = field(default_factory=list)  # those whose results are in the figures
    drafts: int = 0  # supervisors' drafts: left out, or counted with `include_drafts`

    @property
    def people(self):
        return len(self.scored)

    @property
    def shown_departments(self):
        """The divisions in the figures (one when filtered), in the order of the charts."""
        return sorted({s.department for s in self.scored})

    @property
    def complete(self):
        """People rated on every competency, among those counted."""
        return sum(1 for s in self.counted if s.complete)


def cycle_report(cycle, department="", include_drafts=False):
    """The analytics of one round; `department` narrows it to one division. Only submitted
    supervisors' ratings count unless `include_drafts`."""
    # The round's version even when nobody is rated yet (else: the versions found).
    frameworks = [cycle.framework] if cycle.framework_id else None
    everyone, shapes = load_results(frameworks=frameworks, cycle=cycle)
    competencies = _competencies_of(shapes)
    departments = sorted({s.department for s in everyone})
    scored = [s for s in everyone if s.department == department] if department else everyone
    counted = [s for s in scored if is_counted(s, include_drafts)]
    rows, disagreements = agreement(counted, competencies)
    return CycleReport(
        cycle=cycle,
        department=department,
        departments=departments,
        competencies=competencies,
        scored=scored,
        distribution=level_distribution(counted, competencies, listed=scored),
        heatmap=gap_heatmap(counted, competencies, listed=scored),
        agreement=rows,
        disagreements=disagreements,
        include_drafts=include_drafts,
        counted=counted,
        drafts=sum(1 for s in scored if is_draft(s)),
    )


# ---------------------------------------------------------------- across rounds


def reported_cycles():
    """Rounds that have been opened (and so have assessments), oldest first."""
    return list(
        Cycle.objects.exclude(status=Cycle.Status.DRAFT)
        .filter(framework__isnull=False)
        .select_related("framework")
        .order_by("fiscal_year", "round")
    )


@dataclass
class TrendPoint:
    rated: int = 0
    level_total: int = 0
    at_or_above: int = 0

    def add(self, result):
        self.rated += 1
        self.level_total += result.supervisor_level
        self.at_or_above += result.gap >= 0

    @property
    def mean_level(self):
        return mean(self.level_total, self.rated)

    @property
    def percent(self):
        return percent(self.at_or_above, self.rated)


@dataclass
class Trend:
    """The organisation across rounds: per competency, one point per round."""

    cycles: list
    competencies: list
    rows: list  # [(competency, [TrendPoint per cycle])]
    department: str = ""
    departments: list = field(default_factory=list)
    include_drafts: bool = False
    drafts: dict = field(default_factory=dict)  # cycle id → supervisors' drafts

    @property
    def all_drafts(self):
        """Supervisors' drafts in every round shown."""
        return sum(self.drafts.values())

    def point(self, cycle, code):
        index = [c.pk for c in self.cycles].index(cycle.pk)
        return next(points[index] for c, points in self.rows if c.code == code)


def organisation_trend(department="", include_drafts=False):
    """Per round and competency: mean achieved level and share at or above expected (of the
    submitted supervisors' ratings unless `include_drafts`)."""
    cycles = reported_cycles()
    everyone, shapes = load_results(frameworks=[c.framework for c in cycles], cycle__in=cycles)
    competencies = _competencies_of(shapes, latest=cycles[-1].framework_id if cycles else None)
    departments = sorted({s.department for s in everyone})
    points = {(c.pk, k.code): TrendPoint() for c in cycles for k in competencies}
    drafts = dict.fromkeys((c.pk for c in cycles), 0)
    for person in everyone:
        if department and person.department != department:
            continue
        drafts[person.assessment.cycle_id] += is_draft(person)
        if not is_counted(person, include_drafts):
            continue
        for code, result in person.results.items():
            if result.supervisor_level is not None:
                points[person.assessment.cycle_id, code].add(result)
    rows = [(k, [points[c.pk, k.code] for c in cycles]) for k in competencies]
    return Trend(cycles, competencies, rows, department, departments, include_drafts, drafts)


@dataclass
class History:
    """Every round of one person, oldest first."""

    employee: object
    competencies: list
    rounds: list  # [PersonResults]

    @property
    def cycles(self):
        return [s.assessment.cycle for s in self.rounds]

    @property
    def rows(self):
        """[(competency, [CompetencyResult or None per round])] for the trend chart."""
        return [(c, [s.result(c.code) for s in self.rounds]) for c in self.competencies]


def person_history(employee):
    scored, shapes = load_results(employee=employee)
    latest = scored[-1].assessment.cycle.framework_id if scored else None
    return History(employee, _competencies_of(shapes, latest=latest), scored)
