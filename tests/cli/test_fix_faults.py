"""Faults an independent tester found in folding and fixing (each was a traceback or an answer that changed
with the hash seed); the right behaviour of each is pinned here."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import write

SRC = ("--source-title", "s")


@pytest.fixture
def acme(db, stratlog):
    assert stratlog("--db", db, "record", "brand-registered", "acme", "--name", "Acme").code == 0
    return db


def _answers(stratlog, db: str) -> list[str]:
    return [stratlog("--db", db, question, "--brand", "acme", "--as-of", "2026-06-30", "--json").out
            for question in ("timeline", "kpis", "audit", "state")]


@pytest.mark.parametrize("kind, first, moved, again", [
    ("actual-reported", ["--kpi", "sales", "--period", "2024", "--value", "1", "--unit", "u"], ["--kpi", "revenue"],
     ["--kpi", "sales", "--period", "2025", "--value", "2", "--unit", "u"]),
    ("target-set", ["--kpi", "sales", "--deadline", "2030", "--value", "5", "--unit", "u", "--comparator", "at-least"],
     ["--kpi", "revenue"],
     ["--kpi", "sales", "--deadline", "2031", "--value", "7", "--unit", "u", "--comparator", "at-least"]),
])
def test_a_correction_that_moves_a_statement_to_another_kpi_rebuilds_and_restores(acme, stratlog, tmp_path,
                                                                                   kind, first, moved, again):
    """The KPI the correction left had no members for a while; a statement recorded on it later made every
    rebuild, restore and refold of the log crash (TypeError) while the live read model went on."""
    said = stratlog("--db", acme, "record", kind, "acme", *first, "--announced-on", "2025-01", *SRC)
    assert said.code == 0
    assert stratlog("--db", acme, "correct", said.out.strip(), *moved, "--note", "wrong KPI").code == 0
    assert stratlog("--db", acme, "record", kind, "acme", *again, "--announced-on", "2026-01", *SRC).code == 0
    live = _answers(stratlog, acme)
    rebuilt = stratlog("--db", acme, "projections", "rebuild")
    assert rebuilt.code == 0, rebuilt.err
    assert _answers(stratlog, acme) == live
    exported = str(tmp_path / "x.jsonl")
    assert stratlog("--db", acme, "export", "--out", exported).code == 0
    copy = str(tmp_path / "copy.db")
    assert stratlog("--db", copy, "import", exported).code == 0
    assert _answers(stratlog, copy) == live
    assert stratlog("--db", copy, "projections", "verify").code == 0


SAME_SPAN = """statements:
  - {kind: brand-registered, brand: nord, name: Nord}
  - {kind: target-set, brand: nord, kpi: sales, value: 1000, unit: u, comparator: at-least, deadline: "2030",
     announced_on: "2023", source: {title: t}}
  - {kind: actual-reported, brand: nord, kpi: sales, period: "2024", value: 100, unit: u, announced_on: 2025-03,
     source: {title: t}}
  - {kind: actual-reported, brand: nord, kpi: sales, period: "2024-01..2024-12", value: 400, unit: u,
     announced_on: 2025-03, source: {title: t}}
"""


def test_two_actuals_of_the_same_span_give_one_answer_whatever_the_hash_seed(tmp_path):
    """Their order came from the order rows were stored in, which followed set iteration: the latest
    actual (and verify's verdict) changed with PYTHONHASHSEED."""
    stratlog = str(Path(sys.executable).parent / "stratlog")
    source = write(tmp_path, "v.yaml", SAME_SPAN)
    answers = set()
    for seed in ("1", "2", "3", "4"):
        db = str(tmp_path / f"s{seed}.db")
        env = {**os.environ, "PYTHONHASHSEED": seed}
        run = [stratlog, "--db", db]
        assert subprocess.run([*run, "import", source], env=env, capture_output=True).returncode == 0
        kpis = subprocess.run([*run, "kpis", "--brand", "nord", "--json"], env=env, capture_output=True, text=True)
        answers.add((json.loads(kpis.stdout)[0]["actual"], json.loads(kpis.stdout)[0]["actual_period"]))
        assert subprocess.run([*run, "projections", "verify"], env=env, capture_output=True).returncode == 0
    assert answers == {(400, "2024-01..2024-12")}


@pytest.mark.parametrize("command", [["correct", "{fix}", "--value", "3", "--note", "again"],
                                     ["retract", "{fix}", "--reason", "x"]])
def test_a_fix_that_names_one_of_our_fixes_is_refused_naming_the_statement_to_fix(acme, stratlog, command):
    """Correcting a correction raised an AttributeError; retracting one said the correction did not exist."""
    said = stratlog("--db", acme, "record", "actual-reported", "acme", "--kpi", "sales", "--period", "2023",
                    "--value", "1", "--unit", "u", "--announced-on", "2024", *SRC).out.strip()
    fix = stratlog("--db", acme, "correct", said, "--value", "2", "--note", "n").out.strip()
    before = stratlog("--db", acme, "events", "--json").out
    refused = stratlog("--db", acme, *[part.format(fix=fix) for part in command])
    assert refused.code == 1 and "Traceback" not in refused.err
    assert f"which is our correction of statement '{said}', not a statement: name statement {said[:8]}" in refused.err
    assert stratlog("--db", acme, "events", "--json").out == before
