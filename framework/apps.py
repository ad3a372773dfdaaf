"""The framework app's configuration."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FrameworkConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "framework"
    verbose_name = _("Competency framework")
