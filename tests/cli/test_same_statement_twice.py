"""Two statements that differ only in their note are one statement (the note is left out of its id):
an import holding both records the first and counts the second as already recorded. The dumped text
kept for the mapper was keyed by id, so the second overwrote the first's and the import was refused as
"note: null would not read back" (found by the round-trip property)."""

from __future__ import annotations

import json

import pytest

from tests.conftest import write

TARGET = ('{kind: target-set, brand: b, announced_on: 1990-Q1, source: {title: "0", speaker: "0"}, kpi: revenue, '
          'comparator: at-least, deadline: "2000-01-01", value: {amount: 0, currency: JPY}%s}')


@pytest.mark.parametrize("notes", [(None, "0"), ("0", None), ("first", "second")])
def test_the_first_of_two_statements_differing_in_their_note_is_recorded(db, stratlog, tmp_path, notes):
    lines = [TARGET % ("" if note is None else f", note: {json.dumps(note)}") for note in notes]
    text = "statements:\n  - {kind: brand-registered, brand: b, name: B}\n" + "".join(f"  - {line}\n" for line in lines)
    imported = stratlog("--db", db, "import", write(tmp_path, "twice.yaml", text))
    assert imported.code == 0, imported.err
    assert "2 new statements, 1 already recorded" in imported.out
    [event] = json.loads(stratlog("--db", db, "events", "--kind", "target-set", "--json").out)
    assert event.get("note") == notes[0]
    assert stratlog("--db", db, "projections", "verify").code == 0
