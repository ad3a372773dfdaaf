"""What changed between two versions of a framework, for HR to read before publishing.

Parts are matched by their natural keys (competency code, level number, indicator number,
scale value, position class). Thai is written without spaces between words, so texts are
compared character by character and the changed runs are marked with <del> and <ins>.
"""

import re
from dataclasses import dataclass
from difflib import SequenceMatcher

from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from competency_portal.lib.thai import thai_digits
from framework.models import ExpectedLevel


@dataclass
class Change:
    kind: str  # added, removed, changed
    where: str
    old: str = ""
    new: str = ""

    @property
    def marked(self):
        """(old, new) as HTML with the removed and inserted runs marked."""
        return marked_texts(self.old, self.new)


# A Thai character with the vowel and tone marks written above or below it is one unit.
CLUSTER = re.compile(r".[\u0e31\u0e34-\u0e3a\u0e47-\u0e4e]*", re.DOTALL)


def clusters(text):
    return CLUSTER.findall(text)


def marked_texts(old, new):
    old, new = clusters(old), clusters(new)
    matcher = SequenceMatcher(None, old, new, autojunk=False)
    before, after = [], []
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        removed, added = "".join(old[a1:a2]), "".join(new[b1:b2])
        if op == "equal":
            before.append(escape(removed))
            after.append(escape(added))
            continue
        if removed:
            before.append(f"<del>{escape(removed)}</del>")
        if added:
            after.append(f"<ins>{escape(added)}</ins>")
    return mark_safe("".join(before)), mark_safe("".join(after))  # noqa: S308 - escaped above


def texts(framework):
    """{(label, key…): text} of every text and setting in a version."""
    items = {
        (_("Name of the version"),): framework.name,
        (_("Pass share"),): str(framework.required_share),
    }
    for point in framework.scale_points.all():
        state = _("demonstrated") if point.demonstrated else _("not demonstrated")
        items[(_("Scale point"), point.value)] = f"{point.label_th} / {point.label_en} ({state})"
    for competency in framework.competencies.prefetch_related("levels__indicators"):
        code = competency.code
        items[(code, _("Thai and English names"))] = f"{competency.name_th} ({competency.name_en})"
        items[(code, _("Definition"))] = competency.definition
        for level in competency.levels.all():
            items[(code, _("Level"), level.number)] = level.title
            for indicator in level.indicators.all():
                items[(code, _("Level"), level.number, indicator.number)] = indicator.text
    for row in ExpectedLevel.objects.filter(competency__framework=framework).select_related(
        "competency", "position_class"
    ):
        key = (_("Expected level"), row.competency.code, row.position_class.code)
        items[key] = str(row.level)
    return items


def describe(key):
    """Where a difference is, as people name it: "ACH · ระดับ ๒ ข้อ ๓", "ACH · ระดับ ๒"."""
    if len(key) >= 3 and key[1] == _("Level"):
        code, label, level, *item = key
        if item:
            place = _("level %(level)s, item %(item)s") % {
                "level": thai_digits(level),
                "item": thai_digits(item[0]),
            }
        else:
            place = f"{label} {thai_digits(level)}"
        return f"{code} · {place}"
    return " · ".join(thai_digits(part) for part in key)


def compare(old, new):
    """Every difference from version `old` to version `new`, in the order of `new`."""
    before, after = texts(old), texts(new)
    changes = []
    for key, text in after.items():
        if key not in before:
            changes.append(Change("added", describe(key), "", text))
        elif before[key] != text:
            changes.append(Change("changed", describe(key), before[key], text))
    for key, text in before.items():
        if key not in after:
            changes.append(Change("removed", describe(key), text, ""))
    return changes
