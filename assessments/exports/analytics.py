"""The numbers of each analytics chart as CSV rows (header first), for a spreadsheet.

Headers are plain English column names, like those of export_results (DOMAIN.md); names of
people, divisions and competencies are as stored (Thai); numbers use Arabic digits.
"""

ALL = "all"
DIVISION = "division"


def _blank(value):
    return "" if value is None else value


def distribution(report):
    header = ["competency_code", "competency"]
    header += [f"level_{n}" for n in range(6)]
    header += ["rated", "at_or_above_expected", "share_percent"]
    rows = [header]
    for row in report.distribution:
        rows.append(
            [row.competency.code, row.competency.name_th, *row.counts]
            + [row.overall.rated, row.overall.at_or_above, _blank(row.overall.percent)]
        )
    return rows


def expected(report):
    rows = [
        [
            "scope",
            "department",
            "competency_code",
            "competency",
            "rated",
            "at_or_above_expected",
            "share_percent",
        ]
    ]
    for row in report.distribution:
        competency = [row.competency.code, row.competency.name_th]
        shares = [(ALL, row.overall)] + [(DIVISION, share) for share in row.departments]
        for scope, share in shares:
            rows.append(
                [scope, share.label, *competency, share.rated, share.at_or_above]
                + [_blank(share.percent)]
            )
    return rows


def heatmap(report):
    rows = [["scope", "department", "competency_code", "competency", "people", "mean_gap"]]
    heat = report.heatmap
    for row in heat.rows:
        for competency, cell in zip(heat.competencies, row.cells, strict=True):
            rows.append(
                [
                    ALL if row.is_total else DIVISION,
                    row.department,
                    competency.code,
                    competency.name_th,
                    cell.count,
                    _blank(cell.mean_gap),
                ]
            )
    return rows


def agreement(report):
    rows = [
        [
            "competency_code",
            "competency",
            "rated_by_both",
            "same_level",
            "one_level_apart",
            "two_or_more_apart",
        ]
    ]
    for row in report.agreement:
        rows.append(
            [row.competency.code, row.competency.name_th, row.total]
            + [row.same, row.one_apart, row.two_or_more]
        )
    return rows


def disagreements(report):
    rows = [
        [
            "employee_code",
            "full_name",
            "department",
            "competency_code",
            "competency",
            "self_level",
            "supervisor_level",
            "difference",
        ]
    ]
    for item in report.disagreements:
        employee = item.assessment.employee
        rows.append(
            [employee.employee_code, employee.full_name, item.assessment.department_name]
            + [item.competency.code, item.competency.name_th]
            + [item.self_level, item.supervisor_level, item.difference]
        )
    return rows


def trend(trend):
    rows = [
        [
            "cycle",
            "competency_code",
            "competency",
            "rated",
            "mean_level",
            "at_or_above_expected",
            "share_percent",
        ]
    ]
    for competency, points in trend.rows:
        for cycle, point in zip(trend.cycles, points, strict=True):
            rows.append(
                [cycle.code, competency.code, competency.name_th, point.rated]
                + [_blank(point.mean_level), point.at_or_above, _blank(point.percent)]
            )
    return rows


def person(history):
    rows = [
        [
            "cycle",
            "employee_code",
            "competency_code",
            "competency",
            "expected_level",
            "self_level",
            "supervisor_level",
            "gap",
            "points",
            "competency_score",
            "weighted_score",
            "work_results",
            "total",
            "band",
        ]
    ]
    for scored in history.rounds:
        assessment = scored.assessment
        totals = [
            _blank(scored.score),
            _blank(scored.weighted),
            _blank(assessment.work_results),
            _blank(scored.total),
            scored.band[1] if scored.band else "",
        ]
        for competency in history.competencies:
            result = scored.result(competency.code)
            if result is None:
                continue
            rows.append(
                [assessment.cycle.code, history.employee.employee_code]
                + [competency.code, competency.name_th, result.expected]
                + [_blank(result.self_level), _blank(result.supervisor_level)]
                + [_blank(result.gap), _blank(result.points), *totals]
            )
    return rows


# The charts of one round, by the name used in the URL.
CYCLE_CHARTS = {
    "distribution": distribution,
    "expected": expected,
    "heatmap": heatmap,
    "agreement": agreement,
    "disagreements": disagreements,
}
