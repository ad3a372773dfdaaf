"""The framework page that everyone signed in reads: the published version."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from competency_portal.lib.textguard import whole_number
from framework import selectors


@login_required
def framework_detail(request):
    """The framework as people rate with it now; `?version=N` shows another published or
    retired version, and a newer published one is pointed to."""
    published = selectors.published_framework()
    in_use = selectors.framework_in_use(published=published)
    framework = in_use
    asked = whole_number(request.GET.get("version"))
    if asked is not None:
        framework = selectors.shown_version(asked) or in_use
    competencies = selectors.competency_tree(framework) if framework else []
    grid = selectors.expected_level_grid(framework, competencies) if framework else []
    context = {
        "framework": framework,
        "competencies": competencies,
        "expected_grid": grid,
        "in_use": in_use,
        "newer": published if published and in_use and published.pk != in_use.pk else None,
    }
    return render(request, "framework/detail.html", context)
