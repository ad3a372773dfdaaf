"""The framework page that everyone signed in reads: the published version."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from framework import selectors


@login_required
def framework_detail(request):
    framework = selectors.published_framework()
    competencies = selectors.competency_tree(framework) if framework else []
    grid = selectors.expected_level_grid(framework, competencies) if framework else []
    return render(
        request,
        "framework/detail.html",
        {"framework": framework, "competencies": competencies, "expected_grid": grid},
    )
