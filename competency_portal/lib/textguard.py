"""One guard for every piece of text that comes in (forms, CSV cells, JSON imports, command
arguments): NFC-normalised, without control characters, NUL, bidirectional overrides and
isolates, or zero-width characters. Newlines and tabs are kept only in multi-line text."""

import re
import unicodedata

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from competency_portal.lib.thai import thai_numbers

# Comments, evidence, review opinions: the most a person may write in one box.
MAX_COMMENT = 4000

# C0 (except TAB, LF, CR handled below), DEL, C1; bidi overrides/embeddings U+202A–U+202E and
# isolates U+2066–U+2069; zero-width space/non-joiner/joiner, word joiner, BOM.
_INVISIBLE = "\u200b-\u200d\u2060\ufeff\u202a-\u202e\u2066-\u2069"
_SINGLE_LINE = re.compile(f"[\x00-\x1f\x7f-\x9f{_INVISIBLE}]")
_MULTILINE = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{_INVISIBLE}]")


def clean_text(value, *, multiline=False, max_length=None):
    """`value` as safe text. Multi-line text keeps \\n and \\t (a CR LF or lone CR becomes \\n);
    single-line text loses every control character. With `max_length`, longer text is refused
    with a ValidationError (after cleaning). None stays None; other values are returned as is."""
    if not isinstance(value, str):
        return value
    text = unicodedata.normalize("NFC", value)
    if multiline:
        text = _MULTILINE.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    else:
        text = _SINGLE_LINE.sub("", text)
    if max_length is not None and len(text) > max_length:
        raise ValidationError(
            _("The text may have at most %(max)s characters (it has %(count)s).")
            % thai_numbers({"max": max_length, "count": len(text)})
        )
    return text


def whole_number(value):
    """A form or query value as a whole number when it is plain ASCII digits ("12"), else
    None: "²" and "๓" are digits to str.isdigit, and int() refuses the one and would read the
    other; a number the portal is sent is never either."""
    text = "" if value is None else str(value)
    return int(text) if text.isascii() and text.isdigit() else None


def clean_cell(value):
    """A CSV cell or a JSON string from an imported file: one line of safe text."""
    return clean_text(value)


def clean_strings(data):
    """Every string inside nested lists and dicts (keys included) made safe, multi-line kept."""
    if isinstance(data, str):
        return clean_text(data, multiline=True)
    if isinstance(data, list):
        return [clean_strings(item) for item in data]
    if isinstance(data, dict):
        return {clean_strings(key): clean_strings(item) for key, item in data.items()}
    return data


def _is_multiline(field):
    return isinstance(getattr(field, "widget", None), forms.Textarea)


class GuardedFormMixin:
    """Mixed into a form, every CharField's value goes through clean_text before the field's
    own checks (so max_length counts the cleaned text); a Textarea keeps its line breaks.
    Password fields (PasswordInput) are left exactly as typed."""

    def _clean_fields(self):
        for name, field in self.fields.items():
            if not isinstance(field, forms.CharField) or field.disabled:
                continue
            if isinstance(field.widget, forms.PasswordInput | forms.HiddenInput):
                continue
            key = self.add_prefix(name)
            if key in self.data and hasattr(self.data, "copy"):
                if not getattr(self, "_guard_copied", False):
                    self.data = self.data.copy()
                    self._guard_copied = True
                multiline = _is_multiline(field)
                if hasattr(self.data, "setlist"):
                    values = [clean_text(v, multiline=multiline) for v in self.data.getlist(key)]
                    self.data.setlist(key, values)
                else:
                    self.data[key] = clean_text(self.data[key], multiline=multiline)
        super()._clean_fields()


class GuardedForm(GuardedFormMixin, forms.Form):
    """A form whose text fields are cleaned by clean_text."""
