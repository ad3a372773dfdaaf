"""The one way HR imports a file: upload → preview → confirm.

The first POST checks the whole file and shows what importing it would do (nothing is written);
the file is kept on the server (uploads.py, for the HR user who uploaded it) and the
confirmation POST carries only its token, reads it back, checks it again and writes it, all or
nothing. The staff import and the paper-ratings import are two declarations of this flow.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.shortcuts import render
from django.utils.translation import gettext as _

from assessments.hr import uploads
from competency_portal.lib.csvfiles import ImportErrors


@dataclass(frozen=True)
class ImportFlow:
    template: str
    upload_form: Callable  # (request) → the upload form, bound to the POST when there is one
    confirm_form: type  # carries the kept file's token (`upload_token`) and the choices made
    check: Callable  # (content, choices, *, dry_run, by) → report; raises ImportErrors
    carry: Callable  # (token, choices) → the confirm form for the file kept under `token`
    done: Callable  # (request, report) → the response after a successful import
    blank_form: Callable  # (choices) → an empty upload form, after a refused confirmation
    page: Callable = lambda request, confirming: {}  # more of the page's context

    def __call__(self, request):
        if request.method == "POST" and _too_large(request):
            # Refused before the body is read (Django would answer a bare 400 or spool it).
            errors = [_("The file is too large (2 MB at most).")]
            return self._render(
                request, {"form": self.blank_form({}), "errors": errors}, confirming=False
            )
        if request.method == "POST" and "upload_token" in request.POST:
            return self._confirm(request)
        form = self.upload_form(request)
        context = {"form": form}
        if request.method == "POST" and form.is_valid():
            choices = form.cleaned_data
            context.update(self._previewed(request, choices["file"], choices))
        return self._render(request, context, confirming=False)

    def _previewed(self, request, content, choices):
        """{"report", "confirm_form"} of importing `content` (then kept for the confirmation),
        or {"errors"}."""
        try:
            report = self.check(content, choices, dry_run=True, by=None)
        except ImportErrors as errors:
            return {"errors": errors.messages}
        token = uploads.keep(content, request.user)
        return {"report": report, "confirm_form": self.carry(token, choices)}

    def _confirm(self, request):
        confirm_form = self.confirm_form(request.POST)
        if not confirm_form.is_valid():
            errors = [error for field in confirm_form.errors.values() for error in field]
            context = {"form": self.blank_form({}), "errors": errors}
            return self._render(request, context, confirming=True)
        choices = confirm_form.cleaned_data
        content = uploads.take(choices["upload_token"], request.user)
        if content is None:
            errors = [_("The file was lost on the way. Upload it again.")]
            context = {"form": self.blank_form(choices), "errors": errors}
            return self._render(request, context, confirming=True)
        try:
            report = self.check(content, choices, dry_run=False, by=request.user)
        except ImportErrors as errors:
            context = {"form": self.blank_form(choices), "errors": errors.messages}
            return self._render(request, context, confirming=True)
        return self.done(request, report)

    def _render(self, request, context, *, confirming):
        return render(request, self.template, {**context, **self.page(request, confirming)})


def _too_large(request):
    """Whether the request is bigger than any upload the imports accept (the file's limit,
    MAX_UPLOAD_BYTES, plus the margin of DATA_UPLOAD_MAX_MEMORY_SIZE)."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return False
    return length > settings.DATA_UPLOAD_MAX_MEMORY_SIZE
