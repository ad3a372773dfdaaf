"""The framework editor for HR: versions, a draft's parts, publishing, history, diff.

Views parse input, call framework/services.py, render. Only HR may open any of them.
"""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from competency_portal.lib.downloads import download
from competency_portal.lib.textguard import whole_number
from competency_portal.lib.thai import thai_digits
from framework import diff, exchange, selectors, services, signals, source_slips
from framework.editor import forms as editor_forms
from framework.models import Competency, ExpectedLevel, Framework, PositionClass


def _version(version):
    return get_object_or_404(Framework, organisation=settings.PORTAL_ORGANISATION, version=version)


def _errors(request, error):
    for text in error.messages:
        messages.error(request, text)


def version_url(framework):
    return reverse("framework:version", args=[framework.version])


def version_list(request):
    versions = Framework.objects.filter(organisation=settings.PORTAL_ORGANISATION).order_by(
        "-version"
    )
    return render(
        request,
        "framework/editor/versions.html",
        {"versions": versions, "has_draft": any(v.is_editable for v in versions)},
    )


@require_POST
def version_new(request):
    try:
        draft = services.new_version(organisation=settings.PORTAL_ORGANISATION, by=request.user)
    except ValidationError as error:
        _errors(request, error)
        return redirect("framework:versions")
    messages.success(
        request,
        _("Version %(v)s is a draft: edit it, then publish it.")
        % {"v": thai_digits(draft.version)},
    )
    return redirect(version_url(draft))


