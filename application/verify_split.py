"""Verify's work split by brand: each share of the brands decoded, folded and compared in its own process.

Verify is read-only, so a second process can take half of the brands: the parent reads the log once,
hands each share the notifications of its subjects (a forked child inherits them), and each share
decodes only its own events, folds them (application/reference.py) and compares the stored rows and
answers of its brands. Shares send back plain values only (strings, counts, dates), never events or
pydantic objects: a pickle round trip of those would cost more than decoding them.

The split needs each subject's brand before anything is decoded; it is read as a hint from the JSON of
the subject's first event that has one (the stored bytes made JSON text by the mapper's `state_json`). A hint can only be wrong in a damaged log; then the shares'
decoded brands overlap and verify runs again in one process, so the result never depends on the split.
"""

from __future__ import annotations

import json
import multiprocessing
import traceback
import zlib
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Callable

from stratlog.application.queries import Queries
from stratlog.application.reference import ReferenceFold
from stratlog.application.unit_check import UnitComparison
from stratlog.domain.dates import instant_text

PARALLEL_FROM = 4000  # events below which a second process costs more than it saves


@dataclass
class Summary:
    """What a share decoded, as plain values: events decoded, the events left out (position, subject id,
    version, topic, reason, decodes), its brands (registered or damaged), the true brand of each of its
    subjects (hex), each brand's recording instants (oldest first) and its number of statements."""

    count: int
    skipped: list[tuple]
    brands: list[str]
    brand_of: dict[str, str]
    instants: dict[str, list[datetime]]
    sizes: dict[str, int]


@dataclass
class Findings:
    """What a share compared: unit problems and answer problems by brand (in its order), counts, and the
    subjects (hex) it accounts for, of which those with events left out (`damaged`)."""

    unit_problems: dict[str, list[str]] = field(default_factory=dict)
    answer_problems: dict[str, list[str]] = field(default_factory=dict)
    units: int = 0
    points: int = 0
    answers: int = 0
    subjects: set[str] = field(default_factory=set)
    damaged: set[str] = field(default_factory=set)


class BrandShare:
    """The brands of one share: their events decoded once into a reference fold, then compared."""

    def __init__(self, ledger, log: list[Any]):
        self.reference = ReferenceFold(ledger, log)

    def summary(self) -> Summary:
        """The share's decoded facts that the sampling of questions needs (plain values)."""
        ref = self.reference
        skipped = [(s.notification.id, s.notification.originator_id, s.notification.originator_version,
                    s.notification.topic, s.reason, s.decodes) for s in ref.skipped]
        return Summary(ref.count, skipped, ref.brands(), {s.hex: b for s, b in ref.brand_of.items()},
                       {brand: ref.brand_instants(brand) for brand in ref.subjects_of},
                       {brand: sum(len(ref.by_subject[s]) for s in subjects) for brand, subjects in ref.subjects_of.items()})

    def check(self, read_model, questions: dict[str, list], now: datetime) -> Findings:
        """Compare, brand by brand (sorted), every unit of the share's subjects with its stored rows, then
        the sampled answers (`questions`: brand → (as-of date, known-at) pairs) of the share's brands."""
        ref, found = self.reference, Findings()
        stored = read_model.item_subjects()
        damaged = {s.notification.originator_id for s in ref.skipped}
        answers = Answers(Queries(read_model), Queries(ref))
        for brand in sorted(ref.subjects_of.keys() | questions.keys()):
            units = UnitComparison()
            for subject in ref.subjects_of.get(brand, ()):
                found.subjects.add(subject.hex)
                if subject not in damaged:
                    rows = read_model.subject_items(subject.hex) if subject.hex in stored else []
                    units.compare_subject(ref, subject, rows, now, read_model.subject_checkpoints(subject.hex))
            before = len(answers.problems)
            for as_of, known_at in questions.get(brand, ()):
                answers.compare(brand, as_of, known_at, now)
            found.units, found.points = found.units + units.units, found.points + units.points
            found.unit_problems[brand] = units.problems
            found.answer_problems[brand] = list(answers.problems.values())[before:]
        found.answers, found.damaged = answers.checked, {s.hex for s in damaged}
        return found


class Answers:
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


