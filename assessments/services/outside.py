"""People who sign forms without being employees in the portal (the นายก อบต.): the round's
person above the organisation, and those HR names for one person. Each write in one
transaction; bad input changes nothing."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from assessments.models import AssessmentEvent, Cycle
from assessments.services.base import bump_version, locked, record_event
from competency_portal.lib.textguard import clean_text

LENGTH = Cycle._meta.get_field("outside_name").max_length


def _person(name, position, what):
    """(name, position), guarded; a position needs a name."""
    name = clean_text(name or "", max_length=LENGTH).strip()
    position = clean_text(position or "", max_length=LENGTH).strip()
    if position and not name:
        raise ValidationError(_("%(what)s: give the name with the position.") % {"what": what})
    return name, position


@transaction.atomic
def name_round_outside(*, cycle, name, position):
    """The round's person above the organisation (blank: nobody)."""
    name, position = _person(name, position, _("Person above the organisation"))
    Cycle.objects.filter(pk=cycle.pk).update(outside_name=name, outside_position=position)
    cycle.outside_name, cycle.outside_position = name, position
    return cycle


@transaction.atomic
def name_outside_people(
    *,
    assessment,
    by,
    rater_name="",
    rater_position="",
    reviewer_name="",
    reviewer_position="",
    expected_version=None,
):
    """The rater and the next-level supervisor without a login that HR names for one person
    (blank: the round's person above the organisation, where one is needed)."""
    assessment = locked(assessment)
    if assessment.is_finalized:
        raise ValidationError(_("This assessment has been finalised by HR."))
    rater = _person(rater_name, rater_position, _("Rater without a login"))
    reviewer = _person(reviewer_name, reviewer_position, _("Next-level supervisor without a login"))
    if rater[0] and assessment.supervisor_id is not None:
        raise ValidationError(
            _("This person's rater is in the portal: change the rater instead of naming one.")
        )
    if reviewer[0] and assessment.reviewer_id is not None:
        raise ValidationError(_("This person's next-level supervisor is in the portal."))
    before = assessment.rater_name
    bump_version(
        assessment,
        expected_version,
        outside_rater_name=rater[0],
        outside_rater_position=rater[1],
        outside_reviewer_name=reviewer[0],
        outside_reviewer_position=reviewer[1],
    )
    after = assessment.rater_name
    if before != after:
        detail = f"{before or '–'} → {after or '–'}"
        record_event(assessment, by, AssessmentEvent.Action.RATER_CHANGED, detail=detail)
    return assessment