def version_detail(request, version):
    framework = _version(version)
    form = editor_forms.SettingsForm(
        request.POST or None,
        initial={"name": framework.name, "required_share": framework.required_share},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_settings(framework=framework, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            _errors(request, error)
        else:
            messages.success(request, _("Saved."))
            return redirect(version_url(framework))
    context = {
        "framework": framework,
        "form": form,
        "competencies": framework.competencies.order_by("order", "code"),
        "scale": framework.scale_points.all(),
        "problems": services.publish_problems(framework) if framework.is_editable else [],
        "events": framework.events.select_related("actor"),
        "slips": source_slips.slips_in(framework),
    }
    return render(request, "framework/editor/version.html", context)


@require_POST
def version_publish(request, version):
    framework = _version(version)
    try:
        services.publish(framework=framework, by=request.user)
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(
            request,
            _("Version %(v)s is published. New rounds use it; earlier rounds keep theirs.")
            % {"v": thai_digits(framework.version)},
        )
    return redirect(version_url(framework))


@require_POST
def version_discard(request, version):
    framework = _version(version)
    try:
        services.discard_draft(framework=framework, by=request.user)
    except ValidationError as error:
        _errors(request, error)
        return redirect(version_url(framework))
    messages.success(request, _("The draft was discarded."))
    return redirect("framework:versions")


def competency_edit(request, version, pk=None):
    framework = _version(version)
    competency = None
    if pk is not None:
        competency = get_object_or_404(
            Competency.objects.prefetch_related("levels__indicators"), framework=framework, pk=pk
        )
    initial = (
        {f: getattr(competency, f) for f in ("code", "name_th", "name_en", "definition")}
        if competency
        else {}
    )
    form = editor_forms.CompetencyForm(request.POST or None, initial=initial)
    levels = editor_forms.level_forms(request.POST or None, competency)
    if request.method == "POST":
        saved = _save_competency(request, framework, competency, form, levels)
        if saved:
            return redirect(version_url(framework))
    return render(
        request,
        "framework/editor/competency.html",
        {"framework": framework, "competency": competency, "form": form, "levels": levels},
    )


def _save_competency(request, framework, competency, form, levels):
    valid = form.is_valid() & all(t.is_valid() & f.is_valid() for _n, t, f in levels)
    if not valid:
        messages.error(request, _("Check the fields marked below."))
        return None
    try:
        saved = services.save_competency(
            framework=framework,
            by=request.user,
            code=form.cleaned_data["code"],
            data=editor_forms.competency_data(form, levels),
            competency=competency,
        )
    except ValidationError as error:
        _errors(request, error)
        return None
    messages.success(request, _("%(name)s was saved.") % {"name": saved.name_th})
    return saved


@require_POST
def competency_delete(request, version, pk):
    framework = _version(version)
    competency = get_object_or_404(Competency, framework=framework, pk=pk)
    try:
        services.delete_competency(framework=framework, by=request.user, competency=competency)
    except ValidationError as error:
        _errors(request, error)
    return redirect(version_url(framework))


@require_POST
def competency_move(request, version, pk, direction):
    framework = _version(version)
    competency = get_object_or_404(Competency, framework=framework, pk=pk)
    step = -1 if direction == "up" else 1
    try:
        services.move_competency(
            framework=framework, by=request.user, competency=competency, step=step
        )
    except ValidationError as error:
        _errors(request, error)
    return redirect(version_url(framework))


def scale_edit(request, version):
    framework = _version(version)
    initial = [
        {
            "value": p.value,
            "label_th": p.label_th,
            "label_en": p.label_en,
            "demonstrated": p.demonstrated,
        }
        for p in framework.scale_points.all()
    ]
    formset = editor_forms.ScaleFormSet(request.POST or None, initial=initial, prefix="scale")
    if request.method == "POST" and formset.is_valid():
        points = [
            (
                f.cleaned_data["value"],
                f.cleaned_data["label_th"],
                f.cleaned_data["label_en"],
                f.cleaned_data["demonstrated"],
            )
            for f in formset.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE")
        ]
        try:
            services.save_scale(framework=framework, by=request.user, points=points)
        except ValidationError as error:
            _errors(request, error)
        else:
            messages.success(request, _("The rating scale was saved."))
            return redirect(version_url(framework))
    return render(
        request, "framework/editor/scale.html", {"framework": framework, "formset": formset}
    )


def expected_edit(request, version):
    framework = _version(version)
    competencies = list(framework.competencies.order_by("order", "code"))
    classes = list(PositionClass.objects.all())
    if request.method == "POST":
        try:
            grid = _parse_grid(request.POST, competencies, classes)
            services.save_expected_levels(framework=framework, by=request.user, grid=grid)
        except ValidationError as error:
            _errors(request, error)
        else:
            messages.success(request, _("The expected levels were saved."))
            return redirect(version_url(framework))
    cells = {
        (e.competency_id, e.position_class_id): e.level
        for e in ExpectedLevel.objects.filter(competency__framework=framework)
    }
    rows = [(pc, [(c, cells.get((c.pk, pc.pk))) for c in competencies]) for pc in classes]
    return render(
        request,
        "framework/editor/expected.html",
        {"framework": framework, "competencies": competencies, "rows": rows, "levels": range(6)},
    )


def _parse_grid(post, competencies, classes):
    grid = {}
    for competency in competencies:
        for position_class in classes:
            level = whole_number(post.get(f"e-{competency.pk}-{position_class.pk}"))
            if level is None:
                raise ValidationError(
                    _("Set every expected level (a whole number from 0 to 5) before saving.")
                )
            grid[(competency.pk, position_class.pk)] = level
    return grid


def version_diff(request, version):
    framework = _version(version)
    other = selectors.published_framework()
    if other is None or other.pk == framework.pk:
        other = (
            Framework.objects.filter(
                organisation=framework.organisation, version__lt=framework.version
            )
            .order_by("-version")
            .first()
        )
    against = whole_number(request.GET.get("against"))
    if against is not None:
        other = _version(against)
    changes = diff.compare(other, framework) if other and other.pk != framework.pk else None
    return render(
        request,
        "framework/editor/diff.html",
        {"framework": framework, "other": other, "changes": changes},
    )


def version_export(request, version, kind="json"):
    """The whole version as JSON (for import_framework) or a flat CSV for a spreadsheet."""
    framework = _version(version)
    if kind == "csv":
        body, content_type = exchange.export_csv(framework), "text/csv; charset=utf-8"
    else:
        body, content_type = exchange.export_json(framework), "application/json; charset=utf-8"
    signals.exported.send(
        sender=Framework, framework=framework, by=request.user, format=kind, request=request
    )
    return download(body, f"framework-v{framework.version}.{kind}", content_type)


def version_import(request):
    """A JSON file in the export format becomes a new draft version (all or nothing)."""
    form = editor_forms.ImportForm(request.POST or None, request.FILES or None)
    problems = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > MAX_IMPORT_BYTES:
            problems = [_("The file is too large (2 MB at most).")]
        else:
            try:
                draft = exchange.import_json(
                    upload.read().decode("utf-8-sig", errors="strict"), by=request.user
                )
            except UnicodeDecodeError:
                problems = [_("The file is not UTF-8 text.")]
            except ValidationError as error:
                problems = error.messages
            else:
                messages.success(
                    request,
                    _("Imported as draft version %(v)s.") % {"v": thai_digits(draft.version)},
                )
                return redirect(version_url(draft))
    return render(request, "framework/editor/import.html", {"form": form, "problems": problems})


MAX_IMPORT_BYTES = 2 * 1024 * 1024
