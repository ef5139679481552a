"""The layers import inward only: domain knows nothing of storage, the CLI or the application."""

from __future__ import annotations

import ast
import inspect
import sys
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


# What the CLI may import of the other layers: the composition root (all it knows of the outer layers),
# the application's public names it calls or renders, and the domain errors and values it renders.
CLI_MAY_IMPORT = {
    "stratlog.infrastructure.composition",
    "stratlog.application.service", "stratlog.application.ports", "stratlog.application.query_dates",
    "stratlog.application.view_titles", "stratlog.application.flat_rows",
    "stratlog.domain.errors", "stratlog.domain.quoting", "stratlog.domain.jsonvalues", "stratlog.domain.dates",
    "stratlog.domain.picture", "stratlog.domain.catalogue", "stratlog.domain.field_notes",
}


def cli_reaches_past_the_root() -> list[str]:
    return [f"{path.relative_to(ROOT)} imports {name}"
            for path in sorted((ROOT / "cli").rglob("*.py"))
            for name in imported_modules(path)
            if name.startswith("stratlog.") and not name.startswith("stratlog.cli") and name not in CLI_MAY_IMPORT]


def test_the_cli_reaches_the_outer_layers_only_through_the_composition_root():
    assert cli_reaches_past_the_root() == []


def test_the_cli_rule_fails_on_an_import_of_infrastructure_past_the_root(tmp_path, monkeypatch):
    fake_root = tmp_path / "project"
    (fake_root / "cli").mkdir(parents=True)
    (fake_root / "cli" / "cmd_x.py").write_text('"""x."""\nfrom stratlog.infrastructure.runtime import Runtime\n')
    monkeypatch.setitem(globals(), "ROOT", fake_root)
    assert cli_reaches_past_the_root() == ["cli/cmd_x.py imports stratlog.infrastructure.runtime"]


def pydantic_classes_of_the_domain() -> set[type]:
    from pydantic import BaseModel

    from stratlog.domain.catalogue import ALL_CLASSES, SUBJECTS
    found, todo = set(), [*ALL_CLASSES, *(event for subject in SUBJECTS for event in subject.aggregate.EVENTS.values())]
    while todo:
        cls = todo.pop()
        if cls not in found and issubclass(cls, BaseModel) and cls.__module__.startswith("stratlog."):
            found.add(cls)
            todo += [*cls.__mro__[1:], *(field.annotation for field in cls.model_fields.values()
                                         if isinstance(field.annotation, type))]
    return found


def test_no_module_declaring_a_pydantic_model_of_the_domain_defers_its_annotations():
    """pydantic evaluates every string annotation of a model class and of its bases with compile and eval,
    once per subclass, at import: `from __future__ import annotations` there cost 1,145 evaluations."""
    deferred = sorted({cls.__module__ for cls in pydantic_classes_of_the_domain()
                       if defers_annotations(inspect.getsource(sys.modules[cls.__module__]))})
    assert deferred == []


def defers_annotations(source: str) -> bool:
    return any(isinstance(node, ast.ImportFrom) and node.module == "__future__"
               and any(alias.name == "annotations" for alias in node.names) for node in ast.parse(source).body)
