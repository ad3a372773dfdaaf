"""What a printed form shows, read from the database into plain objects for the templates."""

from dataclasses import dataclass

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation

from assessments.models import Assessment, Cycle, OutsidePerson, Role
from assessments.selectors import rating as selectors
from assessments.selectors.results import (
    assessment_results,
    band_ranges,
    results_of_loaded,
    work_table,
)
from competency_portal.lib.thai import people_digits
from framework.selectors import competencies_of


@dataclass
class PlanItem:
    """One line of the development plan: a competency below expectation, what to show next,
    and the supervisor's choice of how and when (a DevelopmentPlanItem, or None yet)."""

    block: object
    target_level: object
    indicators: list
    suggestions: str
    choice: object = None

    @property
    def competency(self):
        return self.block.competency


@dataclass
class PersonForm:
    assessment: Assessment
    sheet: object
    results: object
    plan: list
    reviewer_above: object
    bands: list
    other_suggestions: list  # [(block, comment)]: competencies outside the plan with a comment
    work: object = None  # WorkTable of the agreed indicators, in a round that scores by them


def development_plan(sheet, results, choices=None):
    """For each competency below expectation: the next level's indicators not yet shown, and
    the supervisor's choice of method and period from `choices` ({competency id: item})."""
    choices = choices or {}
    demonstrated = sheet.demonstrated_values
    plan = []
    for block, row in results.rows:
        if row.supervisor_level is None or row.gap is None or row.gap >= 0:
            continue
        target = row.supervisor_level + 1
        level_rows = next((lr for lr in block.levels if lr.level.number == target), None)
        if level_rows is None:
            continue
        missing = [r.indicator for r in level_rows.rows if r.value not in demonstrated]
        plan.append(
            PlanItem(
                block,
                level_rows.level,
                missing or [r.indicator for r in level_rows.rows],
                block.comment,
                choices.get(block.competency.pk),
            )
        )
    return plan


def person_above(assessment):
    """Who signs one level above the next-level supervisor: the reviewer's own supervisor, or
    the round's person above the organisation when the reviewer has none; nobody when the
    next-level supervisor is already outside the portal (or there is none)."""
    reviewer = assessment.reviewer
    if reviewer is None:
        return None
    cycle = assessment.cycle
    return reviewer.supervisor or OutsidePerson.of(cycle.outside_name, cycle.outside_position)


def plan_choices(assessment):
    """{competency id: DevelopmentPlanItem} of an assessment (one query)."""
    items = assessment.plan_items.select_related("method")
    return {item.competency_id: item for item in items}


def other_suggestions(sheet, plan):
    """The supervisor's suggestions on competencies outside the plan (at or above the level)."""
    planned = {item.competency.pk for item in plan}
    return [
        (block, block.comment)
        for block in sheet.blocks
        if block.comment and block.competency.pk not in planned
    ]


def person_form(assessment):
    """Everything one person's form for one round shows."""
    sheet = selectors.rating_sheet(assessment, Role.SUPERVISOR)
    results = results_of_loaded(assessment).beside(sheet.blocks)
    plan = development_plan(sheet, results, plan_choices(assessment))
    return PersonForm(
        assessment=assessment,
        sheet=sheet,
        results=results,
        plan=plan,
        reviewer_above=person_above(assessment),
        bands=band_ranges(assessment.cycle),
        other_suggestions=other_suggestions(sheet, plan),
        work=agreed_work(assessment),
    )


def agreed_work(assessment):
    """The agreement's WorkTable in a round whose work results come from the indicators (one
    query), else None: the form prints the typed percentage as before."""
    if assessment.cycle.work_results_method != Cycle.WorkResultsMethod.INDICATORS:
        return None
    return work_table(assessment.work_indicators.all())


def assessment_for_print(pk):
    return Assessment.objects.select_related(
        "cycle__framework",
        "employee__department",
        "position_class",
        "supervisor",
        "reviewer__supervisor",
    ).get(pk=pk)


def _render(template, context):
    """Printed forms are Thai whatever language the person reading the page chose."""
    base = {
        "organisation": settings.PORTAL_ORGANISATION,
        "printed_on": timezone.localdate(),
        "page_digits": "thai" if settings.PORTAL_THAI_DIGITS else "decimal",
    }
    # a form printed by a command (print_appraisals) is read by people, like one downloaded
    with translation.override("th"), people_digits():
        return render_to_string(template, {**base, **context})


def person_form_html(assessment):
    return _render("reports/person_form.html", {"form": person_form(assessment)})


def agreement_form_html(assessment):
    """The performance agreement of one person's round, to be signed by both (issue 15): the
    agreed indicators and the competencies with the levels expected of the person."""
    indicators = list(assessment.work_indicators.all())
    context = {
        "a": assessment,
        "indicators": indicators,
        "work": work_table(indicators),
        "competencies": expected_levels(assessment),
    }
    return _render("reports/agreement_form.html", context)


def expected_levels(assessment):
    """[(code, name, level expected of the person)] of the round's competencies, in order."""
    results = assessment_results(assessment).results
    return [
        (c.code, c.name_th, results[c.code].expected if c.code in results else None)
        for c in competencies_of(assessment.cycle.framework)
    ]


def annual_form_html(assessments):
    """Both rounds of a fiscal year for one person (or the one that exists), side by side."""
    forms = [person_form(a) for a in sorted(assessments, key=lambda a: a.cycle.round)]
    draft = any(not form.assessment.is_finalized for form in forms)
    return _render("reports/annual_form.html", {"forms": forms, "first": forms[0], "draft": draft})


def blank_form_html(assessment, role=Role.SELF):
    sheet = selectors.rating_sheet(assessment, role)
    return _render(
        "reports/blank_form.html", {"assessment": assessment, "sheet": sheet, "role": role}
    )


def file_name(assessment, kind="appraisal"):
    return f"{kind}-{assessment.cycle.code}-{assessment.employee.employee_code}.pdf"
