"""HR's round dashboard: counts per stage and division, who still has to act, reminders."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from assessments.models import Cycle, Reminder
from assessments.selectors import dashboard
from assessments.selectors import rating as selectors
from assessments.services import reminders
from competency_portal.lib.textguard import whole_number
from competency_portal.lib.thai import thai_digits

# a page of a long list: the whole round's lists made a 2 MB page at 1,000 people
PER_PAGE = 50


def round_dashboard(request):
    """Counts per stage and division, the people still to act, reminders by email (queued
    here, sent in the background: the page never waits for the mail server)."""
    cycle = _dashboard_cycle(request)
    if cycle is None:
        return render(request, "assessments/dashboard.html", {"cycle": None})
    department = request.GET.get("department", "")
    step = request.GET.get("step", "")
    sort = request.GET.get("sort", "department")
    data = dashboard.dashboard(cycle, department, step, sort)
    if request.method == "POST":
        report = reminders.send_reminders(cycle=cycle, to_act=data.to_act, by=request.user)
        _report_reminders(request, report)
        return redirect(request.get_full_path())
    results_page = pager(request, data.result_ids, "results_page")
    context = {
        "cycle": cycle,
        "data": data,
        "results_page": results_page,
        "page_results": dashboard.results_for(cycle, results_page.object_list),
        "to_act_page": pager(request, data.to_act, "page"),
        "cycles": Cycle.objects.exclude(status=Cycle.Status.DRAFT).order_by(
            "-fiscal_year", "-round"
        ),
        "department": department,
        "step": step,
        "sort": sort,
        "steps": Reminder.Step.choices,
        "now": timezone.now(),  # a reminder's next try is shown while it is still ahead
    }
    return render(request, "assessments/dashboard.html", context)


def pager(request, rows, param):
    """Page `param` of `rows` (PER_PAGE a page), with the links to the pages on either side
    that keep the other parameters (filters, sorting, the other list's page)."""
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get(param))
    query = request.GET.copy()
    for name, number in (
        ("previous_link", page.previous_page_number() if page.has_previous() else None),
        ("next_link", page.next_page_number() if page.has_next() else None),
    ):
        if number is not None:
            query[param] = number
            setattr(page, name, f"?{query.urlencode()}")
    return page


@require_POST
def reminders_retry(request, pk):
    """Queue again the round's reminders that failed or still wait."""
    cycle = get_object_or_404(Cycle, pk=pk)
    report = reminders.retry_reminders(cycle=cycle, by=request.user)
    _report_reminders(request, report)
    return redirect(reverse("assessments:dashboard") + f"?cycle={cycle.pk}")


def _dashboard_cycle(request):
    pk = whole_number(request.GET.get("cycle"))
    if pk is not None:
        return get_object_or_404(Cycle, pk=pk)
    return selectors.open_cycle() or Cycle.objects.exclude(status=Cycle.Status.DRAFT).first()


def _report_reminders(request, report):
    if report.queued:
        messages.success(
            request,
            _(
                "Queued %(count)s reminders (%(names)s); they are sent in the background. "
                "Any that cannot be sent are listed on this page with the reason."
            )
            % {"count": thai_digits(len(report.queued)), "names": ", ".join(report.queued)},
        )
    if report.already_today:
        messages.info(
            request,
            _("Already reminded today or waiting to be sent, not queued again: %(names)s")
            % {"names": ", ".join(report.already_today)},
        )
    if report.no_email:
        messages.warning(
            request,
            _("No email address, not reminded: %(names)s") % {"names": ", ".join(report.no_email)},
        )
    if not (report.queued or report.already_today or report.no_email):
        messages.info(request, _("Nobody in the list to remind."))
