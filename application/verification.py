"""Proof that the event log is whole and that the read model answers what the reference fold answers."""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from typing import Any, Callable, Iterable, Iterator

from eventsourcing.persistence import MapperDeserialisationError

from stratlog.application.notification_log import notifications
from stratlog.application.unit_check import lacking
from stratlog.application.verify_split import (PARALLEL_FROM, BrandShare, Findings, ForkedShare, Summary, WorkerFailed,
                                               can_fork, split)

MAX_REPORTED = 20
ANSWER_PAIRS = 24  # (brand, as-of date) pairs whose assembled answers are compared, at most
SEED = 2023
ANSWER_BUDGET = 1.0  # the sampled answers' brands hold at most this many times the log's statements together,
ANSWER_FLOOR = 5000  # or this many statements, whichever is more


@dataclass
class Verification:
    """What was checked (lines) and every problem found: log_problems are those of the event log itself,
    unit_problems stored rows that differ from the fold, answer_problems query answers that differ;
    `problems` lists them all."""

    lines: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    log_problems: list[str] = field(default_factory=list)
    unit_problems: list[str] = field(default_factory=list)
    answer_problems: list[str] = field(default_factory=list)


def _sample(dates: list[str], limit: int) -> list[date]:
    chosen = dates if len(dates) <= limit else [dates[i * len(dates) // limit] for i in range(limit)]
    days = {date.fromisoformat(d) for d in chosen if d not in ("0001-01-01", "9999-12-31")}
    return sorted(days | {date.today()})


def verify_read_model(ledger, read_model, max_dates: int = 40, reopen: Callable[[], Any] | None = None,
                      processes: int | None = None) -> Verification:
    """Check the log (versions 1..n per subject, every event decodes), then compare the read model with the
    reference fold: every unit's stored rows at its change points (as known now and at sampled earlier
    instants), and the assembled answers (timeline, kpis, audit) on a bounded sample of (brand, as-of
    date, known-at). The log is read once and each event decoded once; nothing is written.

    `reopen`: opens another read-only access to the same read model; given it, a log of PARALLEL_FROM
    events or more (or `processes`=2) is verified by brand in two processes (application/verify_split.py),
    with the same findings as in one.

    Events that cannot be read are listed as log problems and left out of both sides, as the read
    model leaves them out; the units of their subjects are compared through the answers only.
    """
    result = Verification()
    versions = VersionCheck(ledger)
    log = list(versions.watch(notifications(ledger)))
    result.log_problems += versions.problems
    result.lines.append(f"checked {versions.count} stored events: versions run 1..n per subject" + (
        "" if not versions.problems else f" except in {len(versions.problems)} place{'s' * (len(versions.problems) > 1)}"))
    wanted = processes or (2 if len(log) >= PARALLEL_FROM else 1)
    parallel = reopen is not None and wanted > 1 and can_fork()
    summaries, findings = (_in_two(ledger, log, read_model, reopen, max_dates) if parallel else None) or \
        _in_one(ledger, log, read_model, max_dates)
    skipped = sorted(s for summary in summaries for s in summary.skipped)
    result.log_problems += [_skipped_line(ledger, s, i < MAX_REPORTED) for i, s in enumerate(skipped)]
    left_out = len(skipped)
    result.lines.append(f"decoded and validated {sum(s.count for s in summaries)} stored events" + (
        f"; {left_out} could not be read and {'were' if left_out > 1 else 'was'} left out of the comparison"
        if left_out else ""))
    _merge(result, findings, read_model)
    result.problems = result.log_problems + result.unit_problems + result.answer_problems
    return result


def _in_one(ledger, log: list, read_model, max_dates: int) -> tuple[list[Summary], list[Findings]]:
    share = BrandShare(ledger, log)
    summary = share.summary()
    now = datetime.now(timezone.utc)
    questions = sample_questions(summary.brands, summary.instants, read_model, max_dates, now, summary.sizes)
    return [summary], [share.check(read_model, questions, now)]


def _in_two(ledger, log: list, read_model, reopen, max_dates: int) -> tuple[list[Summary], list[Findings]] | None:
    """Half of the brands in a forked child, half here; None (verify again in one process) when the child
    fails or the split's brand hints were wrong (a damaged log)."""
    first, second = split(log, 2, ledger.mapper.state_json)
    child = ForkedShare(ledger, second, reopen)
    try:
        share = BrandShare(ledger, first)
        summaries = [share.summary(), child.summary()]
        if set(summaries[0].brand_of.values()) & set(summaries[1].brand_of.values()):
            return None
        now = datetime.now(timezone.utc)
        questions = sample_questions(summaries[0].brands + summaries[1].brands,
                                     {**summaries[0].instants, **summaries[1].instants}, read_model, max_dates, now,
                                     {**summaries[0].sizes, **summaries[1].sizes})
        mine = set(summaries[0].brands) | set(summaries[0].brand_of.values())
        child.ask({b: q for b, q in questions.items() if b not in mine}, now)
        found = share.check(read_model, {b: q for b, q in questions.items() if b in mine}, now)
        return summaries, [found, child.findings()]
    except WorkerFailed:
        return None
    finally:
        child.close()


def _merge(result: Verification, findings: list[Findings], read_model) -> None:
    """The shares' findings in brand order, then the stored rows of subjects the log does not have."""
    brands = sorted({b for found in findings for b in found.unit_problems})
    for brand in brands:
        for found in findings:
            result.unit_problems += found.unit_problems.get(brand, [])
            result.answer_problems += found.answer_problems.get(brand, [])
    known = set().union(*(f.subjects | f.damaged for f in findings))
    for subject_hex in sorted(read_model.item_subjects() - known):
        rows = read_model.subject_items(subject_hex)
        for group in sorted({r[0] for r in rows}):
            result.unit_problems.append(lacking(rows[0][1], group, subject_hex, sum(r[0] == group for r in rows)))
    result.lines.append(f"compared the stored rows of {sum(f.units for f in findings)} units with the fold at "
                        f"{sum(f.points for f in findings)} (as-of date, known-at) points")
    result.lines.append(f"compared {sum(f.answers for f in findings)} answers")


def sample_questions(brands: list[str], instants: dict[str, list[datetime]], read_model, max_dates: int,
                     now: datetime, sizes: dict[str, int] | None = None) -> dict[str, list]:
    """The (as-of date, known-at) questions asked per brand (`brands`: registered or damaged, `instants`: each
    brand's recording instants, oldest first): every brand at its sampled dates (see `_sample`) when that
    makes at most ANSWER_PAIRS pairs, else ANSWER_PAIRS pairs drawn with a fixed seed; each pair as known
    now, and about half of them also as known at one of the brand's earlier recording instants.

    `sizes` (statements per brand): an answer costs what its brand holds, so the pairs kept (drawn in a
    seeded order) hold at most ANSWER_BUDGET times all statements (or ANSWER_FLOOR) between them, and at least
    one pair."""
    rng, brands = random.Random(SEED), sorted(brands)
    if len(brands) <= ANSWER_PAIRS:  # few brands: every brand at its sampled dates, if that makes few pairs
        pairs = [(brand, as_of) for brand in brands for as_of in _sample(read_model.valid_dates(brand), max_dates)]
        if len(pairs) > ANSWER_PAIRS:
            pairs = sorted(rng.sample(pairs, ANSWER_PAIRS))
    else:
        dates: dict[str, list[date]] = {}
        chosen = set()
        for _ in range(ANSWER_PAIRS):
            brand = rng.choice(brands)
            if brand not in dates:
                dates[brand] = _sample(read_model.valid_dates(brand), max_dates)
            chosen.add((brand, rng.choice(dates[brand])))
        pairs = sorted(chosen)
    if sizes is not None:
        pairs = _within_budget(pairs, sizes, rng)
    questions: dict[str, list] = defaultdict(list)
    for brand, as_of in pairs:
        questions[brand].append((as_of, now))
        earlier = instants.get(brand, [])[:-1]
        if earlier and rng.random() < 0.5:
            questions[brand].append((as_of, rng.choice(earlier)))
    return questions


def _within_budget(pairs: list[tuple[str, date]], sizes: dict[str, int], rng: random.Random) -> list:
    """The pairs, in a seeded order, while the statements of their brands add up to at most ANSWER_BUDGET times
    all (or ANSWER_FLOOR; at least one pair): a brand of 10,000 statements is not answered 24 times over."""
    budget, kept, spent = max(ANSWER_BUDGET * sum(sizes.values()), ANSWER_FLOOR), [], 0
    for pair in rng.sample(pairs, len(pairs)):
        cost = sizes.get(pair[0], 0)
        if kept and spent + cost > budget:
            continue
        kept.append(pair)
        spent += cost
    return sorted(kept)


class VersionCheck:
    """Each subject's versions must be exactly 1, 2, … n in log order: no gap, no repeat, no reordering."""

    def __init__(self, ledger):
        self.ledger, self.count = ledger, 0
        self.problems: list[str] = []
        self._expected: dict[Any, int] = {}

    def watch(self, log: Iterable[Any]) -> Iterator[Any]:
        """The notifications of `log`, each checked as it passes."""
        for notification in log:
            self.count += 1
            want = self._expected.get(notification.originator_id, 1)
            got = notification.originator_version
            if got != want:  # every one counted; the first ones named by their subject (naming reads it)
                self.problems.append(_version_problem(self.ledger, notification, want, len(self.problems) < MAX_REPORTED))
            self._expected[notification.originator_id] = max(want, got + 1)
            yield notification


def _version_problem(ledger, notification, want: int, labelled: bool) -> str:
    got = notification.originator_version
    subject = _subject_label(ledger, notification) if labelled else str(notification.originator_id)
    if got > want:
        missing = f"version {want}" if got == want + 1 else f"versions {want}–{got - 1}"
        return f"event log: {subject}: {missing} missing (position {notification.id} holds version {got})"
    return f"event log: {subject}: position {notification.id} holds version {got} again or out of order " \
           f"(expected version {want})"


def _subject_label(ledger, notification) -> str:
    """'model alpine/A290 (uuid)' when an event of the subject decodes, else the topic's class and the id."""
    kind = notification.topic.split(":", 1)[-1].split(".", 1)[0]
    for stored in ledger.recorder.select_events(notification.originator_id, limit=3):
        try:
            statement = ledger.mapper.to_domain_event(stored).statement
        except MapperDeserialisationError:  # a subject whose events do not decode is named by its id alone
            continue
        if hasattr(statement, "key"):
            return f"{type(statement).SUBJECT} {'/'.join(statement.key)} ({notification.originator_id})"
    return f"{kind} {notification.originator_id}"


def _skipped_line(ledger, skipped: tuple, labelled: bool) -> str:
    """'event log: position 7 (topic, brand alpine (uuid) v5) does not decode: why' (`skipped`: position,
    subject id, version, topic, reason, decodes; the subject named by its other events for the first lines
    only: naming reads them)."""
    position, subject_id, version, topic, reason, decodes = skipped
    subject = _subject_label(ledger, _Place(subject_id, topic)) if labelled else str(subject_id)
    return (f"event log: position {position} ({_short(topic, 90)}, {subject} v{version}) "
            f"{'cannot be folded' if decodes else 'does not decode'}: {_short(reason, 300)}")


@dataclass
class _Place:
    originator_id: Any
    topic: str


def _short(text: str, limit: int = 60) -> str:
    """Untrusted text on one line, escaped and shortened."""
    clean = "".join(c if c.isprintable() else c.encode("unicode_escape").decode("ascii") for c in str(text))
    return clean if len(clean) <= limit else clean[: limit - 3] + "..."
