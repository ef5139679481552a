"""Proof that the event log is whole and that the read model answers what the reference fold answers."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from typing import Any

from pydantic import ValidationError

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
    """Check the log (versions 1..n per subject, every event decodes), then compare answers brand by brand."""
    result = Verification()
    count, gaps = version_problems(ledger)
    result.log_problems += gaps
    result.lines.append(f"checked {count} stored events: versions run 1..n per subject"
                        + ("" if not gaps else f" except in {len(gaps)} place{'s' * (len(gaps) > 1)}"))
    try:
        reference = ReferenceFold(ledger)
    except Exception:  # re-raised unless a stored event that does not decode explains it
        undecodable = undecodable_events(ledger)
        if not undecodable:
            raise
        result.log_problems += undecodable
        result.problems += result.log_problems
        result.lines.append("answers not compared: stored events do not decode")
        return result
    result.lines.append(f"decoded and validated {reference.count} stored events")
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
        if got != want and len(problems) < MAX_REPORTED:
            problems.append(_version_problem(ledger, notification, want))
        expected[notification.originator_id] = max(want, got + 1)
    return count, problems


def _version_problem(ledger, notification, want: int) -> str:
    got, subject = notification.originator_version, _subject_label(ledger, notification)
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
        except Exception:  # a subject whose events do not decode is named by its id alone
            continue
        if hasattr(statement, "key"):
            return f"{type(statement).SUBJECT} {'/'.join(statement.key)} ({notification.originator_id})"
    return f"{kind} {notification.originator_id}"


def undecodable_events(ledger) -> list[str]:
    """One line per stored event that does not decode and validate (at most MAX_REPORTED)."""
    problems = []
    for notification in _notifications(ledger):
        try:
            ledger.mapper.to_domain_event(notification)
        except Exception as error:  # every way of failing to decode is what this check reports
            problems.append(f"event log: position {notification.id} ({notification.topic}, "
                            f"{notification.originator_id} v{notification.originator_version}) does not decode: "
                            f"{_reason(error)}")
            if len(problems) >= MAX_REPORTED:
                break
    return problems


def _reason(error: Exception) -> str:
    """Why an event does not decode, on one line: the fields pydantic refused, or the parser's message."""
    cause = error.__cause__ or error
    if isinstance(cause, ValidationError):
        text = "; ".join(f"{'.'.join(map(str, e['loc'])) or 'event'}: {e['msg']} (got {_short(repr(e['input']))})"
                         for e in cause.errors()[:3])
    else:
        text = " ".join(str(cause).split()) or type(cause).__name__
    return _short(text, 300)


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."
