"""What an audit record shows of who acted. A record may have no actor: a management command
(`open_cycle`, `import_framework`) or a background task acts for nobody in particular."""

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from competency_portal.lib.thai import thai_numbers

SYSTEM = _("The system (command or background task)")


class ActorNameMixin:
    """For a model with an `actor` user that may be empty."""

    @property
    def actor_name(self):
        actor = self.actor
        if actor is None:
            return SYSTEM
        return actor.get_full_name() or actor.username


def portal_text(message, params):
    """`message` (marked with gettext_noop) in the portal's language (Thai), as a record keeps
    it for the CSV downloads and the scripts that read the tables; its digits stay Arabic."""
    with translation.override(settings.LANGUAGE_CODE):
        text = translation.gettext(message)
    return text % params if params else text


def reader_text(message, params, stored):
    """A record's text in the reader's language, its numbers in the interface's digits; the
    `stored` text when the record kept no message (written before messages were kept)."""
    if not message:
        return stored
    try:
        return translation.gettext(message) % thai_numbers(params)
    except (KeyError, TypeError, ValueError):
        return stored
