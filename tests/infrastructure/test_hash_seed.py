"""The read model's rows do not depend on Python's string hashing (PYTHONHASHSEED).

The fold collects the items that end and begin at an instant in sets; rows were written, and item
shapes numbered, in the sets' iteration order, so two imports of one file gave different `rm_shapes`
ids and `rm_items` row orders (and the row order is the last tie-break of the views' ORDER BY).
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from benchmarks.generate import generate, write_jsonl

STRATLOG = Path(sys.executable).with_name("stratlog")


def _rows(db: str) -> tuple[list, list]:
    conn = sqlite3.connect(db)
    try:
        shapes = conn.execute("SELECT id, keys FROM rm_shapes ORDER BY id").fetchall()
        items = conn.execute("SELECT unit, item, valid_from, valid_to, data FROM rm_items ORDER BY rowid").fetchall()
        return shapes, items
    finally:
        conn.close()


def test_two_hash_seeds_write_the_same_rows(tmp_path):
    source = str(tmp_path / "history.jsonl")
    write_jsonl(generate(600, seed=7), source)
    found = []
    for seed in ("1", "2"):
        db = str(tmp_path / f"seed-{seed}.db")
        env = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run([str(STRATLOG), "--db", db, "import", source],
                              capture_output=True, text=True, env=env, check=False)
        assert done.returncode == 0, done.stderr
        found.append(_rows(db))
    assert found[0][0] and found[0][1]
    assert found[0] == found[1]
