"""The portal's speed at a given size: `make bench [SIZES="100 1000 5000"] [REPEAT=15]`.

For each size it builds its own database (SQLite in var/, or, when DATABASE_URL names a
PostgreSQL server, a database of its own there, dropped afterwards) with `seed_synthetic`, then
measures server time in-process (Django's test client, no network), the median of REPEAT runs
after one warm-up, with the query count of the last run. It prints one line per figure, the
sizes side by side, the budget at 1,000 (and 5,000) people beside it and "over budget" where
one misses; the floors, a login page and plain Thai text in the printed forms' engine and font
(as many pages as the person's form has), are measured in the same run, so each figure also
reads as a ratio to its floor. Not part of `make test`.
"""

import argparse
import functools
import io
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# name: (label, floor it is read against, budget ms at 1,000 people, budget at 5,000)
FIGURES = {
    "login": ("login page (floor of a request)", None, None, None),
    "pdf_floor": ("plain Thai text, full pages, as many as the form's (floor)", None, None, None),
    "seed": ("seed_synthetic", None, 30_000, 120_000),
    "self_page": ("self-rating page", "login", 25, 25),
    "self_save": ("saving the 66 ratings", "login", 40, 40),
    "rate_page": ("supervisor rating page", "login", 25, 25),
    "team": ('"my team" (40 people)', "login", 25, 25),
    "dashboard": ("HR round dashboard", "login", 60, 100),
    "hr_results": ("one person's results page, seen by HR", "login", 30, 30),
    "csv": ("results export CSV", "login", 300, 1500),
    "xlsx": ("results export XLSX", "login", 1500, 7500),
    "analytics": ("analytics page", "login", 200, 1000),
    "framework": ("framework page", "login", None, None),
    "pdf_form": ("a person's PDF form: queries, context, render", "pdf_floor", 400, 400),
    "pdf_kept": ("the same form downloaded again (kept)", "login", None, None),
    # once each, at the end: they change the round
    "print": ("print_appraisals' engine: 50 forms on 2 processes", None, 11_250, 11_250),
    "import": ("import_ratings --submit, 66 rows a person, everyone", None, 5_000, 25_000),
}
# figures that must also stay within a ratio to their floor (issue 13: ≤ 1.5 × a plain page)
RATIO_BUDGETS = {"pdf_form": 1.5}
FORM_PAGES = 6


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000", help='people, e.g. "100 1000 5000"')
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--measure", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        results = measure(args.measure, args.repeat)
        Path(args.out).write_text(json.dumps(results), encoding="utf-8")
        return
    sizes = [int(size) for size in args.sizes.split()]
    figures = {size: run_size(size, args.repeat) for size in sizes}
    print_table(sizes, figures)


# ---------------------------------------------------------------- one size, its own database


def run_size(size, repeat):
    (ROOT / "var").mkdir(exist_ok=True)
    env = {
        **os.environ,
        "DJANGO_DEBUG": "1",
        "DJANGO_LOG_LEVEL": "WARNING",
        "DJANGO_SETTINGS_MODULE": "competency_portal.settings",
    }
    server = os.environ.get("DATABASE_URL", "")
    with tempfile.NamedTemporaryFile(suffix=".json", dir=ROOT / "var") as out:
        if server.startswith("postgres"):
            name = f"bench_{size}_{os.getpid()}"
            with postgres_database(server, name) as url:
                env["DATABASE_URL"] = url
                _measure(size, repeat, out.name, env)
        else:
            db = ROOT / "var" / f"bench-{size}.sqlite3"
            db.unlink(missing_ok=True)
            env["DATABASE_URL"] = f"sqlite:///{db}"
            _measure(size, repeat, out.name, env)
            db.unlink(missing_ok=True)
        return json.loads(Path(out.name).read_text(encoding="utf-8"))


def _measure(size, repeat, out, env):
    command = [sys.executable, __file__, "--measure", str(size), "--repeat", str(repeat)]
    print(f"… {size} people", file=sys.stderr, flush=True)
    subprocess.run([*command, "--out", out], env=env, check=True, cwd=ROOT)


class postgres_database:
    """A database of its own on the server DATABASE_URL names, dropped afterwards."""

    def __init__(self, server, name):
        self.server, self.name = server, name

    def _admin(self):
        import psycopg2

        connection = psycopg2.connect(self.server)
        connection.autocommit = True
        return connection

    def __enter__(self):
        # not `with connection`: psycopg2 opens a transaction there, and CREATE DATABASE
        # refuses to run inside one
        connection = self._admin()
        try:
            with connection.cursor() as cursor:
                cursor.execute(f'CREATE DATABASE "{self.name}"')
        finally:
            connection.close()
        parts = urlsplit(self.server)
        return urlunsplit(parts._replace(path=f"/{self.name}"))

    def __exit__(self, *exc):
        connection = self._admin()
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
        connection.close()


