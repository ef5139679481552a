"""Recording one statement imports only the subject module of its kind (DESIGN.md §8b: one `record`,
whole process): the catalogue finds the module through picture.INDEX instead of importing all five."""

from __future__ import annotations

import subprocess
import sys

import pytest

from stratlog.domain.picture import INDEX

SUBJECT_MODULES = sorted(INDEX["subjects"].values())
PROBE = """
import sys
from stratlog.cli.main import run
code = run(sys.argv[1:])
print("IMPORTED", code, sorted(name for name in {modules!r} if name in sys.modules), file=sys.stderr)
"""


def imported_subject_modules(*arguments: str) -> str:
    probe = subprocess.run([sys.executable, "-c", PROBE.format(modules=SUBJECT_MODULES), *arguments],
                           capture_output=True, text=True, timeout=120)
    return probe.stderr.strip().splitlines()[-1]


@pytest.mark.parametrize("statement, module", [
    (["market-entered", "alpine", "US", "--entered-on", "2026-03"], "stratlog.domain.market"),
    (["model-planned", "alpine", "A390", "--planned-for", "2025"], "stratlog.domain.model"),
    (["plant-planned", "alpine", "dieppe", "--planned-for", "2027"], "stratlog.domain.plant"),
], ids=lambda value: value if isinstance(value, str) else value[0])
def test_recording_a_statement_imports_the_module_of_its_subject_alone(alpine_db, statement, module):
    arguments = ["--db", alpine_db, "record", *statement, "--announced-on", "2026-03", "--source-title", "Press"]

    assert imported_subject_modules(*arguments) == f"IMPORTED 0 {[module]!r}"


def test_asking_for_the_help_of_correct_imports_every_subject_module_it_takes_fields_from(alpine_db):
    assert imported_subject_modules("--db", alpine_db, "correct", "--help") == f"IMPORTED 0 {SUBJECT_MODULES!r}"
