"""Folders: a fold unit's state advanced one statement at a time, and the items it answers with.

A folder's items are the exploded form of its group view (see domain/items.py); each item is
built once and kept until the statement that changes it, so materialising a group over many
as-of dates costs what changes, not what is.
"""

from __future__ import annotations

from typing import Any, Callable

from stratlog.domain import subject_statements as s
from stratlog.domain.dates import instant_text
from stratlog.domain.history import Entry
from stratlog.domain.values import json_value
from stratlog.domain.subjects import SubjectState, check_launch, dealer_step, market_step, model_step


def stated(entry: Entry) -> dict:
    """When and where a subject was last stated (computed once per entry)."""
    cached = entry.__dict__.get("_stated")
    if cached is None:
        st = entry.statement
        cached = {
            "announced_on": str(st.announced_on) if st.announced_on else None,
            "statement_id": entry.statement_id,
            "recorded_at": instant_text(entry.recorded_at),
            "source": st.source.label() if st.source else None,
            "source_url": st.source.url if st.source else None,
            "publisher": st.source.publisher if st.source else None,
        }
        object.__setattr__(entry, "_stated", cached)
    return cached


class SubjectFolder:
    """A model, market or dealer agreement: one item, rebuilt after each statement."""

    STEPS = {"model": model_step, "market": market_step, "dealer-agreement": dealer_step}

    def __init__(self, kind: str, strict: bool):
        self.kind, self.strict = kind, strict
        self.state: SubjectState | None = None
        self.launches: dict = {}
        self.item: dict | None = None

    def apply(self, entry: Entry) -> None:
        st = entry.statement
        if self.state is None:
            name = st.model if self.kind == "model" else st.market if self.kind == "market" else f"{st.dealer}/{st.market}"
            self.state = SubjectState(self.kind, name)
        self.STEPS[self.kind](self.state, entry, st)
        if isinstance(st, s.ModelLaunched):
            check_launch(self.launches, entry, self.strict)
        self.state.last, self.item = entry, None

    def finish(self) -> None:
        """Nothing waits in a subject's fold."""

    def items(self) -> dict[str, dict]:
        if self.state is None:
            return {}
        if self.item is None:
            state = self.state
            self.item = {
                "type": state.subject_type, "subject": state.name, "status": state.status,
                "date": json_value(state.date), "dates": json_value(state.dates),
                "details": json_value(state.details), "aliases": list(state.aliases), **stated(state.last),
                "planned_history": [{"announced_on": str(e.statement.announced_on), "planned_for": json_value(d)}
                                    for e, d in state.planned_history],
            }
        return {"s": self.item}


def _valuation(entry: Entry) -> dict:
    st = entry.statement
    on = st.effective_valued_on
    return {"_group": {"type": "valuations"}, "_list": "valuations", "_seq": f"{on.start}|{on.end}",
            "valued_on": str(on), "value": json_value(st.value), "basis": st.basis, **stated(entry)}


def _actual(entry: Entry, header: dict) -> dict:
    st = entry.statement
    return {"_group": header, "_list": "actuals", "_seq": f"{st.period.start}|{st.period.end}",
            "period": str(st.period), "value": json_value(st.value), "unit": st.effective_unit,
            "annual": st.period.is_annual, **stated(entry)}


def _ipo(entry: Entry) -> dict:
    st = entry.statement
    return {"type": "ipo", "stance": st.stance, "venue": st.venue, "by": st.by, **stated(entry)}


def _brand(entry: Entry) -> dict:
    st = entry.statement
    return {"type": "brand", "brand": st.brand, "name": st.name, "parent": st.parent, "country": st.country}


class LatestFolder:
    """Valuations (by valued_on), actuals (by period), the IPO stance and the registration: last word wins."""

    def __init__(self, kind: str):
        self.kind = kind
        self.latest: dict[Any, Entry] = {}
        self.built: dict[Any, tuple[Entry, str, dict]] = {}
        self.header: dict | None = None

    def _key(self, entry: Entry) -> Any:
        st = entry.statement
        return {"valuations": lambda: st.effective_valued_on.text, "actuals": lambda: st.period.text}.get(
            self.kind, lambda: "s")()

    def apply(self, entry: Entry) -> None:
        if self.header is None and self.kind == "actuals":
            self.header = {"type": "actuals", "kpi": entry.statement.kpi, "scope": entry.statement.scope}
        self.latest[self._key(entry)] = entry

    def finish(self) -> None:
        """Nothing waits in a last-word fold."""

    def items(self) -> dict[str, dict]:
        found = {}
        for key, entry in self.latest.items():
            cached = self.built.get(key)
            if cached is None or cached[0] is not entry:
                cached = self.built[key] = (entry, *self._build(key, entry))
            found[cached[1]] = cached[2]
        return found

    def _build(self, key: Any, entry: Entry) -> tuple[str, dict]:
        builders: dict[str, Callable[[], tuple[str, dict]]] = {
            "valuations": lambda: (f"v:{key}", _valuation(entry)),
            "actuals": lambda: (f"p:{key}", _actual(entry, self.header)),
            "ipo": lambda: ("s", _ipo(entry)),
            "brand": lambda: ("s", _brand(entry)),
        }
        return builders[self.kind]()