def brand_hints(log: list[Any], state_json: Callable[[Any], bytes]) -> dict[Any, str | None]:
    """Each subject's brand as its first event with a readable `statement.brand` in its stored JSON says
    (None when none does): a hint for the split only, never trusted as an answer. `state_json`: stored
    state bytes -> their JSON text (the mapper's)."""
    hints: dict[Any, str | None] = {}
    for notification in log:
        subject = notification.originator_id
        if hints.get(subject) is None:
            hints[subject] = _brand_in(notification.state, state_json)
    return hints


def _brand_in(state: Any, state_json: Callable[[Any], bytes]) -> str | None:
    try:
        brand = json.loads(state_json(state))["statement"]["brand"]
    except (ValueError, TypeError, KeyError, IndexError, RecursionError):
        return None
    return brand if isinstance(brand, str) else None


def split(log: list[Any], shares: int, state_json: Callable[[Any], bytes]) -> list[list[Any]]:
    """The log's notifications in `shares` lists, each subject's in one, brands balanced by event count
    (the heaviest brand first to the lightest share); subjects without a hint go with share 0."""
    hints = brand_hints(log, state_json)
    weight: dict[str | None, int] = defaultdict(int)
    for notification in log:
        weight[hints[notification.originator_id]] += 1
    loads, share_of = [0] * shares, {None: 0}
    for brand in sorted((b for b in weight if b is not None), key=lambda b: (-weight[b], zlib.crc32(b.encode()))):
        share_of[brand] = loads.index(min(loads))
        loads[share_of[brand]] += weight[brand]
    parts: list[list[Any]] = [[] for _ in range(shares)]
    for notification in log:
        parts[share_of[hints[notification.originator_id]]].append(notification)
    return parts


def can_fork() -> bool:
    """Whether a second process can inherit the parent's memory (fork): elsewhere verify runs in one."""
    return "fork" in multiprocessing.get_all_start_methods()


class ForkedShare:
    """A BrandShare in a forked child: `summary()` once it has decoded, then `ask(questions, now)`
    and `findings()`.

    The child opens the read model itself (`reopen`: a read-only access of its own; a connection is never
    shared across a fork). Any failure of the child (an exception, a kill) is raised here as WorkerFailed,
    so the caller can do the share itself.
    """

    def __init__(self, ledger, log: list[Any], reopen: Callable[[], Any]):
        context = multiprocessing.get_context("fork")
        self._conn, child = context.Pipe()
        self._process = context.Process(target=_child, args=(child, ledger, log, reopen), daemon=True)
        self._process.start()
        child.close()

    def summary(self) -> Summary:
        """The child's summary (WorkerFailed if it failed)."""
        return self._receive()

    def ask(self, questions: dict[str, list], now: datetime) -> None:
        """Send the child its questions; it compares while the parent does its own share."""
        try:
            self._conn.send((questions, now))
        except OSError as error:
            raise WorkerFailed(str(error)) from None

    def findings(self) -> Findings:
        """The child's findings for the questions asked (WorkerFailed if it failed)."""
        return self._receive()

    def _receive(self) -> Any:
        try:
            kind, value = self._conn.recv()
        except (EOFError, OSError) as error:
            raise WorkerFailed(f"the second process ended without an answer ({error or 'closed'})") from None
        if kind == "failed":
            raise WorkerFailed(value)
        return value

    def close(self) -> None:
        """End the child (if it still runs) and wait for it; closing twice does nothing more."""
        self._conn.close()
        if self._process.is_alive():
            self._process.terminate()
        self._process.join()


class WorkerFailed(Exception):
    """Raised when the second process fails; the share is then done by the parent."""


def _child(conn, ledger, log: list[Any], reopen: Callable[[], Any]) -> None:
    try:
        share = BrandShare(ledger, log)
        conn.send(("summary", share.summary()))
        questions, now = conn.recv()
        read_model = reopen()
        try:
            conn.send(("findings", share.check(read_model, questions, now)))
        finally:
            read_model.close()
    except EOFError:  # the parent gave up on this share (it ended the child or does the share itself)
        pass
    except Exception:  # noqa: BLE001 - reported to the parent, which does the share itself (a fault of the
        conn.send(("failed", traceback.format_exc(limit=5)))  # comparison then raises there, as in one process)
    finally:
        conn.close()

