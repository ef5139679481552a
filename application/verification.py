"""Proof that the read model answers what the reference fold answers."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timezone

from application.queries import Queries
from application.reference import ReferenceFold


@dataclass
class Verification:
    lines: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def _sample(dates: list[str], limit: int) -> list[date]:
    chosen = dates if len(dates) <= limit else [dates[i * len(dates) // limit] for i in range(limit)]
    days = {date.fromisoformat(d) for d in chosen if d not in ("0001-01-01", "9999-12-31")}
    return sorted(days | {date.today()})


def verify_read_model(ledger, read_model, max_dates: int = 40) -> Verification:
    """Decode every event (the reference fold does), then compare answers brand by brand."""
    result = Verification()
    reference = ReferenceFold(ledger)
    result.lines.append(f"decoded and validated {reference.count} stored events")
    fast, slow = Queries(read_model), Queries(reference)
    now = datetime.now(timezone.utc)
    checked = 0
    for brand in reference.brands():
        for as_of in _sample(read_model.valid_dates(brand), max_dates):
            for name in ("timeline", "kpis"):
                a, b = getattr(fast, name)(brand, as_of, now), getattr(slow, name)(brand, as_of, now)
                checked += 1
                if a != b:
                    result.problems.append(f"{brand} {name} as of {as_of}")
            checked += 1
            if fast.audit(brand, None, None, as_of, now) != slow.audit(brand, None, None, as_of, now):
                result.problems.append(f"{brand} audit as of {as_of}")
    result.lines.append(f"compared {checked} answers")
    return result
