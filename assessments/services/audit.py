"""The audit trail: `record(...)` appends one AuditEntry. Entries are never changed or
deleted (assessments.models.AuditEntry refuses it)."""

import json

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Count
from django.utils.translation import gettext_noop

from assessments.models import AuditEntry
from competency_portal.lib.addresses import client_address
from competency_portal.lib.audit import portal_text

Action = AuditEntry.Action


def address_of(request):
    """The client's address (behind trusted proxies, as they saw it), or None."""
    return None if request is None else client_address(request)


class Summary(str):
    """An entry's summary in the portal's language (Thai), which remembers its message and
    parameters so that the trail can be read in English too (AuditEntry.summary_text)."""

    def __new__(cls, text, message, params):
        summary = super().__new__(cls, text)
        summary.message = message
        summary.params = params
        return summary


def thai(message, **params):
    """`message` (marked with gettext_noop) in the portal's language, Thai, whatever language
    the person acting reads: the trail is stored the same for everyone."""
    return Summary(portal_text(message, params), message, _json_safe(params))


def _json_safe(value):
    """`detail` as plain JSON values (dates, decimals, model instances become text)."""
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder, default=str))


def json_text(value):
    """`detail` as one line of JSON, Thai letters as they are."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, cls=DjangoJSONEncoder)


def _user(by):
    if by is None or not getattr(by, "is_authenticated", False) or by.pk is None:
        return None
    return by


def record(*, action, by=None, request=None, target="", summary="", detail=None):
    """Append one entry: `by` acted (None: a command or the system), from `request`'s
    address, doing `action` on `target`; `summary` in Thai, `detail` a JSON-able dict."""
    if by is None and request is not None:
        by = getattr(request, "user", None)
    return AuditEntry.objects.create(
        action=action,
        actor=_user(by),
        address=address_of(request),
        target=str(target or "")[:200],
        summary=str(summary or ""),
        summary_message=getattr(summary, "message", ""),
        summary_params=getattr(summary, "params", {}),
        detail=_json_safe(detail or {}),
    )


def record_results_export(cycle, fmt, *, by=None, request=None, file=""):
    """One audit entry per download (or command run) of a round's results."""
    record(
        action=Action.RESULTS_EXPORTED,
        by=by,
        request=request,
        target=cycle.code,
        summary=thai(
            gettext_noop("Results of round %(code)s exported (%(format)s)"),
            code=cycle.code,
            format=fmt.upper(),
        ),
        detail={"cycle": cycle.code, "format": fmt, **({"file": file} if file else {})},
    )


# ---------------------------------------------------------------- signals of the framework app
# framework must not import assessments: it sends framework.signals, these record them
# (connected in assessments/apps.py).


def _framework_target(framework):
    return f"v{framework.version}"


def on_framework_published(sender, framework, by=None, **kwargs):
    record(
        action=Action.FRAMEWORK_PUBLISHED,
        by=by,
        target=_framework_target(framework),
        summary=thai(gettext_noop("Framework version %(v)s published"), v=framework.version),
        detail={"version": framework.version, "organisation": framework.organisation},
    )


def on_framework_imported(sender, framework, by=None, **kwargs):
    counts = {
        "competencies": framework.competencies.count(),
        "indicators": framework.competencies.aggregate(n=Count("levels__indicators"))["n"],
    }
    record(
        action=Action.FRAMEWORK_IMPORTED,
        by=by,
        target=_framework_target(framework),
        summary=thai(
            gettext_noop("Framework imported as draft version %(v)s"), v=framework.version
        ),
        detail={"version": framework.version, **counts},
    )


def on_framework_exported(sender, framework, by=None, format="", request=None, **kwargs):
    record(
        action=Action.FRAMEWORK_EXPORTED,
        by=by,
        request=request,
        target=_framework_target(framework),
        summary=thai(
            gettext_noop("Framework version %(v)s exported (%(format)s)"),
            v=framework.version,
            format=str(format).upper(),
        ),
        detail={"version": framework.version, "format": format},
    )


def connect_framework_signals():
    from framework import signals

    signals.published.connect(on_framework_published, dispatch_uid="audit_framework_published")
    signals.imported.connect(on_framework_imported, dispatch_uid="audit_framework_imported")
    signals.exported.connect(on_framework_exported, dispatch_uid="audit_framework_exported")
