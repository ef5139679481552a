"""One brand with a long history imported and rebuilt, against many brands of the same total (cost per statement)."""

from __future__ import annotations

from pathlib import Path

from benchmarks.figures import Figure, Target
from benchmarks.generate import generate, one_brand, write_jsonl
from benchmarks.measure_import import remove_database
from benchmarks.timing import Series, console_script, run_process

SAME_COST_TARGET = Target("ratio", at_least=False, goal=1.2, stretch=1.0, unit="×")  # DESIGN 8 r2: the same cost


def measure_one_brand(statements: int, workdir: str, repeat: int) -> tuple[list[Figure], str]:
    """`repeat` rounds of: import and rebuild `one_brand(statements)`, then the same for `generate(statements)`
    (many brands); µs per statement of each, whole processes."""
    stratlog = console_script()
    one, many = str(Path(workdir) / "one-brand.jsonl"), str(Path(workdir) / "many-brands.jsonl")
    write_jsonl(one_brand(statements), one)
    history = generate(statements)
    brands = len({s["brand"] for s in history})
    write_jsonl(history, many)
    del history
    cost: dict[tuple[str, str], list[float]] = {}
    for attempt in range(repeat):
        for name, jsonl in (("one", one), ("many", many)):
            db = str(Path(workdir) / f"{name}-brand-{attempt}.db")
            remove_database(db)
            for step, args in (("import", ["import", jsonl]), ("rebuild", ["projections", "rebuild"])):
                run = run_process([stratlog, "--db", db, *args], cwd=workdir, log_dir=workdir, peak_memory=True)
                cost.setdefault((name, step), []).append(run.seconds * 1e6 / statements)
            remove_database(db)
    figures = [Figure(Series(f"{step} of one brand with {statements:,} statements, per statement", "µs",
                             cost[("one", step)]),
                      Series(f"{step} of {brands:,} brands with {statements:,} statements in all, per statement", "µs",
                             cost[("many", step)]), "times", "× many brands", SAME_COST_TARGET)
               for step in ("import", "rebuild")]
    return figures, f"one brand: {statements:,} statements about brand-0000 (`benchmarks.generate.one_brand`)"
