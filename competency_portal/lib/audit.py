"""What an audit record shows of who acted. A record may have no actor: a management command
(`open_cycle`, `import_framework`) or a background task acts for nobody in particular."""

from django.utils.translation import gettext_lazy as _

SYSTEM = _("The system (command or background task)")


class ActorNameMixin:
    """For a model with an `actor` user that may be empty."""

    @property
    def actor_name(self):
        actor = self.actor
        if actor is None:
            return SYSTEM
        return actor.get_full_name() or actor.username
