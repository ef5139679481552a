"""Proof that the event log is whole and that the read model answers what the reference fold answers."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from typing import Any

from eventsourcing.persistence import MapperDeserialisationError

from stratlog.application.queries import Queries
from stratlog.application.reference import ReferenceFold

CHUNK = 5000
MAX_REPORTED = 20


@dataclass
class Verification:
    """What was checked (lines) and every problem found; log_problems are those of the event log itself."""

    lines: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    log_problems: list[str] = field(default_factory=list)


def _sample(dates: list[str], limit: int) -> list[date]:
    chosen = dates if len(dates) <= limit else [dates[i * len(dates) // limit] for i in range(limit)]
    days = {date.fromisoformat(d) for d in chosen if d not in ("0001-01-01", "9999-12-31")}
    return sorted(days | {date.today()})


def verify_read_model(ledger, read_model, max_dates: int = 40) -> Verification:
    """Check the log (versions 1..n per subject, every event decodes), then compare answers brand by brand.

    Events that cannot be read are listed as log problems and left out of both sides, as the read
    model leaves them out, so the answers of everything else are still compared.
    """
    result = Verification()
    count, gaps = version_problems(ledger)
    result.log_problems += gaps
    result.lines.append(f"checked {count} stored events: versions run 1..n per subject"
                        + ("" if not gaps else f" except in {len(gaps)} place{'s' * (len(gaps) > 1)}"))
    reference = ReferenceFold(ledger)
    result.log_problems += [_skipped_line(ledger, skipped, i < MAX_REPORTED) for i, skipped in enumerate(reference.skipped)]
    left_out = len(reference.skipped)
    result.lines.append(f"decoded and validated {reference.count} stored events" + (
        f"; {left_out} could not be read and {'were' if left_out > 1 else 'was'} left out of the comparison"
        if left_out else ""))
    result.problems += result.log_problems + _compare_answers(result, reference, read_model, max_dates)
    return result


def _compare_answers(result: Verification, reference: ReferenceFold, read_model, max_dates: int) -> list[str]:
    fast, slow = Queries(read_model), Queries(reference)
    now = datetime.now(timezone.utc)
    problems, checked = [], 0
    for brand in reference.brands():
        for as_of in _sample(read_model.valid_dates(brand), max_dates):
            for name in ("timeline", "kpis"):
                a, b = getattr(fast, name)(brand, as_of, now), getattr(slow, name)(brand, as_of, now)
                checked += 1
                if a != b:
                    problems.append(f"{brand} {name} as of {as_of}")
            checked += 1
            if fast.audit(brand, None, None, as_of, now) != slow.audit(brand, None, None, as_of, now):
                problems.append(f"{brand} audit as of {as_of}")
    result.lines.append(f"compared {checked} answers")
    return problems


def _notifications(ledger):
    """Every stored event of the notification log, in log order."""
    after = 0
    while notifications := ledger.recorder.select_notifications(start=after, limit=CHUNK, inclusive_of_start=False):
        yield from notifications
        after = notifications[-1].id


def version_problems(ledger) -> tuple[int, list[str]]:
    """Each subject's versions must be exactly 1, 2, … n in log order: no gap, no repeat, no reordering."""
    expected: dict[Any, int] = {}
    problems: list[str] = []
    count = 0
    for notification in _notifications(ledger):
        count += 1
        want = expected.get(notification.originator_id, 1)
        got = notification.originator_version
        if got != want:  # every one counted; the first ones named by their subject (naming reads it)
            problems.append(_version_problem(ledger, notification, want, len(problems) < MAX_REPORTED))
        expected[notification.originator_id] = max(want, got + 1)
    return count, problems


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
