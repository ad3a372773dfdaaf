"""Speed of the printed forms (issue 4 budgets: ≤ 0.5 s per form, ≤ 60 s for 200 forms).

Builds its own database (var/bench.sqlite3) with 200 people in an open round, every one
rated by self and supervisor, then prints: seconds per form (median of several), pages per
second, and the time to print all 200 into one PDF on every core.

    make bench          # or: .venv/bin/python benchmarks/printing.py [--people 200]
"""

import argparse
import io
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DB = ROOT / "var" / "bench.sqlite3"
os.environ.update(DJANGO_DEBUG="1", DATABASE_URL=f"sqlite:///{DB}")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "competency_portal.settings")


def build(people):
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from assessments import services
    from assessments.models import Assessment, Department, Employee, Role
    from framework.models import Indicator, PositionClass

    DB.unlink(missing_ok=True)
    call_command("migrate", verbosity=0)
    call_command("load_framework", stdout=io.StringIO())
    rng = random.Random(2569)
    classes = list(PositionClass.objects.all())
    departments = [Department.objects.create(code=f"D{i}", name_th=f"กองที่ {i}") for i in range(6)]
    users = get_user_model().objects
    boss = Employee.objects.create(
        employee_code="B0",
        first_name="หัวหน้า",
        last_name="ใหญ่",
        position_title="ปลัด",
        position_class=classes[-4],
        department=departments[0],
        user=users.create_user("b0"),
    )
    for n in range(people - 1):
        Employee.objects.create(
            employee_code=f"E{n:04d}",
            title="นาย",
            first_name=f"สมมุติ{n}",
            last_name="ทดสอบระบบ",
            position_title="นักวิชาการ",
            position_class=rng.choice(classes),
            department=departments[n % 6],
            supervisor=boss,
            user=users.create_user(f"e{n}"),
        )
    cycle = services.create_cycle(code="2569-1", fiscal_year=2569, round_number=1)
    services.open_cycle(cycle=cycle)
    indicators = list(Indicator.objects.select_related("level"))
    for assessment in Assessment.objects.select_related("employee__user", "supervisor__user"):
        for role, user in [(Role.SELF, assessment.employee.user), (Role.SUPERVISOR, boss.user)]:
            if role == Role.SUPERVISOR and assessment.supervisor is None:
                continue
            reach = rng.randint(0, 5)
            values = {i.pk: int(i.level.number <= reach or rng.random() < 0.1) for i in indicators}
            services.save_ratings(assessment=assessment, role=role, by=user, values=values)
            services.submit_track(assessment=assessment, role=role, by=user)
    return cycle


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=200)
    parser.add_argument("--samples", type=int, default=9)
    args = parser.parse_args()

    import django

    django.setup()
    from pypdf import PdfReader

    from assessments.reports import context, render
    from assessments.reports.batch import assessments_to_print, print_forms

    started = time.perf_counter()
    cycle = build(args.people)
    print(f"data: {args.people} people rated in {time.perf_counter() - started:.1f} s")

    assessments = assessments_to_print(cycle)
    render.html_to_pdf(context.person_form_html(assessments[0]))  # warm up fonts
    times, pages = [], 0
    for assessment in assessments[1 : 1 + args.samples]:
        start = time.perf_counter()
        pdf = render.html_to_pdf(context.person_form_html(assessment))
        times.append(time.perf_counter() - start)
        pages += len(PdfReader(io.BytesIO(pdf)).pages)
    per_form = statistics.median(times)
    print(f"one form: median {per_form:.3f} s over {len(times)} forms (budget 0.5 s)")
    print(f"pages per second (one core): {pages / sum(times):.1f}")

    start = time.perf_counter()
    result = print_forms(assessments)
    elapsed = time.perf_counter() - start
    total_pages = len(PdfReader(io.BytesIO(result.pdf)).pages)
    print(
        f"batch: {len(result.printed)} forms, {total_pages} pages in {elapsed:.1f} s on "
        f"{os.cpu_count()} cores ({total_pages / elapsed:.1f} pages/s; budget 60 s for 200)"
    )
    if result.failed:
        print(f"failed: {result.failed}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
