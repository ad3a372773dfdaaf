"""HR's list of development methods (อบรม, สอนงาน, …) that a development plan may name: add one,
rename it, retire it or offer it again. A method never disappears from the plans that name it."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from assessments.models import DevelopmentMethod
from assessments.services import plans
from assessments.views.common import flash_errors
from competency_portal.lib.textguard import whole_number


def development_methods(request):
    if request.method == "POST":
        return _save(request)
    return render(
        request,
        "assessments/development_methods.html",
        {"methods": DevelopmentMethod.objects.all(), "max_length": plans.METHOD_LENGTH},
    )


def _save(request):
    pk = whole_number(request.POST.get("method"))
    method = get_object_or_404(DevelopmentMethod, pk=pk) if pk is not None else None
    try:
        saved = plans.save_method(
            name=request.POST.get("name_th", ""),
            active=request.POST.get("active") == "on" if method else True,
            method=method,
        )
    except ValidationError as error:
        flash_errors(request, error)
    else:
        messages.success(request, _('"%(name)s" was saved.') % {"name": saved.name_th})
    return redirect("assessments:development_methods")
