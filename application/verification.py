"""Proof that the event log is whole and that the read model answers what the reference fold answers."""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from typing import Any, Iterable, Iterator

from eventsourcing.persistence import MapperDeserialisationError

from stratlog.application.notification_log import notifications
from stratlog.application.queries import Queries
from stratlog.application.reference import ReferenceFold
from stratlog.application.unit_check import UnitComparison, lacking
from stratlog.domain.dates import instant_text

MAX_REPORTED = 20
ANSWER_PAIRS = 24  # (brand, as-of date) pairs whose assembled answers are compared, at most
SEED = 2023


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


def verify_read_model(ledger, read_model, max_dates: int = 40) -> Verification:
    """Check the log (versions 1..n per subject, every event decodes), then compare the read model with the
    reference fold: every unit's stored rows at its change points (as known now and at sampled earlier
    instants), and the assembled answers (timeline, kpis, audit) on a bounded sample of (brand, as-of
    date, known-at). The log is read once; nothing is written.

    Events that cannot be read are listed as log problems and left out of both sides, as the read
    model leaves them out; the units of their subjects are compared through the answers only.
    """
    result = Verification()
    versions = VersionCheck(ledger)
    reference = ReferenceFold(ledger, versions.watch(notifications(ledger)))
    result.log_problems += versions.problems
    result.lines.append(f"checked {versions.count} stored events: versions run 1..n per subject" + (
        "" if not versions.problems else f" except in {len(versions.problems)} place{'s' * (len(versions.problems) > 1)}"))
    result.log_problems += [_skipped_line(ledger, skipped, i < MAX_REPORTED) for i, skipped in enumerate(reference.skipped)]
    left_out = len(reference.skipped)
    result.lines.append(f"decoded and validated {reference.count} stored events" + (
        f"; {left_out} could not be read and {'were' if left_out > 1 else 'was'} left out of the comparison"
        if left_out else ""))
    _compare(result, reference, read_model, max_dates)
    result.problems = result.log_problems + result.unit_problems + result.answer_problems
    return result


def _compare(result: Verification, reference: ReferenceFold, read_model, max_dates: int) -> None:
    """Brand by brand: the stored rows of its subjects' units, then the sampled answers about it."""
    now = datetime.now(timezone.utc)
    units, answers = UnitComparison(), _Answers(Queries(read_model), Queries(reference))
    questions = sample_questions(reference, read_model, max_dates, now)
    stored = read_model.item_subjects()
    damaged = {s.notification.originator_id for s in reference.skipped}
    for brand in sorted(reference.subjects_of.keys() | questions.keys()):
        for subject in reference.subjects_of.get(brand, ()):
            rows = read_model.subject_items(subject.hex) if subject.hex in stored else []
            stored.discard(subject.hex)
            if subject not in damaged:
                units.compare_subject(reference, subject, rows, now)
        for as_of, known_at in questions.get(brand, ()):
            answers.compare(brand, as_of, known_at, now)
    for subject_hex in sorted(stored - {s.hex for s in damaged}):
        rows = read_model.subject_items(subject_hex)
        for group in sorted({r[0] for r in rows}):
            units.problems.append(lacking(rows[0][1], group, subject_hex, sum(r[0] == group for r in rows)))
    result.unit_problems, result.answer_problems = units.problems, list(answers.problems.values())
    result.lines.append(f"compared the stored rows of {units.units} units with the fold at {units.points} "
                        f"(as-of date, known-at) points")
    result.lines.append(f"compared {answers.checked} answers")


def sample_questions(reference: ReferenceFold, read_model, max_dates: int, now: datetime) -> dict[str, list]:
    """The (as-of date, known-at) questions asked per brand: every brand at its sampled dates (see `_sample`)
    when that makes at most ANSWER_PAIRS pairs, else ANSWER_PAIRS pairs drawn with a fixed seed; each pair as
    known now, and about half of them also as known at one of the brand's earlier recording instants."""
    rng, brands = random.Random(SEED), reference.brands()
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
    questions: dict[str, list] = defaultdict(list)
    for brand, as_of in pairs:
        questions[brand].append((as_of, now))
        earlier = reference.brand_instants(brand)[:-1]
        if earlier and rng.random() < 0.5:
            questions[brand].append((as_of, rng.choice(earlier)))
    return questions


class _Answers:
    """Timeline, kpis and audit compared at (brand, as-of, known-at); one problem per (brand, question, date)."""

    def __init__(self, fast: Queries, slow: Queries):
        self.fast, self.slow, self.checked = fast, slow, 0
        self.problems: dict[tuple[str, str, date], str] = {}

    def compare(self, brand: str, as_of: date, known_at: datetime, now: datetime) -> None:
        known = "" if known_at == now else f", known at {instant_text(known_at)}"
        for name, ask in (("timeline", lambda q: q.timeline(brand, as_of, known_at)),
                          ("kpis", lambda q: q.kpis(brand, as_of, known_at)),
                          ("audit", lambda q: q.audit(brand, None, None, as_of, known_at))):
            self.checked += 1
            if ask(self.fast) != ask(self.slow):
                self.problems.setdefault((brand, name, as_of), f"{brand} {name} as of {as_of}{known}")


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


def _skipped_line(ledger, skipped, labelled: bool) -> str:
    """'event log: position 7 (topic, brand alpine (uuid) v5) does not decode: why' (the subject named
    by its other events for the first lines only: naming reads them)."""
    n = skipped.notification
    subject = _subject_label(ledger, n) if labelled else str(n.originator_id)
    return (f"event log: position {n.id} ({_short(n.topic, 90)}, {subject} v{n.originator_version}) "
            f"{'cannot be folded' if skipped.decodes else 'does not decode'}: {_short(skipped.reason, 300)}")


def _short(text: str, limit: int = 60) -> str:
    """Untrusted text on one line, escaped and shortened."""
    clean = "".join(c if c.isprintable() else c.encode("unicode_escape").decode("ascii") for c in str(text))
    return clean if len(clean) <= limit else clean[: limit - 3] + "..."