# ---------------------------------------------------------------- measuring, in the child


def measure(size, repeat):
    import django

    django.setup()
    from django.core.management import call_command

    from competency_portal.lib import heap

    heap.freeze_after_first_request()  # as the web processes do (wsgi.py)
    call_command("migrate", verbosity=0)
    with open(os.devnull, "w") as quiet:
        call_command("load_framework", stdout=quiet)
        started = time.perf_counter()
        call_command("seed_synthetic", "--people", str(size), stdout=quiet)
    results = {"seed": {"ms": (time.perf_counter() - started) * 1000, "queries": None}}
    runs = requests(size)
    pages = runs.pop("pages")
    in_turn = {name: runs.pop(name) for name in ("pdf_floor", "pdf_form")}
    for name, run in runs.items():
        results[name] = timed(run, repeat)
    results.update(timed_in_turn(in_turn, repeat))
    results["pdf_form"]["pages"] = results["pdf_floor"]["pages"] = pages
    results["print"] = once(print_fifty)
    results["import"] = import_everyone(size)
    results["fonts"] = fonts_subset_by()
    return results


def fonts_subset_by():
    """What cut the forms' fonts down in this run: without HarfBuzz-Subset the form's figure
    is 0.3 s or more slower and says little (README, What the machine needs)."""
    from assessments.reports import render

    if render.fonts_subset_by_harfbuzz():
        return "HarfBuzz-Subset"
    return "fontTools (no libharfbuzz-subset0: the printed forms' figures are not comparable)"


def once(run):
    started = time.perf_counter()
    run()
    return {"ms": (time.perf_counter() - started) * 1000, "queries": None}


def print_fifty():
    """What `print_appraisals --workers 2` does for 50 people (200 forms ≤ 45 s: 50 ≤ 11.25 s)."""
    from assessments.models import Cycle
    from assessments.reports.batch import assessments_to_print, print_forms

    cycle = Cycle.objects.get(status="open")
    chosen = assessments_to_print(cycle)[:50]
    result = print_forms(chosen, workers=2)
    if len(result.printed) != len(chosen):
        raise SystemExit(f"print_appraisals printed {len(result.printed)} of {len(chosen)} forms")


