"""Reminders are sent by a background task: each has a delivery state (queued, sent, failed),
its tries, the next try and the last failure. Reminders recorded before were sent (or so the
portal believed): they become `sent`, queued at the time they were recorded. The once-a-day
rule counts queued and sent reminders only, so a failed one may be sent again the same day."""

import django.utils.timezone
from django.db import migrations, models
from django.db.models import F


def earlier_reminders_were_sent(apps, schema_editor):
    Reminder = apps.get_model("assessments", "Reminder")
    Reminder.objects.update(status="sent", queued_at=F("sent_at"), attempts=1)


def unsent_reminders_go(apps, schema_editor):
    """Back to the old schema, which knew sent reminders only."""
    Reminder = apps.get_model("assessments", "Reminder")
    Reminder.objects.exclude(status="sent").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0010_task_leases"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="reminder", name="reminder_once_a_day"),
        migrations.AddField(
            model_name="reminder",
            name="status",
            field=models.CharField(
                choices=[
                    ("queued", "waiting to be sent"),
                    ("sent", "sent"),
                    ("failed", "not sent"),
                ],
                default="queued",
                max_length=10,
            ),
        ),
        migrations.AddField(
            model_name="reminder",
            name="queued_at",
            field=models.DateTimeField(default=django.utils.timezone.now),
        ),
        migrations.AddField(
            model_name="reminder",
            name="attempts",
            field=models.PositiveSmallIntegerField(default=0),
        ),
        migrations.AddField(
            model_name="reminder",
            name="next_try_at",
            field=models.DateTimeField(default=django.utils.timezone.now),
        ),
        migrations.AddField(
            model_name="reminder",
            name="claimed_until",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="reminder",
            name="error",
            field=models.CharField(
                blank=True,
                choices=[
                    ("connect", "cannot connect to the mail server"),
                    ("timeout", "the mail server did not answer in time"),
                    ("login", "the mail server refused the login"),
                    ("refused", "the mail server refused the message"),
                    ("worker", "the background worker stopped while sending"),
                ],
                max_length=10,
            ),
        ),
        migrations.AddField(
            model_name="reminder",
            name="last_error",
            field=models.CharField(blank=True, max_length=200),
        ),
        migrations.RunPython(earlier_reminders_were_sent, migrations.RunPython.noop),
        migrations.RunPython(migrations.RunPython.noop, unsent_reminders_go),
        migrations.AlterField(
            model_name="reminder",
            name="sent_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AlterModelOptions(name="reminder", options={"ordering": ["-queued_at"]}),
        migrations.AddConstraint(
            model_name="reminder",
            constraint=models.UniqueConstraint(
                condition=models.Q(("status__in", ["queued", "sent"])),
                fields=("employee", "sent_on"),
                name="reminder_once_a_day",
            ),
        ),
    ]
