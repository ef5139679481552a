"""Digests of a database's answers, to show a change to storage or folding left every answer byte-identical.

`python -m benchmarks.answers_digest DB [--brands N] [--known-ats N]` prints one line per question
(`kpis`, `timeline`, `audit`, `state`, `track-record`, `events`) with the SHA-256 of the JSON answers of
every sampled brand at every sampled valid date and known-at instant, then one line for the whole.
Known-at instants are drawn from the log's own recorded_at values (so two databases holding the same
export compare at the same instants) plus "now". Run it with the old code on one database and with the
new code on a copy rebuilt (or restored from the same export) and compare the lines.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sqlite3
import subprocess
import sys

from benchmarks.timing import console_script
from stratlog.infrastructure.stored_state import unpack

DATES = ("2012-12-31", "2018-06-30", "2023-06-30", "2026-03-31", "2031-12-31")
QUESTIONS = ("kpis", "timeline", "audit", "state", "events")


def _stratlog(db: str, *args: str) -> bytes:
    done = subprocess.run([console_script(), "--db", db, *args],
                          capture_output=True, check=False)
    if done.returncode != 0:
        return b"exit %d: " % done.returncode + done.stderr
    return done.stdout


def _sample(db: str, brands: int, known_ats: int) -> tuple[list[str], list[str]]:
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        names = sorted({json.loads(unpack(state))["statement"]["brand"] for (state,) in conn.execute(
            "SELECT state FROM stored_events WHERE topic LIKE '%BrandRegistered'")})
        instants = sorted({json.loads(unpack(state))["recorded_at"] for (state,) in conn.execute(
            "SELECT state FROM stored_events")})
    step = max(1, len(instants) // max(1, known_ats))
    return names[:brands], instants[step - 1::step][:known_ats]


def digests(db: str, brands: int = 3, known_ats: int = 2) -> dict[str, str]:
    """{question: sha256 hex} over the sampled brands × DATES × known-at instants (and now)."""
    names, instants = _sample(db, brands, known_ats)
    found: dict[str, hashlib._Hash] = {q: hashlib.sha256() for q in (*QUESTIONS, "track-record")}
    for known in [*instants, None]:
        at = ["--known-at", known] if known else []
        for as_of in DATES:
            found["track-record"].update(_stratlog(db, "track-record", "--as-of", as_of, *at, "--json"))
            for brand in names:
                for question in QUESTIONS[:-1]:
                    found[question].update(_stratlog(db, question, "--brand", brand, "--as-of", as_of, *at, "--json"))
    for brand in names:  # the raw log has no valid or known-at date
        found["events"].update(_stratlog(db, "events", "--brand", brand, "--json"))
    return {q: h.hexdigest() for q, h in found.items()}


def main(argv: list[str] | None = None) -> int:
    """Print the digests of DB's answers; exit 0."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("db")
    parser.add_argument("--brands", type=int, default=3)
    parser.add_argument("--known-ats", type=int, default=2)
    args = parser.parse_args(argv)
    found = digests(args.db, args.brands, args.known_ats)
    whole = hashlib.sha256("".join(found.values()).encode()).hexdigest()
    for question, digest in found.items():
        print(f"{question:13} {digest}")
    print(f"{'all':13} {whole}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
