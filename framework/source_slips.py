"""Slips of the published source document itself (fixtures/README.md, "Kept as published"): the
wording is the organisation's to change, so the seed keeps them, and the framework editor shows
HR those still present in a version, where they stand, with what was probably meant.

A slip is found by its text: once HR corrects the wording in a new version, it is no longer
listed for that version.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from framework.models import Competency, Indicator, Level


@dataclass(frozen=True)
class SourceSlip:
    competency: str  # the competency's code
    level: int | None  # None: the competency's definition
    number: int | None  # None: the level's title (or the definition)
    published: str  # the words as published
    meant: str  # what was probably meant, or a note


SLIPS = (
    SourceSlip("ACH", 1, 1, "ชวนขวย", "ขวนขวาย"),
    SourceSlip("ACH", 3, 1, "อุทิศเวลาได้แก่ราชการ", "อุทิศเวลาให้แก่ราชการ"),
    SourceSlip("ACH", 4, 3, "ในก้าการพัฒนา", "ในการพัฒนา"),
    SourceSlip("COM", 1, 1, "จนกว่าจับประเด็น", "จนกว่าจะจับประเด็น"),
    SourceSlip("COM", 3, 2, "นักศึกษา", _("a student is not a colleague: check the word")),
    SourceSlip("SDEV", None, None, "สังสม", "สั่งสม"),
    SourceSlip("SDEV", 1, 1, "สร้างสมควรรู้", "สร้างสมความรู้"),
    SourceSlip("SDEV", 1, 3, "ดูอ่อนและคู่แข่ง", "จุดอ่อนและจุดแข็ง"),
    SourceSlip("SDEV", 3, None, "และองค์ความรู้มาประยุกต์ใช้", "และนำองค์ความรู้มาประยุกต์ใช้"),
    SourceSlip("SDEV", 3, 1, "รอบกรอบความรู้เดิม", _("นอกกรอบความรู้เดิม (probably)")),
    SourceSlip("SDEV", 3, 3, "ประยุกต์ร่วมกันและประสบการณ์", "ประยุกต์ร่วมกับประสบการณ์"),
    SourceSlip("LOCAL", 1, 3, "เพื่อนประโยชน์", "เพื่อประโยชน์"),
    SourceSlip(
        "LOCAL",
        2,
        2,
        "โดยไม่คำนึง",
        _("the sentence ends unfinished (โดยไม่คำนึงถึง…)"),
    ),
    SourceSlip("LOCAL", 3, None, "และแสดงออกพฤติกรรม", "และแสดงออกซึ่งพฤติกรรม"),
    SourceSlip("LOCAL", 4, 2, "ในด้านที่ตนที่ความถนัด", "ในด้านที่ตนมีความถนัด"),
)


@dataclass(frozen=True)
class FoundSlip:
    slip: SourceSlip
    competency: Competency
    before: str  # the definition, title or indicator it stands in, before the slip
    after: str  # … and after it


def _texts(framework, competencies):
    """{(code, level, number): text} of a version (its `competencies` by code): definitions,
    level titles, indicators (two queries)."""
    texts = {(code, None, None): c.definition for code, c in competencies.items()}
    levels = Level.objects.filter(competency__framework=framework)
    for code, number, title in levels.values_list("competency__code", "number", "title"):
        texts[(code, number, None)] = title
    indicators = Indicator.objects.filter(level__competency__framework=framework)
    for code, level, number, text in indicators.values_list(
        "level__competency__code", "level__number", "number", "text"
    ):
        texts[(code, level, number)] = text
    return texts


def slips_in(framework):
    """The known slips still present in `framework`, in the order of SLIPS."""
    competencies = {c.code: c for c in Competency.objects.filter(framework=framework)}
    texts = _texts(framework, competencies)
    found = []
    for slip in SLIPS:
        text = texts.get((slip.competency, slip.level, slip.number), "")
        if slip.published in text:
            before, _, after = text.partition(slip.published)
            found.append(FoundSlip(slip, competencies[slip.competency], before, after))
    return found
