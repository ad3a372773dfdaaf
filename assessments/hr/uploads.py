"""Uploaded import files kept on the server between the preview and the confirmation.

The preview stores the checked bytes in the default storage under a random token, in a name
that also holds the uploader's user id; the confirmation form carries only the token. A token
therefore opens nothing for another user: their name for it points to no file. Files are read
back once and deleted; any left behind (a preview never confirmed) are deleted a day later,
when somebody next uploads.
"""

import uuid
from datetime import timedelta

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

FOLDER = "imports"
KEPT_FOR = timedelta(days=1)


def _name(token, user):
    return f"{FOLDER}/{user.pk}-{uuid.UUID(str(token)).hex}.csv"


def keep(content, user):
    """Store `content` (bytes) for `user`; the token that finds it again."""
    _delete_expired()
    token = uuid.uuid4().hex
    default_storage.save(_name(token, user), ContentFile(content))
    return token


def take(token, user):
    """The bytes `user` stored under `token`, now deleted; None when there are none."""
    name = _name(token, user)
    if not default_storage.exists(name):
        return None
    with default_storage.open(name, "rb") as stored:
        content = stored.read()
    default_storage.delete(name)
    return content


def _delete_expired():
    try:
        _folders, files = default_storage.listdir(FOLDER)
    except FileNotFoundError:
        return
    cutoff = timezone.now() - KEPT_FOR
    for file_name in files:
        name = f"{FOLDER}/{file_name}"
        try:
            if default_storage.get_modified_time(name) < cutoff:
                default_storage.delete(name)
        except FileNotFoundError:
            pass  # deleted meanwhile by another process
