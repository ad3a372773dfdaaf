"""How a round scores (issue 15): the competency method, the competencies' weights (for the
rating method), the competency part's weight in the total and the bands' thresholds. Chosen
while the round is not opened yet; from its opening they are fixed, so that the results of a
round never change (docs/appraisal-rules.md)."""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from assessments.models import Cycle
from assessments.selectors.results import DEFAULT_THRESHOLDS
from competency_portal.lib.thai import thai_digits

BAND_COUNT = len(DEFAULT_THRESHOLDS)  # ดีเด่น, ดีมาก, ดี, พอใช้ (below them: ต้องปรับปรุง)


@transaction.atomic
def set_scoring(*, cycle, method, competency_weight, weights=None, thresholds=None, framework):
    """Store how `cycle` scores. `weights` {competency code: percent} count for Method.RATING
    only, and must name exactly the competencies of `framework` (the version the round will
    use) and total 100; `thresholds` are the lowest totals of the four upper bands, highest
    first (empty: the defaults). Refused once the round is open."""
    cycle = Cycle.objects.select_for_update().get(pk=cycle.pk)
    if cycle.status != Cycle.Status.DRAFT:
        raise ValidationError(
            _("The scoring of round %(code)s was fixed when it opened: its results never change.")
            % {"code": cycle.code}
        )
    if method not in Cycle.Method.values:
        raise ValidationError(_("There is no scoring method %(method)s.") % {"method": method})
    cycle.method = method
    cycle.competency_weight = percent(competency_weight, _("The weight of competencies"))
    codes = list(framework.competencies.order_by("order", "code").values_list("code", flat=True))
    cycle.competency_weights = (
        checked_weights(weights or {}, codes) if method == Cycle.Method.RATING else {}
    )
    cycle.band_thresholds = [format(t, "f") for t in checked_thresholds(thresholds or [])]
    cycle.save(
        update_fields=["method", "competency_weight", "competency_weights", "band_thresholds"]
    )
    return cycle


def check_ready(cycle, framework):
    """Refuse to open a round whose weights do not fit the framework version it pins."""
    if cycle.method != Cycle.Method.RATING:
        return
    codes = list(framework.competencies.values_list("code", flat=True))
    checked_weights(cycle.competency_weights, codes)


def fix_bands(cycle):
    """A round opened with the default bands keeps them, whatever the defaults become."""
    if not cycle.band_thresholds:
        cycle.band_thresholds = [format(t, "f") for t in DEFAULT_THRESHOLDS]


def percent(value, what):
    """A percentage 0–100 with at most two decimals, or a ValidationError naming `what`."""
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite() or not 0 <= number <= 100:
        raise ValidationError(
            _("%(what)s must be a percentage from 0 to 100, not %(value)s.")
            % {"what": what, "value": str(value)[:20]}
        )
    if number != number.quantize(Decimal("0.01")):
        raise ValidationError(_("%(what)s may have two decimal places at most.") % {"what": what})
    return Decimal(format(number.quantize(Decimal("0.01")).normalize(), "f"))  # "1e2" as 100


def checked_weights(weights, codes):
    """{code: weight} for exactly these competency codes, totalling 100."""
    unknown = sorted(set(weights) - set(codes))
    missing = [code for code in codes if code not in weights]
    if unknown or missing:
        raise ValidationError(
            _(
                "Give a weight to each competency of the framework (%(codes)s), and to no other: "
                "missing %(missing)s, unknown %(unknown)s."
            )
            % {
                "codes": ", ".join(codes),
                "missing": ", ".join(missing) or "–",
                "unknown": ", ".join(unknown) or "–",
            }
        )
    checked = {
        code: percent(weights[code], _("The weight of %(code)s") % {"code": code}) for code in codes
    }
    total = sum(checked.values())
    if total != 100:
        raise ValidationError(
            _("The weights of the competencies total %(total)s %%; they must total 100 %%.")
            % {"total": thai_digits(format(total.normalize(), "f"))}
        )
    return {code: format(weight, "f") for code, weight in checked.items()}


def checked_thresholds(thresholds):
    """The four lowest totals of the upper bands, each 0–100, highest first; [] keeps the
    defaults."""
    if not thresholds:
        return []
    numbers = [percent(value, _("A band's lowest total")) for value in thresholds]
    if (
        len(numbers) != BAND_COUNT
        or numbers[-1] <= 0  # ต้องปรับปรุง needs room below the lowest
        or any(low >= high for high, low in zip(numbers, numbers[1:], strict=False))
    ):
        raise ValidationError(
            _(
                "Give the lowest totals of the bands excellent, very good, good and fair, "
                "highest first, such as 90, 80, 70, 60."
            )
        )
    return numbers
