"""Builders of statements and fixes for every layer's tests, and one valid example of every kind.

`EXAMPLES` holds, for each kind of the catalogue, the statement its CLI example records (the
`Example:` of its docstring), the kinds to record before it, and what the timeline then shows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from stratlog.domain.catalogue import RECORD_ADAPTER

SOURCE = {"title": "Alpine. Laurent Rossi mise gros sur le marché américain"}
RECORDED = datetime(2024, 1, 15, 9, 0, tzinfo=timezone.utc)


def statement(kind: str, brand: str = "alpine", source: dict | None = SOURCE, **fields: Any) -> Any:
    """A validated statement of `kind` about `brand`, said in `source` (None: no source)."""
    record = {"kind": kind, "brand": brand, **({"source": source} if source is not None else {}), **fields}
    return RECORD_ADAPTER.validate_python(record)


def fix(kind: str, **fields: Any) -> Any:
    """A validated correction or retraction."""
    return RECORD_ADAPTER.validate_python({"kind": kind, **fields})


def item(st: Any, at: datetime = RECORDED) -> tuple[Any, str, datetime]:
    """A statement as an aggregate records it: (statement, statement id, recorded_at)."""
    return (st, st.statement_id(), at)


@dataclass(frozen=True)
class Example:
    """A kind's example: its fields, the kinds recorded before it, and its timeline row once recorded
    (subject type, subject, date, status; None for a kind that shows no row of its own)."""

    fields: dict
    before: tuple[str, ...] = ()
    row: tuple[str, str, str | None, str] | None = None

    def statement(self, kind: str) -> Any:
        return statement(kind, **self.fields)


def _said(title: str, announced_on: str, **fields: Any) -> dict:
    return {"source": {"title": title}, "announced_on": announced_on, **fields}


_TARGET = {"kpi": "annual-sales", "deadline": "2030"}
_POLESTAR = {"brand": "polestar", "plant": "Chengdu"}
EXAMPLES: dict[str, Example] = {
    "brand-registered": Example({"name": "Alpine", "parent": "Renault Group", "country": "FR", "fiscal_year_end": 12,
                                 "source": None}),
    "valuation-updated": Example(_said("ANE congress", "2023-06", value={"amount": 500000000, "currency": "EUR"},
                                       valued_on="2023"), row=("valuation", "valuation 2023", "2023", "reported")),
    "ipo-considered": Example(_said("Renault Group results", "2023-04", stance="potential", by="Luca de Meo"),
                              row=("ipo", "ipo", "2023-04", "potential")),
    "target-set": Example(_said("ANE congress", "2023-06", **_TARGET, value=100000, unit="vehicles",
                                comparator="at-least"), row=("target", "annual-sales 2030", "2030", "pending")),
    "target-revised": Example({"source": {"url": "https://example.org/a"}, "announced_on": "2024-02", **_TARGET,
                               "new_deadline": "2031"}, ("target-set",),
                              ("target", "annual-sales 2031", "2031", "pending")),
    "target-reaffirmed": Example(_said("Capital markets day", "2024-03", **_TARGET), ("target-set",),
                                 ("target", "annual-sales 2030", "2030", "pending")),
    "target-withdrawn": Example(_said("Strategy update", "2025-01", **_TARGET, reason="new plan"), ("target-set",),
                                ("target", "annual-sales 2030", "2030", "withdrawn")),
    "guidance-withdrawn": Example(_said("Quarterly results", "2025-04", kpis=["annual-sales", "revenue"],
                                        deadline="2030", reason="market turmoil"), ("target-set",),
                                  ("target", "annual-sales 2030", "2030", "withdrawn")),
    "actual-reported": Example(_said("Annual sales release", "2025-01", kpi="annual-sales", period="2024", value=4585,
                                     unit="vehicles"), ("target-set",)),
    "model-planned": Example(_said("Automotive News Europe congress", "2023-06", model="A390", planned_for="2025",
                                   segment="GT crossover"), row=("model", "A390", "2025", "planned")),
    "model-revealed": Example(_said("Press release", "2024-06-13", model="A290", revealed_on="2024-06-13"),
                              row=("model", "A290", "2024-06-13", "revealed")),
    "model-launched": Example(_said("Press release", "2024-06", model="A290", launched_on="2024-06"),
                              row=("model", "A290", "2024-06", "launched")),
    "model-rescheduled": Example(_said("Earnings call", "2024-09", model="A390", planned_for="2026",
                                       reason="battery supply"), ("model-planned",),
                                 ("model", "A390", "2026", "rescheduled")),
    "model-renamed": Example(_said("Press release", "2024-10", model="A390", new_name="A390 GT"), ("model-planned",),
                             ("model", "A390 GT", "2025", "planned")),
    "model-cancelled": Example(_said("Strategy update", "2025-01", model="A390", reason="market conditions",
                                     cancelled_on="2025-01"), ("model-planned",), ("model", "A390", "2025-01", "cancelled")),
    "model-discontinued": Example(_said("Press release", "2025-11", model="A290", discontinued_on="2026-06"),
                                  ("model-launched",), ("model", "A290", "2026-06", "discontinued")),
    "market-entry-planned": Example(_said("Automotive News Europe congress", "2023-06", market="US",
                                          planned_for="2027", rationale="the largest sports-car market"),
                                    row=("market", "US", "2027", "planned")),
    "market-entered": Example(_said("Press release", "2026-03", market="US", entered_on="2026-03"),
                              row=("market", "US", "2026-03", "entered")),
    "market-entry-postponed": Example(_said("Earnings call", "2025-04", market="US", planned_for="2028",
                                            reason="tariffs"), ("market-entry-planned",),
                                      ("market", "US", "2028", "postponed")),
    "market-entry-cancelled": Example(_said("Strategy update", "2025-10", market="US", reason="tariffs",
                                            cancelled_on="2025-10"),
                                      ("market-entry-planned",), ("market", "US", "2025-10", "cancelled")),
    "market-exited": Example(_said("Press release", "2026-06", market="US", exited_on="2026-09"), ("market-entered",),
                             ("market", "US", "2026-09", "exited")),
    "dealer-talks-started": Example(_said("ANE congress", "2023-06", dealer="AutoNation", market="US"),
                                    row=("dealer-agreement", "AutoNation/US", "2023-06", "talks")),
    "dealer-agreement-signed": Example(_said("Press release", "2024-02", dealer="AutoNation", market="US",
                                             signed_on="2024-02", scope="sales and service"),
                                       row=("dealer-agreement", "AutoNation/US", "2024-02", "signed")),
    "dealer-talks-ended": Example(_said("Trade press", "2024-05", dealer="AutoNation", market="US",
                                        reason="no agreement on margins", ended_on="2024-05"), ("dealer-talks-started",),
                                  ("dealer-agreement", "AutoNation/US", "2024-05", "ended")),
    "dealer-agreement-terminated": Example(_said("Press release", "2026-01", dealer="AutoNation", market="US",
                                                 reason="brand withdrawal", terminated_on="2026-01"),
                                           ("dealer-agreement-signed",), ("dealer-agreement", "AutoNation/US", "2026-01", "terminated")),
    "plant-planned": Example(_said("Press release", "2024-03", **_POLESTAR, planned_for="2026",
                                   location="Chengdu, Sichuan", country="CN", capacity=150000,
                                   products=["Polestar 4", "Polestar 7"]), row=("plant", "Chengdu", "2026", "planned")),
    "plant-opened": Example(_said("Press release", "2025-09", **_POLESTAR, opened_on="2025-09", capacity=120000),
                            row=("plant", "Chengdu", "2025-09", "opened")),
    "plant-capacity-changed": Example(_said("Earnings call", "2026-02", **_POLESTAR, capacity=180000,
                                            effective_on="2026-02"), ("plant-opened",),
                                      ("plant", "Chengdu", "2025-09", "opened")),
    "plant-postponed": Example(_said("Earnings call", "2025-02", **_POLESTAR, planned_for="2027",
                                     reason="slower demand"), ("plant-planned",), ("plant", "Chengdu", "2027", "postponed")),
    "plant-cancelled": Example(_said("Press release", "2025-06", **_POLESTAR, cancelled_on="2025-06", reason="tariffs"),
                               ("plant-planned",), ("plant", "Chengdu", "2025-06", "cancelled")),
    "plant-closed": Example(_said("Press release", "2026-05", **_POLESTAR, closed_on="2026-06", reason="consolidation"),
                            ("plant-opened",), ("plant", "Chengdu", "2026-06", "closed")),
}


def example(kind: str) -> Any:
    """The statement the CLI example of `kind` records."""
    return EXAMPLES[kind].statement(kind)
