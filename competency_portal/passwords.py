"""Django's password-length rule with its number in the interface's digits ("อย่างน้อย ๘
ตัวอักษร" on Thai pages); settings.AUTH_PASSWORD_VALIDATORS names it in place of Django's."""

from django.contrib.auth import password_validation
from django.utils.translation import ngettext

from competency_portal.lib.thai import thai_numbers


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    def get_error_message(self):
        return ngettext(
            "This password is too short. It must contain at least %(min_length)s character.",
            "This password is too short. It must contain at least %(min_length)s characters.",
            self.min_length,
        ) % thai_numbers({"min_length": self.min_length})

    def get_help_text(self):
        return ngettext(
            "Your password must contain at least %(min_length)s character.",
            "Your password must contain at least %(min_length)s characters.",
            self.min_length,
        ) % thai_numbers({"min_length": self.min_length})
