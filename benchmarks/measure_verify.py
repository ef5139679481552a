"""`stratlog projections verify` against a rebuild of the same file (DESIGN 8b r2: verify ≤ 2 × rebuild)."""

from __future__ import annotations

from benchmarks.figures import Figure, Target
from benchmarks.timing import Series, console_script, run_process

VERIFY_TARGET = Target("ratio", at_least=False, goal=2, stretch=1, unit="×")
VERIFY = "`stratlog projections verify`, whole process"


def measure_verify(db: str, rebuild_seconds: list[float], workdir: str, repeat: int) -> list[Figure]:
    """`repeat` verifications of the database (each must pass) against the rebuilds timed on the same file
    (`rebuild_seconds`, whole processes under the same wrapper)."""
    stratlog = console_script()
    seconds = [run_process([stratlog, "--db", db, "projections", "verify"], cwd=workdir, log_dir=workdir,
                           peak_memory=True).seconds for _ in range(repeat)]
    return [Figure(Series(VERIFY, "s", seconds),
                   Series("`stratlog projections rebuild` of the same file, whole process", "s", rebuild_seconds),
                   "times", "× rebuild", VERIFY_TARGET)]
