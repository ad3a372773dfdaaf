"""Printed forms kept in the default storage (local folder or object storage), so that
downloading a form again does not render it again (about a second of CPU each time).

A form is kept under the hash of its HTML: any change that shows on the form (a rating, a
step of the workflow, a name, the framework version, the language) makes other HTML and so a
new file; the old one of the same kind is deleted then. Nothing is ever served that is not
exactly what rendering now would give. A storage that fails only costs the time to render.
"""

import hashlib
import logging
import re

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

logger = logging.getLogger(__name__)

FOLDER = "forms"
UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def cached_pdf(owner, filename, html, render):
    """The PDF of `html` (kept per `owner`, an assessment's pk, and kind, the file name),
    rendered with `render(html)` only when it is not kept yet."""
    kind = UNSAFE.sub("-", filename.rsplit(".", 1)[0])[:80]
    digest = hashlib.sha256(html.encode("utf-8")).hexdigest()[:40]
    folder = f"{FOLDER}/{int(owner)}/{kind}"
    name = f"{folder}/{digest}.pdf"
    kept = _read(name)
    if kept is not None:
        return kept
    pdf = render(html)
    _keep(folder, name, pdf)
    return pdf


def _read(name):
    try:
        with default_storage.open(name, "rb") as stored:  # one request on object storage
            return stored.read()
    except FileNotFoundError:
        return None
    except Exception:  # the storage is a cache here: render instead
        logger.warning("A kept form could not be read: %s", name, exc_info=True)
    return None


def _keep(folder, name, pdf):
    try:
        _forget_older(folder)
        default_storage.save(name, ContentFile(pdf))
    except Exception:
        logger.warning("A printed form could not be kept: %s", name, exc_info=True)


def _forget_older(folder):
    """One file per assessment and kind: the one kept before is out of date now."""
    try:
        _folders, files = default_storage.listdir(folder)
    except FileNotFoundError:  # nothing kept yet
        return
    for file in files:
        default_storage.delete(f"{folder}/{file}")
