"""Rounds opened before 0019 scored with the bands then in force (90 / 80 / 70 / 60): they keep
them, whatever the defaults become (services/rounds.fix_bands does it at each opening)."""

from django.db import migrations

THRESHOLDS = ["90", "80", "70", "60"]


def keep_bands(apps, schema_editor):
    Cycle = apps.get_model("assessments", "Cycle")
    Cycle.objects.exclude(status="draft").filter(band_thresholds=[]).update(
        band_thresholds=THRESHOLDS
    )


class Migration(migrations.Migration):
    dependencies = [("assessments", "0019_rounds_choose_their_scoring")]

    operations = [migrations.RunPython(keep_bands, migrations.RunPython.noop)]
