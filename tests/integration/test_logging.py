"""Logging: the level comes from DJANGO_LOG_LEVEL, and a failure that is caught and carried on
from (a form in a batch print, a reminder the mail server refuses) is logged with its
traceback."""

import logging
import socket

import pytest
from django.core.exceptions import ImproperlyConfigured

from assessments.models import Assessment, PrintJob, Reminder
from assessments.selectors.dashboard import dashboard
from assessments.services.printing import request_batch_print
from assessments.services.reminders import retry_reminders, send_reminders
from competency_portal.lib.log import logging_config
from competency_portal.settings import env_log_level


@pytest.mark.parametrize(
    ("raw", "level"),
    [
        (None, "INFO"),
        ("", "INFO"),
        ("debug", "DEBUG"),
        (" Warning ", "WARNING"),
        ("ERROR", "ERROR"),
    ],
)
def test_the_log_level_follows_django_log_level(monkeypatch, raw, level):
    if raw is None:
        monkeypatch.delenv("DJANGO_LOG_LEVEL", raising=False)
    else:
        monkeypatch.setenv("DJANGO_LOG_LEVEL", raw)

    config = logging_config(env_log_level("DJANGO_LOG_LEVEL"))

    assert config["root"] == {"handlers": ["console"], "level": level}
    for name in ("django", "assessments", "framework", "competency_portal"):
        assert config["loggers"][name]["level"] == level


@pytest.mark.parametrize("raw", ["loud", "2", "INFO,DEBUG"])
def test_a_log_level_that_is_no_level_stops_the_portal_from_starting(monkeypatch, raw):
    monkeypatch.setenv("DJANGO_LOG_LEVEL", raw)

    with pytest.raises(ImproperlyConfigured, match="DJANGO_LOG_LEVEL must be one of"):
        env_log_level("DJANGO_LOG_LEVEL")


def test_pdf_libraries_say_only_their_warnings_at_info_but_everything_at_debug():
    assert logging_config("INFO")["loggers"]["fontTools"]["level"] == "WARNING"
    assert logging_config("DEBUG")["loggers"]["weasyprint"]["level"] == "DEBUG"
    assert logging_config("ERROR")["loggers"]["weasyprint"]["level"] == "ERROR"


def test_a_form_that_fails_in_a_batch_print_is_logged_with_its_traceback_and_the_batch_goes_on(
    round_open, settings, tmp_path, caplog, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    settings.PRINT_WORKERS = 1
    cast = round_open
    # Damaged data (expected levels stored as a list) makes malee's form fail to build.
    Assessment.objects.filter(pk=cast.malee_assessment.pk).update(expected_levels=[])

    with caplog.at_level(logging.INFO), django_capture_on_commit_callbacks(execute=True):
        request_batch_print(cycle=cast.cycle, by=cast.hr, department="กองคลัง")

    job = PrintJob.objects.get()
    assert (job.status, job.done, job.total) == ("done", 3, 3)
    assert [name for name, _reason in job.failed] == ["นายมาลี ทดสอบ"]
    failures = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert len(failures) == 1
    assert failures[0].name == "assessments.reports.batch"
    assert "นายมาลี ทดสอบ" in failures[0].getMessage()
    assert failures[0].exc_info is not None and failures[0].exc_info[0] is AttributeError
    summary = [r for r in caplog.records if r.name == "assessments.services.printing"]
    assert [r.getMessage() for r in summary] == [
        f"Batch print {job.pk} of round 2569-1: 2 forms printed, 1 failed"
    ]


def closed_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_reminders_the_mail_server_refuses_are_logged_and_may_be_sent_again(
    round_open, settings, caplog, mailoutbox, django_capture_on_commit_callbacks
):
    cast = round_open
    cast.somchai.email = "somchai@example.org"
    cast.somchai.save()
    to_act = [row for row in dashboard(cast.cycle).to_act if row.actor == cast.somchai]
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", closed_port(), 5

    with django_capture_on_commit_callbacks(execute=True):  # the task runs at once (tests)
        report = send_reminders(cycle=cast.cycle, to_act=to_act, by=cast.hr)

    assert report.queued == ["นายสมชาย ทดสอบ"]
    reminder = Reminder.objects.get()
    assert (reminder.status, reminder.sent_at, reminder.error) == ("queued", None, "connect")
    failures = [
        r for r in caplog.records if r.name == "assessments.services.reminders" and r.exc_info
    ]
    assert len(failures) == 1 and failures[0].levelno == logging.WARNING
    assert issubclass(failures[0].exc_info[0], OSError)

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with django_capture_on_commit_callbacks(execute=True):
        report = retry_reminders(cycle=cast.cycle, by=cast.hr)

    assert report.queued == ["นายสมชาย ทดสอบ"]
    assert [m.to for m in mailoutbox] == [["somchai@example.org"]]
    assert Reminder.objects.get(employee=cast.somchai).status == "sent"
