"""The layering rules of the code, read from its imports (README, "Where things are"):
pages above services and selectors above models, `assessments` above `framework`, the scoring
rules pure, and one loader scoring the results."""

import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
APPS = ("competency_portal", "framework", "assessments")


def modules(*folders):
    """{dotted name: path} of the project's Python modules under these folders, no migrations."""
    found = {}
    for folder in folders:
        for path in (ROOT / folder).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            name = ".".join(path.relative_to(ROOT).with_suffix("").parts)
            found[name.removesuffix(".__init__")] = path
    return found


def imports(path):
    """Every module name an import statement in this file names (absolute)."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def names_under(name, prefix):
    return name == prefix or name.startswith(prefix + ".")


def test_the_framework_never_imports_the_assessments():
    offenders = {
        module: sorted(n for n in imports(path) if names_under(n, "assessments"))
        for module, path in modules("framework").items()
    }
    assert {m: found for m, found in offenders.items() if found} == {}


def test_the_scoring_rules_import_the_standard_library_only():
    found = {n.split(".")[0] for n in imports(ROOT / "assessments" / "scoring.py")}
    assert found <= sys.stdlib_module_names, found - sys.stdlib_module_names


def test_models_services_and_selectors_never_import_pages():
    pages = ("django.http", "django.shortcuts", "assessments.views", "assessments.hr")
    lower = {
        module: path
        for module, path in modules(*APPS).items()
        if any(part in module.split(".") for part in ("models", "services", "selectors"))
        or module.endswith(("services", "selectors", "rules", "tree", "exchange", "diff"))
    }
    offenders = {}
    for module, path in lower.items():
        bad = [
            n
            for n in imports(path)
            if any(names_under(n, page) for page in pages)
            or n.endswith((".views", ".forms"))
            or ".forms." in n
        ]
        if bad:
            offenders[module] = sorted(bad)
    assert offenders == {}


def test_at_most_two_modules_import_the_scoring_rules():
    importers = sorted(
        module
        for module, path in modules(*APPS).items()
        if module != "assessments.scoring"
        and any(names_under(n, "assessments.scoring") for n in imports(path))
    )
    assert importers == ["assessments.selectors.results"]


def test_at_most_twelve_modules_stay_flat_in_assessments():
    flat = sorted(p.name for p in (ROOT / "assessments").glob("*.py"))
    assert len(flat) <= 12, flat


def test_every_module_opens_with_a_docstring_saying_what_it_holds():
    missing = [
        module
        for module, path in modules(*APPS).items()
        if path.stat().st_size and ast.get_docstring(ast.parse(path.read_text("utf-8"))) is None
    ]
    assert missing == []
