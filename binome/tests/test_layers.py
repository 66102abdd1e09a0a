"""Imports only point down: each app of binome/ imports only the apps listed before it.

Read from the source with `ast` (no import runs), so an upward import hidden inside a function is
found as well as one at the top of a module. An app's tests and commands obey its floor too;
`binome/tests/` (whole-site tests like this one), `binome/testing.py` (the cast) and `config/` sit
above every app.
"""

import ast
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# The floors, from the bottom up. A new app takes its place above what it uses.
LAYERS = [
    "core",
    "encryption",
    "jobs",
    "reference",
    "accounts",
    "programmes",
    "people",
    "duos",
    "matching",
    "notifications",
    "partners",
    "community",
    "resources",
    "training",
    "questionnaires",
    "evaluation",
    "privacy",
    "ops",
    "demo",
]
# Not apps: whole-site tests and the test cast, above every app.
ABOVE_EVERY_APP = {"tests", "testing"}


@dataclass(frozen=True)
class UpwardImport:
    path: str
    line: int
    module: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: imports {self.module}, which is above it"


def imported_modules(tree: ast.AST, package: str) -> list[tuple[int, str]]:
    """Return (line, absolute module) for every import in the tree, relative ones resolved."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            found.append((node.lineno, module))
            # `from binome import duos` imports an app by its name.
            if module == "binome":
                found += [(node.lineno, f"binome.{alias.name}") for alias in node.names]
    return found


def upward_imports(root: Path, layers: list[str] = LAYERS) -> list[UpwardImport]:
    """Return every import in root/binome/<app>/ of an app listed after <app> (or not listed)."""
    problems = []
    for path in sorted((root / "binome").rglob("*.py")):
        relative = path.relative_to(root)
        parts = relative.with_suffix("").parts
        if len(parts) < 3 or parts[1] in ABOVE_EVERY_APP:
            continue
        app = parts[1]
        floor = layers.index(app) if app in layers else -1
        package = ".".join(parts if path.name == "__init__.py" else parts[:-1])
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for line, module in imported_modules(tree, package):
            names = module.split(".")
            if names[0] != "binome" or len(names) < 2 or names[1] == app:
                continue
            target = names[1]
            if target in ABOVE_EVERY_APP and target == "testing" and "tests" in parts:
                continue  # an app's tests use the cast
            if target not in layers or floor < 0 or layers.index(target) > floor:
                problems.append(UpwardImport(str(relative), line, module))
    return problems


def test_every_import_of_every_app_points_down():
    problems = upward_imports(ROOT)
    assert not problems, "\n".join(str(problem) for problem in problems)


def test_an_upward_import_inside_a_function_is_named_with_its_file_and_line(tmp_path):
    core = tmp_path / "binome" / "core"
    core.mkdir(parents=True)
    (core / "__init__.py").write_text("")
    (core / "fine.py").write_text("from django.db import models\nfrom . import errors\n")
    (core / "bad.py").write_text(
        "import datetime\n\n\ndef lookup():\n"
        "    from binome.duos.models import Duo\n"
        "    return Duo\n"
    )
    people = tmp_path / "binome" / "people"
    people.mkdir()
    (people / "ok.py").write_text("from binome.accounts import roles\nfrom binome import core\n")
    (people / "up.py").write_text("from ..matching import services\n")

    problems = [str(problem) for problem in upward_imports(tmp_path)]

    assert problems == [
        "binome/core/bad.py:5: imports binome.duos.models, which is above it",
        "binome/people/up.py:1: imports binome.matching, which is above it",
    ]


def test_an_app_missing_from_the_floors_is_refused(tmp_path):
    extra = tmp_path / "binome" / "extra"
    extra.mkdir(parents=True)
    (extra / "views.py").write_text("from binome.core import errors\n")

    assert [p.module for p in upward_imports(tmp_path)] == ["binome.core"]


def test_the_floors_list_every_app_of_the_project():
    packages = {p.parent.name for p in (ROOT / "binome").glob("*/__init__.py")}
    assert packages - ABOVE_EVERY_APP == set(LAYERS)


def test_core_imports_django_and_the_standard_library_only():
    import sys

    for path in sorted((ROOT / "binome" / "core").rglob("*.py")):
        if "tests" in path.parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for line, module in imported_modules(tree, "binome.core"):
            top = module.split(".")[0]
            allowed = top in {"django", "binome"} or top in sys.stdlib_module_names
            assert allowed, f"{path.relative_to(ROOT)}:{line}: imports {module}"
            if top == "binome":
                assert module.startswith("binome.core"), f"{path}:{line}: imports {module}"
