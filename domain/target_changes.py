"""How a target's terms changed, as one label: raised, lowered, narrowed, widened, revised or reaffirmed.

The rule (DESIGN §5 r2, audit): a number is the range [v, v]; a range is compared by its midpoint, as
guidance trackers do — a higher midpoint is `raised`, a lower one `lowered`; the same midpoint with
other bounds is `narrowed` or `widened`; the same numbers with another comparator, horizon, unit,
baseline or condition is `revised`; `reaffirmed` only when every term is the same. A move of the
deadline is labelled by the fold (`deadline-moved`), before any of these.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from stratlog.domain.values import Money

TWO = Decimal(2)


@dataclass(frozen=True)
class Terms:
    """A target's terms apart from its deadline: a value or low/high bounds, and the words around them."""

    value: Any = None
    low: Any = None
    high: Any = None
    comparator: str | None = None
    horizon: str | None = None
    unit: str | None = None
    baseline: Any = None
    condition: str | None = None

    def bounds(self) -> tuple[Decimal, Decimal] | None:
        """(low, high) as numbers of one kind; None for yes/no values or none given."""
        if self.value is not None:
            number = _number(self.value)
            return None if number is None else (number, number)
        low, high = _number(self.low), _number(self.high)
        if low is None and high is None:
            return None
        return (low if low is not None else high, high if high is not None else low)

    def currency(self) -> str | None:
        found = [v.currency for v in (self.value, self.low, self.high) if isinstance(v, Money)]
        return found[0] if found else None


def _number(value: Any) -> Decimal | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, Money):
        return value.amount
    return Decimal(value)


def change_label(old: Terms, new: Terms) -> str:
    """The label of a change from `old` to `new` terms (see the module docstring)."""
    if old == new:
        return "reaffirmed"
    before, after = old.bounds(), new.bounds()
    if before is None or after is None or old.currency() != new.currency():
        return "revised"
    middle_before, middle_after = (before[0] + before[1]) / TWO, (after[0] + after[1]) / TWO
    if middle_after != middle_before:
        return "raised" if middle_after > middle_before else "lowered"
    width_before, width_after = before[1] - before[0], after[1] - after[0]
    if width_after != width_before:
        return "narrowed" if width_after < width_before else "widened"
    return "revised"
