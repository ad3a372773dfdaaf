"""`make bench` runs on a fresh checkout and measures real pages (a page answering 4xx stops
it): a small organisation, one run of each figure, on its own SQLite database."""

import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings


def test_the_benchmark_prints_every_figure_with_its_budget():
    root = Path(settings.BASE_DIR)
    env = {**os.environ, "DATABASE_URL": ""}
    result = subprocess.run(
        [sys.executable, str(root / "benchmarks" / "portal.py"), "--sizes", "45", "--repeat", "1"],
        capture_output=True,
        text=True,
        env=env,
        cwd=root,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    lines = result.stdout.splitlines()
    for label in ["login page", "self-rating page", "HR round dashboard", "results export XLSX"]:
        line = next(line for line in lines if line.startswith(label))
        assert " ms (" in line
    assert "≤ 25 ms" in result.stdout and "SQLite" in result.stdout
