"""The development plan's choices (a method and a period per competency below expectation), and
HR's list of methods. Each write in one transaction; bad input changes nothing."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from assessments.models import AssessmentEvent, DevelopmentMethod, DevelopmentPlanItem
from assessments.services.base import locked, record_event
from competency_portal.lib.textguard import clean_text, whole_number

PERIOD_LENGTH = DevelopmentPlanItem._meta.get_field("period").max_length
METHOD_LENGTH = DevelopmentMethod._meta.get_field("name_th").max_length


@transaction.atomic
def save_development_plan(*, assessment, by, choices, competencies):
    """Set the plan of `assessment`: `choices` is {competency id: (method id or "", period)}
    for the competencies of its plan (`competencies`, {id: competency}); a competency without
    a method has no plan item. Refused whole when the person has signed for the results (or
    the assessment is finalised), a competency is not in the plan, or a method is neither
    offered nor the one the plan already names for that competency."""
    assessment = locked(assessment)
    refusal = plan_locked_reason(assessment)
    if refusal:
        raise ValidationError(refusal)
    saved = {item.competency_id: item for item in assessment.plan_items.select_related("method")}
    items = _checked(choices, competencies, saved)
    DevelopmentPlanItem.objects.filter(assessment=assessment).exclude(
        competency_id__in=items
    ).delete()
    for competency, method, period in items.values():
        before = saved.get(competency.pk)
        kept_name = before.method_name if before and before.method_id == method.pk else ""
        DevelopmentPlanItem.objects.update_or_create(
            assessment=assessment,
            competency=competency,
            defaults={
                "method": method,
                "method_name": kept_name or method.name_th,
                "period": period,
                "updated_by": by,
            },
        )
    record_event(assessment, by, AssessmentEvent.Action.PLANNED, detail=_summary(items))


def _checked(choices, competencies, saved):
    """{competency id: (competency, method, period)} of the choices, or ValidationError."""
    offered = {m.pk: m for m in DevelopmentMethod.objects.filter(active=True)}
    items, problems = {}, []
    for competency_id, (method_id, period) in choices.items():
        competency = competencies.get(competency_id)
        if competency is None:
            problems.append(_("A competency that is not in the plan was sent."))
            continue
        period = clean_text(period or "", max_length=PERIOD_LENGTH).strip()
        if not method_id:
            if period:
                message = _("%(name)s: choose a method for the period given.")
                problems.append(message % {"name": competency.name_th})
            continue
        method = offered.get(whole_number(method_id))
        before = saved.get(competency.pk)
        if method is None and before is not None and before.method_id == whole_number(method_id):
            method = before.method  # retired since it was chosen: the plan may keep it
        if method is None:
            message = _("%(name)s: choose a method from the list.")
            problems.append(message % {"name": competency.name_th})
            continue
        items[competency.pk] = (competency, method, period)
    if problems:
        raise ValidationError(problems)
    return items


def plan_locked_reason(assessment):
    """Why the plan may not change now (the person signed for it, or it is final), or ""."""
    if assessment.is_finalized:
        return _("This assessment has been finalised by HR.")
    if assessment.acknowledgement_recorded:
        return _(
            "The person has already signed for the results and the plan: HR reopens the "
            "acknowledgement before the plan changes."
        )
    return ""


def _summary(items):
    """The history's line: "การพัฒนาตนเอง: อบรม (ไตรมาส ๓)", one part per competency."""
    return "; ".join(
        f"{competency.name_th}: {method.name_th}" + (f" ({period})" if period else "")
        for competency, method, period in items.values()
    )


def save_method(*, name, active=True, order=None, method=None):
    """Add a method to HR's list, or rename, reorder, retire or offer again one."""
    name = clean_text(name or "", max_length=METHOD_LENGTH).strip()
    if not name:
        raise ValidationError(_("Give the method's name."))
    method = method or DevelopmentMethod()
    method.name_th, method.active = name, active
    if order is not None:
        method.order = order
    elif method.pk is None:
        method.order = (
            DevelopmentMethod.objects.order_by("-order").values_list("order", flat=True).first()
            or 0
        ) + 1
    try:
        with transaction.atomic():
            method.save()
    except IntegrityError:
        raise ValidationError(
            _('The list already has a method "%(name)s".') % {"name": name}
        ) from None
    return method
