"""What runs in a printing process. Imports nothing of the models at module level: a spawned
process loads this module before Django is set up (which also sets up its logging)."""

import logging

logger = logging.getLogger(__name__)


def setup():
    import django

    django.setup()


def render_one(item):
    """(name, html) → (name, pdf bytes or None, error or None)."""
    from assessments.reports import render

    name, html = item
    try:
        return name, render.html_to_pdf(html), None
    except Exception as error:  # one bad form must not stop the batch
        logger.exception("The form of %s could not be made into a PDF; the batch goes on", name)
        return name, None, f"{type(error).__name__}: {error}"
