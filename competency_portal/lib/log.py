"""The portal's logging: one console handler (stderr, which systemd, Docker or gunicorn
collect), the level chosen by DJANGO_LOG_LEVEL (competency_portal/settings.py).

Modules log through `logging.getLogger(__name__)`. A failure that is caught and carried on
from (a form that will not print, a reminder that will not send) is logged with
`logger.exception(...)`, so its traceback is kept; errors in what a user typed or uploaded are
not failures and are shown to the user, not logged.
"""

LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")

# The portal's own code: its records go up to the root logger's console handler.
PROJECT_LOGGERS = ("assessments", "framework", "competency_portal")

# Libraries that report every step at INFO (font subsetting, PDF layout): at INFO, only their
# warnings; any other level applies to them too.
CHATTY_LOGGERS = ("fontTools", "weasyprint")


def logging_config(level):
    """The LOGGING setting for a level name (one of LEVELS)."""
    if level not in LEVELS:
        raise ValueError(f"unknown logging level {level!r}")
    quiet = "WARNING" if level == "INFO" else level
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {
            "plain": {
                "format": "{asctime} {levelname} {name} [pid {process}] {message}",
                "style": "{",
            },
        },
        "handlers": {
            "console": {"class": "logging.StreamHandler", "formatter": "plain"},
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            # No handler of their own: their records reach the console through the root once.
            "django": {"level": level, "propagate": True},
            **{name: {"level": level, "propagate": True} for name in PROJECT_LOGGERS},
            **{name: {"level": quiet, "propagate": True} for name in CHATTY_LOGGERS},
        },
    }
