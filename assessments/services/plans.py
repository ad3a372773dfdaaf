"""The development plan's choices (a method and a period per competency below expectation), and
HR's list of methods. Each write in one transaction; bad input changes nothing."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from assessments.models import DevelopmentMethod, DevelopmentPlanItem
from competency_portal.lib.textguard import clean_text

PERIOD_LENGTH = DevelopmentPlanItem._meta.get_field("period").max_length
METHOD_LENGTH = DevelopmentMethod._meta.get_field("name_th").max_length


@transaction.atomic
def save_development_plan(*, assessment, by, choices, competencies):
    """Set the plan of `assessment`: `choices` is {competency id: (method id or "", period)}
    for the competencies of its plan (`competencies`, {id: competency}); a competency without
    a method has no plan item. Refused whole when the assessment is finalised, a competency
    is not in the plan, or a method is not offered."""
    if assessment.is_finalized:
        raise ValidationError(_("This assessment has been finalised by HR."))
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
                problems.append(
                    _("%(name)s: choose a method for the period given.")
                    % {"name": competency.name_th}
                )
            continue
        method = offered.get(_number(method_id))
        if method is None:
            problems.append(
                _("%(name)s: choose a method from the list.") % {"name": competency.name_th}
            )
            continue
        items[competency.pk] = (method, period)
    if problems:
        raise ValidationError(problems)
    DevelopmentPlanItem.objects.filter(assessment=assessment).exclude(
        competency_id__in=items
    ).delete()
    for competency_id, (method, period) in items.items():
        DevelopmentPlanItem.objects.update_or_create(
            assessment=assessment,
            competency_id=competency_id,
            defaults={"method": method, "period": period, "updated_by": by},
        )


def _number(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


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