def import_everyone(size):
    """`import_ratings --submit` of 66 rows for every person whose rating is still open (the
    self-assessment, else the supervisor's), scaled to 66 rows for all `size` people."""
    import csv

    from django.core.management import call_command

    rows = import_rows()
    with tempfile.NamedTemporaryFile("w", suffix=".csv", dir=ROOT / "var", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(["employee_code", "role", "competency", "level", "indicator", "value"])
        writer.writerows(rows)
        file.flush()
        with open(os.devnull, "w") as quiet:
            started = time.perf_counter()
            call_command(
                "import_ratings", file.name, "--cycle", _open_code(), "--submit", stdout=quiet
            )
            elapsed = (time.perf_counter() - started) * 1000
    return {"ms": elapsed * size * 66 / len(rows), "queries": None, "rows": len(rows)}


def _open_code():
    from assessments.models import Cycle

    return Cycle.objects.get(status="open").code


def import_rows():
    """CSV rows rating every indicator of each open track (shown up to level 3)."""
    from assessments.models import Assessment, Cycle, Role, Track
    from framework.models import Indicator, ScalePoint

    cycle = Cycle.objects.get(status="open")
    scale = ScalePoint.objects.filter(framework=cycle.framework)
    shown = scale.filter(demonstrated=True).first().value
    not_shown = scale.filter(demonstrated=False).first().value
    indicators = list(
        Indicator.objects.filter(level__competency__framework=cycle.framework).values_list(
            "level__competency__code", "level__number", "number"
        )
    )
    rows = []
    for a in Assessment.objects.filter(cycle=cycle).select_related("employee"):
        if a.self_state != Track.SUBMITTED:
            role = Role.SELF
        elif a.supervisor_state != Track.SUBMITTED:
            role = Role.SUPERVISOR
        else:
            continue
        for code, level, number in indicators:
            value = shown if level <= 3 else not_shown
            rows.append([a.employee.employee_code, role, code, level, number, value])
    return rows


def timed(run, repeat):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    answer = run()  # warm-up: templates, caches, fonts
    status = getattr(answer, "status_code", 200)
    if status >= 400:
        raise SystemExit(f"{run.__name__}: HTTP {status}: the benchmark measures nothing")
    times = []
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            run()
            times.append((time.perf_counter() - started) * 1000)
    return {"ms": statistics.median(times), "queries": len(queries)}


def timed_in_turn(runs, repeat):
    """timed() of several figures whose ratio is read, run one after the other in each round,
    so that the machine's pace, which drifts over seconds, is the same for all of them."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for run in runs.values():
        run()  # warm-up
    times = {name: [] for name in runs}
    queries = {}
    for _ in range(repeat):
        for name, run in runs.items():
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                run()
                times[name].append((time.perf_counter() - started) * 1000)
            queries[name] = len(captured)
    return {name: {"ms": statistics.median(times[name]), "queries": queries[name]} for name in runs}


def requests(size):
    """{figure: a callable doing it once}, on the synthetic organisation."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.test import Client
    from django.urls import reverse

    from assessments.models import Assessment, Cycle, Track
    from assessments.reports import context, render

    cycle = Cycle.objects.get(status="open")
    hr_user = get_user_model().objects.create(username="bench-hr")
    hr_user.groups.add(Group.objects.get(name="hr"))
    hr = _client(Client, hr_user)
    drafting = Assessment.objects.filter(cycle=cycle, self_state=Track.IN_PROGRESS).first()
    person = _client(Client, drafting.employee.user)
    rating = (
        Assessment.objects.filter(cycle=cycle, supervisor_state=Track.IN_PROGRESS)
        .exclude(supervisor=None)
        .first()
    )
    head = _client(Client, rating.supervisor.user)
    rated, form_pages = six_page_form(cycle)
    # HR's view of one person: the same step at every size, the one with the most on its page
    # (acknowledged, waiting for the next-level supervisor: the plan, the opinion's form)
    # (a small organisation may have nobody there yet: then somebody rated)
    awaiting_review = (
        Assessment.objects.filter(
            cycle=cycle,
            acknowledgement=Assessment.Acknowledgement.ACKNOWLEDGED,
            reviewer__isnull=False,
            reviewed_at=None,
            finalized_at=None,
        ).first()
        or rated
    )
    values = _all_ratings(drafting)
    anonymous = Client(HTTP_HOST="localhost")

    def save():
        version = Assessment.objects.get(pk=drafting.pk).self_version
        data = {**values, "version": version, "action": "save"}
        return person.post(reverse("assessments:self", args=[drafting.pk]), data)

    def pdf_form():
        return render.html_to_pdf(context.person_form_html(context.assessment_for_print(rated.pk)))

    plain = plain_thai_pages(form_pages)
    return {
        "pages": form_pages,
        "login": lambda: anonymous.get(reverse("login")),
        # laid out as the form is, by a renderer process (render.html_to_pdf)
        "pdf_floor": lambda: render.html_to_pdf(plain),
        "self_page": lambda: person.get(reverse("assessments:self", args=[drafting.pk])),
        "self_save": save,
        "rate_page": lambda: head.get(reverse("assessments:rate", args=[rating.pk])),
        "team": lambda: head.get(reverse("assessments:team")),
        "dashboard": lambda: hr.get(reverse("assessments:dashboard")),
        "hr_results": lambda: hr.get(reverse("assessments:results", args=[awaiting_review.pk])),
        "csv": lambda: hr.get(reverse("exports:results", args=[cycle.pk, "csv"])),
        "xlsx": lambda: hr.get(reverse("exports:results", args=[cycle.pk, "xlsx"])),
        "analytics": lambda: hr.get(reverse("analytics:index")),
        "framework": lambda: person.get(reverse("framework:detail")),
        "pdf_form": pdf_form,
        "pdf_kept": lambda: hr.get(reverse("assessments:pdf", args=[rated.pk])),
    }


PHRASE = "องค์การบริหารส่วนตำบลคลองขวาง ผลการประเมินสมรรถนะหลัก "


def plain_thai_pages(pages, per_page=None):
    """HTML of `pages` A4 pages of plain Thai text, one paragraph filling each page: the
    engine's floor. A page holds `per_page` phrases (full_page_phrases() finds how many)."""
    words = PHRASE * (per_page or full_page_phrases())
    return f'<p style="break-after: page">{words}</p>' * pages


@functools.cache
def full_page_phrases():
    """The most phrases one paragraph can hold on one page of the forms' engine and font:
    the floor is a full page of text, as a page of a form is (a paragraph of a fixed number
    of phrases, 55 until 2026-12, filled only 60 % of the page)."""
    from pypdf import PdfReader

    from assessments.reports import render

    def pages(count):
        pdf = render.make_pdf(f"<p>{PHRASE * count}</p>", 40, 5 * 2**20)
        return len(PdfReader(io.BytesIO(pdf)).pages)

    low, high = 1, 400  # one phrase fits on a page; 400 do not
    while high - low > 1:
        middle = (low + high) // 2
        low, high = (middle, high) if pages(middle) == 1 else (low, middle)
    return low


def pages_of(pdf):
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(pdf)).pages)


