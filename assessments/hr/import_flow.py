"""The one way HR imports a file: upload → preview → confirm.

The first POST checks the whole file and shows what importing it would do (nothing is written);
the confirmation POST carries the checked file back, checks it again and writes it, all or
nothing. The staff import and the paper-ratings import are two declarations of this flow.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.shortcuts import render

from competency_portal.lib.csvfiles import ImportErrors


@dataclass(frozen=True)
class ImportFlow:
    template: str
    upload_form: Callable  # (request) → the upload form, bound to the POST when there is one
    confirm_form: type  # carries the checked file (`csv_data`) and the choices made
    check: Callable  # (content, choices, *, dry_run, by) → report; raises ImportErrors
    carry: Callable  # (content, choices) → the confirm form for this file
    done: Callable  # (request, report) → the response after a successful import
    blank_form: Callable  # (choices) → an empty upload form, after a refused confirmation
    page: Callable = lambda request, confirming: {}  # more of the page's context

    def __call__(self, request):
        if request.method == "POST" and "csv_data" in request.POST:
            return self._confirm(request)
        form = self.upload_form(request)
        context = {"form": form}
        if request.method == "POST" and form.is_valid():
            choices = form.cleaned_data
            context.update(self._checked(choices["file"], choices, dry_run=True))
        return self._render(request, context, confirming=False)

    def _checked(self, content, choices, *, dry_run, by=None):
        """{"report", "confirm_form"} of importing `content`, or {"errors"}."""
        try:
            report = self.check(content, choices, dry_run=dry_run, by=by)
        except ImportErrors as errors:
            return {"errors": errors.messages}
        return {"report": report, "confirm_form": self.carry(content, choices)}

    def _confirm(self, request):
        confirm_form = self.confirm_form(request.POST)
        if not confirm_form.is_valid():
            errors = [error for field in confirm_form.errors.values() for error in field]
            context = {"form": self.blank_form({}), "errors": errors}
            return self._render(request, context, confirming=True)
        choices = confirm_form.cleaned_data
        result = self._checked(choices["csv_data"], choices, dry_run=False, by=request.user)
        if "errors" in result:
            context = {"form": self.blank_form(choices), **result}
            return self._render(request, context, confirming=True)
        return self.done(request, result["report"])

    def _render(self, request, context, *, confirming):
        return render(request, self.template, {**context, **self.page(request, confirming)})
