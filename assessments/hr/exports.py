"""Downloads for HR: a round's results as CSV or as an Excel workbook, and the page that
offers them with the choice of submitted ratings only."""

from django import forms
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext_lazy as _

from assessments.exports import results as results_export
from assessments.models import Cycle
from assessments.services import audit
from competency_portal.lib.downloads import download
from competency_portal.lib.textguard import GuardedForm


class ResultsExportForm(GuardedForm):
    """`?submitted_only=1`: leave out the tracks not submitted yet (unticked: everything)."""

    submitted_only = forms.BooleanField(
        label=_("Submitted ratings only"),
        required=False,
        help_text=_(
            "Levels, points and scores only where the supervisor has submitted the rating "
            "(and the self-assessed level only where the self-assessment is submitted); a "
            "draft, even completely rated, gives empty cells. Unticked: every rating saved."
        ),
    )

    def chosen(self):
        return self.is_valid() and self.cleaned_data["submitted_only"]


def _cycle(cycle_pk):
    return get_object_or_404(Cycle.objects.select_related("framework"), pk=cycle_pk)


def results(request, cycle_pk, fmt):
    if fmt not in results_export.FORMATS:
        raise Http404
    cycle = _cycle(cycle_pk)
    submitted_only = ResultsExportForm(request.GET).chosen()
    content, content_type, name = results_export.export(cycle, fmt, submitted_only)
    audit.record_results_export(cycle, fmt, request=request)
    return download(content, name, content_type)


def results_page(request, cycle_pk):
    """The round's results export: CSV or Excel, everything or submitted ratings only."""
    cycle = _cycle(cycle_pk)
    form = ResultsExportForm(request.GET or None)
    return render(
        request,
        "exports/results.html",
        {"cycle": cycle, "form": form, "columns": results_export.COLUMNS},
    )
