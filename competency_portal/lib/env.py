"""Numbers read from the environment by the settings: one reader, one kind of refusal.

A bad value stops the start with ImproperlyConfigured naming the variable, rather than
running with a guess."""

import math
import os

from django.core.exceptions import ImproperlyConfigured


def env_number(name, default, *, minimum=0, unit="", fractions=False):
    """`name` as a whole number (or, with `fractions`, any number) of `unit`, `minimum` or
    more; `default` when it is unset or blank."""
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = float(raw.strip()) if fractions else int(raw.strip())
    except ValueError:
        value = None
    if value is None or not math.isfinite(value) or value < minimum:
        kind = "a number" if fractions else "a whole number"
        of = f" of {unit}" if unit else ""
        raise ImproperlyConfigured(f"{name} must be {kind}{of} ({minimum} or more), not {raw!r}")
    return value
