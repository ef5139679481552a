"""The queries analysts ask, answered from folded group views (read model or reference fold)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Protocol

from stratlog.domain import views
from stratlog.domain.errors import RuleViolation
from stratlog.domain.picture import GROUPS
from stratlog.domain.quoting import quoted

KPI_GROUPS = ("targets", "actuals")
PICTURE = GROUPS  # every group a timeline, state or report is made of (the catalogue's)
AUDIT = ("targets", "audit")
TRACK_RECORD = PICTURE + ("audit",)  # the picture, and every target's audit rows


class UnknownBrand(RuleViolation):
    """Raised when a query names a brand that was never registered."""


class ViewSource(Protocol):
    """Where the queries read folded groups: the read model, or the reference fold that proves it."""
    def views(self, brand: str, as_of: date, known_at: datetime, kinds: tuple[str, ...] = ()) -> list[dict]: ...

    def brand_registered(self, brand: str) -> bool: ...

    def brands(self) -> list[str]: ...


class Queries:
    """Timeline, KPIs, audit, state, diff, checks and track record of a brand at any date."""

    def __init__(self, source: ViewSource):
        self.source = source

    def check_brand(self, brand: str) -> None:
        """UnknownBrand, naming the brand and the known ones, when `brand` was never registered: the one check
        of every query that names a brand (the events query of the application asks it too)."""
        if not self.source.brand_registered(brand):
            known = ", ".join(self.source.brands()) or "none yet"
            raise UnknownBrand(f"brand {quoted(brand)} is not registered (known brands: {known})")

    def _groups(self, brand: str, as_of: date, known_at: datetime, kinds: tuple[str, ...] = ()) -> list[dict]:
        self.check_brand(brand)
        return self.source.views(brand, as_of, known_at, kinds)

    def brands(self, brand: str | None) -> list[str]:
        return [brand] if brand else self.source.brands()

    def timeline(self, brand: str | None, as_of: date, known_at: datetime) -> list[dict]:
        return [row for b in self.brands(brand)
                for row in views.timeline(self._groups(b, as_of, known_at, PICTURE), b, as_of)]

    def kpis(self, brand: str | None, as_of: date, known_at: datetime, live: bool = False) -> list[dict]:
        return [row for b in self.brands(brand)
                for row in views.kpis(self._groups(b, as_of, known_at, KPI_GROUPS), b, as_of, live)]

    def audit(self, brand: str, kpi: str | None, deadline: str | None, as_of: date, known_at: datetime) -> list[dict]:
        return views.audit(self._groups(brand, as_of, known_at, AUDIT), brand, kpi, deadline)

    def state(self, brand: str, as_of: date, known_at: datetime) -> dict:
        return views.state(self._groups(brand, as_of, known_at, PICTURE), brand, as_of)

    def diff(self, brand: str | None, before: date, after: date, known_at: datetime) -> list[dict]:
        rows = []
        for b in self.brands(brand):
            rows += views.diff(views.timeline(self._groups(b, before, known_at, PICTURE), b, before),
                               views.timeline(self._groups(b, after, known_at, PICTURE), b, after))
        return rows

    def track_record(self, brands: list[str] | None, as_of: date, known_at: datetime) -> list[dict]:
        """One track-record row per brand (every brand when none is named), sorted by brand; every named
        brand is checked before any is answered (UnknownBrand)."""
        from stratlog.domain.track_record import brand_track_record
        named = sorted(set(brands or self.source.brands()))
        groups = {b: self._groups(b, as_of, known_at, TRACK_RECORD) for b in named}
        return [brand_track_record(groups[b], b, as_of) for b in named]

    def checks(self, brand: str | None, as_of: date, known_at: datetime) -> list[dict]:
        from stratlog.domain.checks import run_checks
        return [row for b in self.brands(brand)
                for row in run_checks(self._groups(b, as_of, known_at, PICTURE), b, as_of)]
