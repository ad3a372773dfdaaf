"""HR's view of the audit trail (assessments/services/audit.py): newest first, 50 a page,
filtered by action, person (part of the username) and dates; the filtered list as CSV."""

import datetime

from django import forms
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from assessments.models import AuditEntry
from assessments.services import audit
from competency_portal.lib.csvfiles import csv_text
from competency_portal.lib.downloads import CSV_TYPE, download
from competency_portal.lib.textguard import GuardedForm

PER_PAGE = 50
CSV_HEADER = [
    "at",
    "username",
    "actor",
    "address",
    "action",
    "action_label",
    "target",
    "summary",
    "detail",
]


class AuditFilterForm(GuardedForm):
    action = forms.ChoiceField(
        label=_("Action"),
        choices=[("", _("All actions")), *AuditEntry.Action.choices],
        required=False,
    )
    person = forms.CharField(label=_("Username contains"), required=False, max_length=150)
    date_from = forms.DateField(
        label=_("From"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    date_to = forms.DateField(
        label=_("To"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def entries(self):
        """The entries these filters select (all of them when the input is not valid)."""
        found = AuditEntry.objects.select_related("actor").order_by("-at", "-pk")
        if not self.is_valid():
            return found
        data = self.cleaned_data
        if data["action"]:
            found = found.filter(action=data["action"])
        if data["person"]:
            found = found.filter(actor__username__icontains=data["person"])
        if data["date_from"]:
            found = found.filter(at__gte=_day_start(data["date_from"]))
        if data["date_to"]:
            found = found.filter(at__lt=_day_start(data["date_to"] + datetime.timedelta(days=1)))
        return found


def _day_start(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def audit_log(request):
    form = AuditFilterForm(request.GET or None)
    page = Paginator(form.entries(), PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "query": query.urlencode()}
    return render(request, "assessments/audit.html", context)


def csv_rows(entries):
    yield CSV_HEADER
    for entry in entries:
        yield [
            timezone.localtime(entry.at).isoformat(timespec="seconds"),
            entry.actor.username if entry.actor_id else "",
            str(entry.actor_name),
            entry.address or "",
            entry.action,
            entry.get_action_display(),
            entry.target,
            entry.summary,
            audit.json_text(entry.detail),
        ]


def audit_csv(request):
    form = AuditFilterForm(request.GET or None)
    entries = list(form.entries())
    content = csv_text(csv_rows(entries))
    audit.record(
        action=AuditEntry.Action.AUDIT_EXPORTED,
        by=request.user,
        request=request,
        summary=audit.thai(gettext_noop("Audit trail downloaded: %(n)s entries"), n=len(entries)),
        detail={"entries": len(entries), "filters": _filters(form)},
    )
    return download(content, "audit.csv", CSV_TYPE)


def _filters(form):
    if not form.is_valid():
        return {}
    return {key: value for key, value in form.cleaned_data.items() if value}
