"""A framework version's tree as plain data, and the one place that writes it in bulk.

The tree is Framework → rating scale, and Framework → Competency → Level → Indicator, plus the
expected levels. Copying a version (framework.services.clone), replacing a competency or the
scale in the editor, and importing a JSON file (framework.exchange) all write through here, so
the rows are made the same way whichever way they come. The plain shapes are those of the
export file (framework.exchange.export_data). Callers check the data and hold the transaction.
"""

from django.db.models import Max

from framework.models import (
    Competency,
    ExpectedLevel,
    Framework,
    Indicator,
    Level,
    ScalePoint,
)

# -- reading a version as plain data


def scale_point_data(point):
    return {
        "value": point.value,
        "label_th": point.label_th,
        "label_en": point.label_en,
        "demonstrated": point.demonstrated,
    }


def competency_data(competency):
    """A competency with its levels and their indicators, each in number order."""
    return {
        "code": competency.code,
        "name_th": competency.name_th,
        "name_en": competency.name_en,
        "definition": competency.definition,
        "order": competency.order,
        "levels": [
            {
                "number": level.number,
                "title": level.title,
                "indicators": [
                    {"number": i.number, "text": i.text}
                    for i in sorted(level.indicators.all(), key=lambda i: i.number)
                ],
            }
            for level in sorted(competency.levels.all(), key=lambda level: level.number)
        ],
    }


# -- writing


def next_version_number(organisation):
    highest = Framework.objects.filter(organisation=organisation).aggregate(Max("version"))
    return (highest["version__max"] or 0) + 1


def create_draft(organisation, *, name, required_share):
    """A new, empty draft version with the organisation's next version number."""
    return Framework.objects.create(
        organisation=organisation,
        version=next_version_number(organisation),
        name=name,
        required_share=required_share,
    )


def write_scale(framework, points):
    """Add the rating scale: points as scale_point_data gives them."""
    ScalePoint.objects.bulk_create(ScalePoint(framework=framework, **point) for point in points)


def write_competencies(framework, entries):
    """Add competencies with their levels and indicators; {code: Competency} of those added.

    entries: as competency_data gives them (levels and indicators as lists of dicts).
    """
    competencies = Competency.objects.bulk_create(
        Competency(
            framework=framework,
            code=c["code"],
            name_th=c["name_th"],
            name_en=c["name_en"],
            definition=c["definition"],
            order=c["order"],
        )
        for c in entries
    )
    write_levels(
        (competency, entry["levels"])
        for entry, competency in zip(entries, competencies, strict=True)
    )
    return {competency.code: competency for competency in competencies}


def write_levels(competencies):
    """Add levels and their indicators: (saved Competency, level entries) pairs, the entries as
    in competency_data's "levels"."""
    pairs = [(level, competency) for competency, levels in competencies for level in levels]
    levels = Level.objects.bulk_create(
        Level(competency=competency, number=level["number"], title=level["title"])
        for level, competency in pairs
    )
    Indicator.objects.bulk_create(
        Indicator(level=level, number=i["number"], text=i["text"])
        for (entry, _competency), level in zip(pairs, levels, strict=True)
        for i in entry["indicators"]
    )


def write_expected_levels(competencies, cells):
    """Add expected levels: competencies is {code: Competency} of the version, cells are
    (competency code, position class id, level)."""
    ExpectedLevel.objects.bulk_create(
        ExpectedLevel(competency=competencies[code], position_class_id=class_id, level=level)
        for code, class_id, level in cells
    )
