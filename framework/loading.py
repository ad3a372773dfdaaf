"""Loading the seed framework and reference data from fixtures, without overwriting anything.

A row is created only when no row with its natural key exists yet, so loading twice changes
nothing, and an organisation's later edits (new versions, changed expected levels) are kept.
"""

from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core import serializers
from django.db import transaction

SEED_FIXTURES = ("position_classes.json", "framework_v1.json")


@dataclass
class LoadReport:
    created: dict = field(default_factory=dict)
    existing: int = 0

    @property
    def changed(self):
        return bool(self.created)


def fixture_path(name):
    return Path(settings.FIXTURE_DIRS[0]) / name


@transaction.atomic
def load_fixtures(names=SEED_FIXTURES):
    """Create every fixture row that is not in the database yet; return what was created."""
    report = LoadReport()
    for name in names:
        with fixture_path(name).open(encoding="utf-8") as stream:
            for item in serializers.deserialize("json", stream, handle_forward_references=False):
                if item.object.pk is not None:
                    report.existing += 1
                    continue
                item.object.full_clean(validate_unique=False, validate_constraints=False)
                item.save()
                label = item.object._meta.verbose_name_plural
                report.created[label] = report.created.get(label, 0) + 1
    return report
