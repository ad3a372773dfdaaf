"""Django's own messages that its Thai catalogue leaves untranslated (the password rules; the
length rule is ours, competency_portal/passwords.py).

Listing them here puts them into our catalogue, which takes precedence over Django's.
Nothing imports this module; `makemessages` reads it.
"""

from django.utils.translation import gettext_noop

PASSWORD_RULES = [
    gettext_noop("The password is too similar to the %(verbose_name)s."),
    gettext_noop("Your password can’t be too similar to your other personal information."),
    gettext_noop("This password is too common."),
    gettext_noop("Your password can’t be a commonly used password."),
    gettext_noop("This password is entirely numeric."),
    gettext_noop("Your password can’t be entirely numeric."),
]
