"""The assessments app; after migrating, it makes sure the `hr` group exists."""

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

HR_APPS = ("assessments", "framework")


def ensure_hr_group(using="default", **kwargs):
    """The `hr` group exists on every installation, with every permission of our two apps."""
    from django.contrib.auth.models import Group, Permission

    from framework.permissions import HR_GROUP

    group, _created = Group.objects.using(using).get_or_create(name=HR_GROUP)
    group.permissions.add(
        *Permission.objects.using(using).filter(content_type__app_label__in=HR_APPS)
    )


class AssessmentsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "assessments"
    verbose_name = _("Assessments")

    def ready(self):
        post_migrate.connect(ensure_hr_group, sender=self)
        from assessments.services import audit

        audit.connect_framework_signals()
        from assessments import tasks  # noqa: F401  (names what to do when a worker is lost)
        from competency_portal import (
            accounts,  # noqa: F401  (registers the login signal)
            checks,  # noqa: F401  (registers the portal's checks)
        )
