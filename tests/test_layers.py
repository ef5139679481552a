"""The layers import inward only: domain knows nothing of storage, the CLI or the application."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FORBIDDEN = {
    "domain": {"stratlog.application", "stratlog.infrastructure", "stratlog.cli", "sqlite3", "sqlite_utils", "click",
               "yaml", "psycopg", "eventsourcing.application", "eventsourcing.persistence", "eventsourcing.sqlite"},
    "application": {"stratlog.cli", "stratlog.infrastructure", "click", "sqlite3", "sqlite_utils", "yaml", "psycopg"},
    "infrastructure": {"stratlog.cli", "click"},
}
# The old top-level names: nothing may import them any more (the wheel installs only `stratlog`).
OLD_TOP_LEVEL = ("domain", "application", "infrastructure", "cli", "examples")


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def violations(layer: str) -> list[str]:
    found = []
    for path in sorted((ROOT / layer).rglob("*.py")):
        for name in imported_modules(path):
            if any(name == bad or name.startswith(bad + ".") for bad in FORBIDDEN[layer]):
                found.append(f"{path.relative_to(ROOT)} imports {name}")
    return found


@pytest.mark.parametrize("layer", sorted(FORBIDDEN))
def test_a_layer_imports_only_what_lies_inward_of_it(layer):
    assert violations(layer) == []


def test_no_module_imports_the_old_top_level_packages():
    found = [f"{path.relative_to(ROOT)} imports {name}"
             for folder in ("domain", "application", "infrastructure", "cli", "tests", "benchmarks")
             for path in sorted((ROOT / folder).rglob("*.py"))
             for name in imported_modules(path) if name.split(".")[0] in OLD_TOP_LEVEL]
    assert found == []


def test_every_module_starts_with_a_docstring_saying_what_belongs_in_it():
    missing = [str(p.relative_to(ROOT)) for layer in ("domain", "application", "infrastructure", "cli")
               for p in (ROOT / layer).rglob("*.py") if ast.get_docstring(ast.parse(p.read_text())) is None]
    assert missing == []
