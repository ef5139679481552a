"""Per-statement floors of import and rebuild, in this process, against DESIGN 8b's budgets measured in
the same run.

Import: what parsing, pydantic validation, the statement id and the read-back of each stored statement
cost alone, against 0.20 × raw `executemany` of the same rows. No read model, no rules, no event envelope,
no write: only the steps DESIGN 8b ("validated pydantic events") and 9 r2 ("every event … serialised
and read back through the same mapper and checks") require of every statement.

Rebuild: the raw read and decode of the log (the baseline) plus writing the rows the read model holds —
the very rows a `stratlog import` of the same statements stored, re-inserted with one `executemany` per
table into empty copies of its tables (same schema and indexes) — against 1 / 0.45 × the raw read.

When a floor alone exceeds its budget, nothing that keeps those steps meets the ratio in this
interpreter. Run as a module: `python -m benchmarks.measure_floors --statements 20000`.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import statistics
import tempfile
import time
import uuid
from pathlib import Path
from typing import Callable

from benchmarks.generate import generate
from benchmarks.measure_import import raw_executemany_seconds
from benchmarks.measure_rebuild import raw_read_rate
from benchmarks.timing import console_script, run_process

BUDGET = 0.20  # DESIGN 8b r2: import ≥ 0.20 × raw executemany
REBUILD_BUDGET = 0.45  # DESIGN 8b r2: rebuild ≥ 0.45 × raw read + json decode


def _per_statement(step: Callable[[], object], count: int, runs: int) -> float:
    """Median µs per statement of `step` (which handles `count` statements) over `runs` runs."""
    seconds = []
    for _ in range(runs):
        started = time.perf_counter()
        step()
        seconds.append(time.perf_counter() - started)
    return statistics.median(seconds) / count * 1e6


def measure_floors(statements: int, runs: int = 3) -> dict[str, float]:
    """µs per statement of each floor step and of raw executemany, for `statements` generated statements."""
    from stratlog.domain.catalogue import RECORD_ADAPTER
    lines = [json.dumps(s) for s in generate(statements)]
    items = [json.loads(line) for line in lines]
    records = [RECORD_ADAPTER.validate_python(item) for item in items]
    texts = [r.model_dump_json(exclude_none=True) for r in records]
    rows = [(uuid.uuid4().hex, 1, f"stratlog.domain.brand:{type(r).__name__}", t.encode()) for r, t in zip(records, texts)]
    floors = {
        "parse the JSON line": _per_statement(lambda: [json.loads(line) for line in lines], statements, runs),
        "validate the record (pydantic)": _per_statement(
            lambda: [RECORD_ADAPTER.validate_python(item) for item in items], statements, runs),
        "statement id (canonical dump, uuid5)": _per_statement(
            lambda: [r.statement_id() for r in records], statements, runs),
        "dump the stored state (pydantic, JSON)": _per_statement(
            lambda: [r.model_dump_json(exclude_none=True) for r in records], statements, runs),
        "read it back (pydantic validation of the JSON)": _per_statement(
            lambda: [type(r).model_validate_json(t) for r, t in zip(records, texts)], statements, runs),
    }
    with tempfile.TemporaryDirectory() as workdir:
        raw = statistics.median(raw_executemany_seconds(rows, str(Path(workdir) / "raw.db")) for _ in range(runs))
    floors["raw executemany of the rows (the baseline)"] = raw / statements * 1e6
    return floors


def measure_rebuild_floors(statements: int, runs: int = 3) -> dict[str, float]:
    """µs per statement of the rebuild baseline (raw read and decode of the log) and of writing the read
    model's rows, and how many rows that is per statement, for `statements` generated statements."""
    with tempfile.TemporaryDirectory() as workdir:
        jsonl, db = str(Path(workdir) / "in.jsonl"), str(Path(workdir) / "s.db")
        Path(jsonl).write_text("".join(json.dumps(s) + "\n" for s in generate(statements)), encoding="utf-8")
        run_process([console_script(), "--db", db, "import", jsonl], cwd=workdir, log_dir=workdir)
        read = statistics.median(1 / raw_read_rate(db) for _ in range(runs)) * 1e6
        tables = _read_model_tables(db)
        writes = statistics.median(_write_seconds(tables, str(Path(workdir) / f"copy-{n}.db")) for n in range(runs))
    return {"raw read + inflate + json.loads of the log (the baseline)": read,
            "write the read model's rows (executemany per table, same schema and indexes)": writes / statements * 1e6,
            "read-model rows per statement": sum(len(rows) for _, _, rows in tables) / statements}


def _read_model_tables(db: str) -> list[tuple[str, list[str], list[tuple]]]:
    """(create statement, index statements, rows) of each read-model table of `db`."""
    from stratlog.infrastructure.migrations import READ_MODEL_TABLES
    conn = sqlite3.connect(db)
    try:
        found = []
        for table in READ_MODEL_TABLES:
            create = conn.execute("SELECT sql FROM sqlite_master WHERE type='table' AND name=?", (table,)).fetchone()[0]
            indexes = [sql for (sql,) in conn.execute(
                "SELECT sql FROM sqlite_master WHERE type='index' AND tbl_name=? AND sql IS NOT NULL", (table,))]
            found.append((create, indexes, conn.execute(f"SELECT * FROM {table}").fetchall()))
        return found
    finally:
        conn.close()


def _write_seconds(tables: list[tuple[str, list[str], list[tuple]]], path: str) -> float:
    """Seconds to insert every table's rows (one executemany each, one transaction) into empty copies."""
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("PRAGMA journal_mode=WAL")
        for create, indexes, _ in tables:
            conn.execute(create)
            for sql in indexes:
                conn.execute(sql)
        started = time.perf_counter()
        conn.execute("BEGIN")
        for create, _, rows in tables:
            if rows:
                name = create.split("(", 1)[0].split()[-1]
                conn.executemany(f"INSERT INTO {name} VALUES ({','.join('?' * len(rows[0]))})", rows)
        conn.execute("COMMIT")
        return time.perf_counter() - started
    finally:
        conn.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--statements", type=int, default=20000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    floors = measure_floors(args.statements, args.runs)
    raw = floors.pop("raw executemany of the rows (the baseline)")
    for step, micros in floors.items():
        print(f"{step:48} {micros:8.2f} µs per statement")
    total = sum(floors.values())
    print(f"{'sum of the floors':48} {total:8.2f} µs per statement")
    print(f"{'raw executemany (baseline)':48} {raw:8.2f} µs per row")
    print(f"import budget at {BUDGET:.2f} × raw: {raw / BUDGET:.2f} µs per statement; the floors alone reach "
          f"{raw / total:.3f} × raw ({total / (raw / BUDGET):.2f} × the budget)")
    rebuild = measure_rebuild_floors(args.statements, args.runs)
    rows = rebuild.pop("read-model rows per statement")
    for step, micros in rebuild.items():
        print(f"{step:48} {micros:8.2f} µs per statement")
    read, total = next(iter(rebuild.values())), sum(rebuild.values())
    print(f"read-model rows per statement: {rows:.2f}")
    print(f"rebuild budget at {REBUILD_BUDGET:.2f} × raw read: {read / REBUILD_BUDGET:.2f} µs per statement; "
          f"reading and writing alone reach {read / total:.3f} × raw ({total / (read / REBUILD_BUDGET):.2f} × the budget)")


if __name__ == "__main__":
    main()
