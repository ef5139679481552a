"""As-of query latency in process (kpis, timeline, audit) against the naive fold, with every answer compared."""

from __future__ import annotations

import json
import random
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone

from benchmarks.figures import Figure, Target
from benchmarks.naive_fold import NaiveFold, answer
from benchmarks.timing import Series, percentile

QUESTIONS = ("kpis", "timeline", "audit")
FIRST_DAY, LAST_DAY = date(2012, 1, 1), date(2035, 12, 31)
SEED = 2024
SPEEDUP_TARGET = Target("ratio", at_least=True, goal=8, stretch=20, unit="×")
P95_TARGETS = {"kpis": Target("value", at_least=False, goal=5, unit="ms"),
               "timeline": Target("value", at_least=False, goal=15, unit="ms"), "audit": None}


@dataclass
class Answers:
    """How many answers of the read model were compared with the naive fold's, and which differed."""

    compared: int = 0
    mismatches: list[str] = field(default_factory=list)

    def check(self, question: str, brand: str, as_of: date, fast: list[dict], slow: list[dict]) -> None:
        self.compared += 1
        if fast == slow:
            return
        order_only = sorted(map(_text, fast)) == sorted(map(_text, slow))
        index = next((i for i, (a, b) in enumerate(zip(fast, slow)) if a != b), min(len(fast), len(slow)))
        first = (f"read model {_text(fast[index]) if index < len(fast) else '(none)'}; "
                 f"naive {_text(slow[index]) if index < len(slow) else '(none)'}")
        self.mismatches.append(f"{question} {brand} as of {as_of}: {len(fast)} rows vs naive {len(slow)}"
                               f"{' (same rows, other order)' if order_only else ''}; first difference at row "
                               f"{index}: {first[:700]}")


@dataclass
class Measured:
    """The latency figures and the comparison of answers."""

    figures: list[Figure]
    answers: Answers


def _text(row: dict) -> str:
    return json.dumps(row, sort_keys=True, default=str)


def random_pairs(brands: list[str], count: int, seed: int) -> list[tuple[str, date]]:
    """`count` (brand, as-of date) pairs drawn with a fixed seed, dates between 2012 and 2035."""
    rng = random.Random(seed)
    span = (LAST_DAY - FIRST_DAY).days
    return [(rng.choice(brands), FIRST_DAY + timedelta(days=rng.randint(0, span))) for _ in range(count)]


def ask(queries, question: str, brand: str, as_of: date, known_at: datetime) -> list[dict]:
    if question == "kpis":
        return queries.kpis(brand, as_of, known_at)
    if question == "timeline":
        return queries.timeline(brand, as_of, known_at)
    return queries.audit(brand, None, None, as_of, known_at)


def _one_pair(queries, naive: NaiveFold, pair: tuple[str, date], known_at: datetime, answers: Answers) -> tuple:
    """Milliseconds per question for the read model and the naive fold (replay + fold, then the view)."""
    brand, as_of = pair
    fast, fast_ms, slow_ms = {}, {}, {}
    for question in QUESTIONS:
        started = time.perf_counter()
        fast[question] = ask(queries, question, brand, as_of, known_at)
        fast_ms[question] = (time.perf_counter() - started) * 1000
    started = time.perf_counter()
    groups = naive.groups(brand, as_of, known_at)
    replay = time.perf_counter() - started
    for question in QUESTIONS:
        started = time.perf_counter()
        slow = answer(question, groups, brand, as_of)
        slow_ms[question] = (replay + time.perf_counter() - started) * 1000
        answers.check(question, brand, as_of, fast[question], slow)
    return fast_ms, slow_ms


def _one_repeat(queries, naive: NaiveFold, pairs: list, answers: Answers) -> tuple[dict, dict]:
    known_at = datetime.now(timezone.utc)
    fast_ms, slow_ms = defaultdict(list), defaultdict(list)
    for pair in pairs:
        try:
            fast, slow = _one_pair(queries, naive, pair, known_at, answers)
        except Exception as error:  # a crash is a finding: reported with the pair, the run goes on
            answers.compared += 1
            answers.mismatches.append(f"{pair[0]} as of {pair[1]}: raised {type(error).__name__}: {error}")
            continue
        for question in QUESTIONS:
            fast_ms[question].append(fast[question])
            slow_ms[question].append(slow[question])
    return fast_ms, slow_ms


def measure_queries(db: str, count: int, repeat: int) -> Measured:
    """`repeat` rounds of `count` random pairs; per round the p50 and p95 of each question, both ways."""
    from stratlog.infrastructure.config import settings
    from stratlog.infrastructure.runtime import Runtime

    runtime = Runtime(settings(db), writing=False)
    try:
        queries, naive = runtime.queries(), NaiveFold(runtime)
        brands = runtime.read_model.brands()
        answers, rounds = Answers(), []
        warm_up = random_pairs(brands, 1, SEED - 1)
        _one_repeat(queries, naive, warm_up, Answers())
        for attempt in range(repeat):
            rounds.append(_one_repeat(queries, naive, random_pairs(brands, count, SEED + attempt), answers))
    finally:
        runtime.close()
    return Measured(_figures(rounds), answers)


def _figures(rounds: list[tuple[dict, dict]]) -> list[Figure]:
    figures = []
    for question in QUESTIONS:
        for name, share, target in (("p50", 0.50, SPEEDUP_TARGET), ("p95", 0.95, P95_TARGETS[question])):
            fast = [percentile(f[question], share) for f, _ in rounds if f[question]]
            slow = [percentile(s[question], share) for _, s in rounds if s[question]]
            if not fast:
                continue
            figures.append(Figure(Series(f"`{question}` as of a date, in process, {name}", "ms", fast),
                                  Series(f"naive fold `{question}`, {name}", "ms", slow),
                                  "faster", "× faster", target))
    return figures
