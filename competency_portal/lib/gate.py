"""A gate over a list of URL patterns: every view in the list is wrapped by one decorator.

Applied once to a whole list (`gated(patterns, hr_required)`), the check cannot be forgotten
view by view, whatever the paths. Each wrapped view carries `gate` (the decorator's name), so a
test can enumerate what is behind which gate.
"""

from django.urls import URLPattern, URLResolver


def gated(patterns, decorator):
    """New patterns whose views all pass through `decorator` (includes are followed)."""
    return [_gate(pattern, decorator) for pattern in patterns]


def _gate(pattern, decorator):
    if isinstance(pattern, URLResolver):
        included = gated(pattern.url_patterns, decorator)
        return URLResolver(
            pattern.pattern,
            included,
            pattern.default_kwargs,
            pattern.app_name,
            pattern.namespace,
        )
    view = decorator(pattern.callback)
    view.gate = decorator.__name__
    return URLPattern(pattern.pattern, view, pattern.default_args, pattern.name)