def six_page_form(cycle, tries=20):
    """(assessment, its form's pages) of the printed form measured: a finalised person's (the
    pages HR files) of six pages, as the issue's figure is, so that every size prints the same
    kind of form (the first finalised one, if none of the first `tries` has six pages; a rated
    one in a small organisation with nobody finalised)."""
    from assessments.models import Assessment, Track
    from assessments.reports import context, render

    in_round = Assessment.objects.filter(cycle=cycle)
    finalised = list(in_round.filter(finalized_at__isnull=False)[:tries]) or list(
        in_round.filter(supervisor_state=Track.SUBMITTED)[:tries]
    )
    first = None
    for assessment in finalised:
        html = context.person_form_html(context.assessment_for_print(assessment.pk))
        pages = pages_of(render.html_to_pdf(html))
        if pages == FORM_PAGES:
            return assessment, pages
        first = first or (assessment, pages)
    return first


def _client(client_class, user):
    client = client_class(HTTP_HOST="localhost")
    client.force_login(user)
    return client


def _all_ratings(assessment):
    from framework.models import Indicator, ScalePoint

    framework = assessment.cycle.framework
    value = ScalePoint.objects.filter(framework=framework, demonstrated=True).first().value
    indicators = Indicator.objects.filter(level__competency__framework=framework)
    return {f"r{pk}": value for pk in indicators.values_list("pk", flat=True)}


# ---------------------------------------------------------------- the table


def print_table(sizes, figures):
    header = ["figure", *[f"{size:,} people" for size in sizes], "budget", ""]
    rows = [header]
    for name, (label, floor, budget, budget_big) in FIGURES.items():
        cells, over = [label], False
        for size in sizes:
            figure = figures[size].get(name)
            if figure is None:
                cells.append("–")
                continue
            floor_figure = figures[size].get(floor) if floor else None
            cells.append(_cell(figure, floor_figure))
            limit = budget_big if size >= 5000 else budget
            over = over or _over(figure, None, limit, None, size)
        cells.append(_budget(budget, budget_big))
        cells.append("over budget" if over else "")
        rows.append(cells)
        if name in RATIO_BUDGETS:
            rows.append(_ratio_row(name, floor, sizes, figures))
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    for row in rows:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)))
    server = os.environ.get("DATABASE_URL", "")
    database = "PostgreSQL" if server.startswith("postgres") else "SQLite"
    print(f"\n{database}; median of the runs after one warm-up; (q) queries; × ratio to its floor")
    fonts = sorted({figures[size].get("fonts", "?") for size in sizes})
    print(f"fonts of the printed forms subset by {', '.join(fonts)}")


def _over(figure, floor, limit, ratio, size):
    """Whether a figure misses its budget (from 1,000 people on), or its ratio to its floor."""
    if size < 1000:
        return False
    if limit is not None and figure["ms"] > limit:
        return True
    return bool(ratio and floor and figure["ms"] > ratio * floor["ms"])


def _cell(figure, floor):
    text = f"{figure['ms']:,.0f} ms" if figure["ms"] >= 10 else f"{figure['ms']:.1f} ms"
    if figure.get("queries") is not None:
        text += f" ({figure['queries']} q)"
    if figure.get("rows") is not None:
        text += f" (from {figure['rows']:,} rows)"
    if figure.get("pages") is not None:
        text += f" ({figure['pages']} pages)"
    if floor:
        text += f" ×{figure['ms'] / floor['ms']:.1f}"
    return text


def _ratio_row(name, floor, sizes, figures):
    """The row under a figure with a ratio budget: its ratio to its floor at each size (issue
    13: a printed form ≤ 1.5 × plain pages of the same engine and font)."""
    ratio = RATIO_BUDGETS[name]
    cells, over = ["… the same, against its floor (issue 13)"], False
    for size in sizes:
        figure, floor_figure = figures[size].get(name), figures[size].get(floor)
        if figure is None or floor_figure is None:
            cells.append("–")
            continue
        cells.append(f"×{figure['ms'] / floor_figure['ms']:.2f}")
        over = over or _over(figure, floor_figure, None, ratio, size)
    return [*cells, f"≤ ×{ratio} its floor", "over budget" if over else ""]


def _budget(budget, budget_big):
    if budget is None:
        return "–"
    text = f"≤ {budget:,} ms"
    return text + (f" (≤ {budget_big:,} at 5,000)" if budget_big != budget else "")


if __name__ == "__main__":
    main()
