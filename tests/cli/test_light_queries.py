"""Queries on a current database answer from the read model alone: the catalogue's classes (pydantic,
eventsourcing) are never imported, only its plain-data picture (DESIGN.md §8 known levers)."""

from __future__ import annotations

import subprocess
import sys

import pytest

HEAVY = ("pydantic", "eventsourcing", "stratlog.domain.catalogue", "stratlog.domain.model", "sqlite_utils")
PROBE = """
import sys
from stratlog.cli.main import run
code = run(sys.argv[1:])
print("IMPORTED", code, sorted(name for name in {heavy!r} if name in sys.modules), file=sys.stderr)
"""


@pytest.mark.parametrize("question", [["timeline", "--brand", "alpine"], ["state", "alpine"], ["kpis"],
                                      ["audit", "alpine"], ["diff", "--from", "2023", "--to", "2026"], ["checks"]],
                         ids=lambda q: q[0])
def test_a_query_imports_neither_pydantic_nor_eventsourcing_nor_the_catalogue(alpine_db, question):
    probe = subprocess.run([sys.executable, "-c", PROBE.format(heavy=HEAVY), "--db", alpine_db, *question, "--json"],
                           capture_output=True, text=True, timeout=120)

    assert probe.stderr.strip().splitlines()[-1] == "IMPORTED 0 []"
