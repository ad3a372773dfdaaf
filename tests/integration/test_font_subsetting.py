"""The printed forms' fonts are cut down by HarfBuzz-Subset (libharfbuzz-subset0), not by
fontTools: 1-2 ms a form instead of 0.3-0.45 s, half of a six-page form's time on this
project's machine. A server installed by the README has the library; one without it is told
so by `check --deploy` (portal.W002) and by the log when printing starts. WeasyPrint's own
warning ("Using fontTools instead of HarfBuzz-Subset") is the oracle for which way it went."""

import logging
import os

import pytest

from assessments.reports import render
from competency_portal.checks import font_subset_check

WEASYPRINTS_FALLBACK = "Using fontTools instead of HarfBuzz-Subset"
FORM = "<h1>ผลการประเมินสมรรถนะ</h1><p>องค์การบริหารส่วนตำบลคลองขวาง <b>สำเร็จ</b></p>"


def weasyprint_warnings(caplog):
    return [r.getMessage() for r in caplog.records if r.name.startswith("weasyprint")]


def require_harfbuzz_subset():
    if render.fonts_subset_by_harfbuzz():
        return
    if os.environ.get("CI"):
        pytest.fail("no HarfBuzz-Subset: .ci/run installs libharfbuzz-subset0")
    pytest.skip("no HarfBuzz-Subset here: apt-get install libharfbuzz-subset0")


def test_a_form_is_printed_without_weasyprints_fallback(caplog):
    require_harfbuzz_subset()
    with caplog.at_level(logging.WARNING):
        pdf = render.make_pdf(FORM, 5, 2**20)
    assert pdf.startswith(b"%PDF")
    assert not [m for m in weasyprint_warnings(caplog) if WEASYPRINTS_FALLBACK in m]
    assert font_subset_check(None) == []


def test_without_harfbuzz_subset_the_check_says_so_as_weasyprint_does(monkeypatch, caplog):
    from weasyprint.pdf import fonts

    monkeypatch.setattr(fonts, "harfbuzz_subset", None)  # WeasyPrint's own switch
    with caplog.at_level(logging.WARNING):
        render.make_pdf(FORM, 5, 2**20)
    assert [m for m in weasyprint_warnings(caplog) if WEASYPRINTS_FALLBACK in m]
    assert not render.fonts_subset_by_harfbuzz()
    [warning] = font_subset_check(None)
    assert warning.id == "portal.W002"
    assert "apt-get install libharfbuzz-subset0" in warning.msg


def test_the_check_runs_with_deploy_only():
    from django.core.checks import registry

    assert font_subset_check not in registry.registry.get_checks(include_deployment_checks=False)
    assert font_subset_check in registry.registry.get_checks(include_deployment_checks=True)


def test_printing_warns_once_when_it_starts_without_harfbuzz_subset(monkeypatch, caplog):
    from weasyprint.pdf import fonts

    monkeypatch.setattr(fonts, "harfbuzz_subset", None)
    render._engine.cache_clear()  # the engine is made once a process: made again here
    try:
        with caplog.at_level(logging.WARNING, logger="assessments.reports.render"):
            render._engine()
            render._engine()
    finally:
        monkeypatch.undo()
        render._engine.cache_clear()
    ours = [r for r in caplog.records if r.name == "assessments.reports.render"]
    assert [r.getMessage() for r in ours] == [render.SLOW_FONT_SUBSET]
