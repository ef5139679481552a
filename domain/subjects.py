"""The folds of models, markets, dealer agreements, valuations, IPO stance and actuals."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from stratlog.domain import subject_statements as s
from stratlog.domain.errors import ModelLaunchedTwice
from stratlog.domain.history import Entry

MODEL_STATUS = {
    "model-planned": "planned", "model-rescheduled": "rescheduled", "model-revealed": "revealed",
    "model-launched": "launched", "model-cancelled": "cancelled", "model-discontinued": "discontinued",
}
MARKET_STATUS = {
    "market-entry-planned": "planned", "market-entry-postponed": "postponed", "market-entered": "entered",
    "market-entry-cancelled": "cancelled", "market-exited": "exited",
}
DEALER_STATUS = {
    "dealer-talks-started": "talks", "dealer-agreement-signed": "signed", "dealer-talks-ended": "ended",
    "dealer-agreement-terminated": "terminated",
}
_PROGRESS = {"planned": 0, "rescheduled": 0, "revealed": 1, "launched": 2}


@dataclass
class SubjectState:
    """What the fold knows of one model, market or dealer agreement."""

    subject_type: str
    name: str
    status: str | None = None
    dates: dict[str, Any] = field(default_factory=dict)
    details: dict[str, Any] = field(default_factory=dict)
    aliases: list[str] = field(default_factory=list)
    last: Entry | None = None
    planned_history: list[tuple[Entry, Any]] = field(default_factory=list)

    @property
    def date(self) -> Any:
        d = self.dates
        if self.subject_type == "model":
            return d.get("launched_on") if self.status == "launched" else d.get("revealed_on") if self.status == "revealed" else d.get("planned_for")
        if self.subject_type == "market":
            return d.get("entered_on") if self.status in ("entered", "exited") else d.get("planned_for")
        return d.get("signed_on") if self.status in ("signed", "terminated") else d.get("talks_on")


def model_step(state: SubjectState, entry: Entry, st: Any) -> None:
    """Advance a model's state by one statement."""
    status = MODEL_STATUS.get(st.KIND)
    if isinstance(st, (s.ModelPlanned, s.ModelRescheduled)):
        previous = state.dates.get("planned_for")
        if isinstance(st, s.ModelPlanned):
            same = previous in (None, st.planned_for)
            status = ("planned" if state.status in (None, "planned") else state.status) if same else "rescheduled"
            state.details.update(st.model_dump(include={"segment", "body", "powertrain", "markets"}, exclude_none=True))
        state.dates["planned_for"] = st.planned_for
        state.planned_history.append((entry, st.planned_for))
        if _PROGRESS.get(state.status, 0) > 0:
            status = state.status
    elif isinstance(st, s.ModelRevealed):
        state.dates["revealed_on"] = st.revealed_on
        status = "launched" if state.status == "launched" else "revealed"
    elif isinstance(st, s.ModelLaunched):
        state.dates["launched_on"] = st.launched_on
        state.dates.setdefault("on_sale_by", st.announced_on)
    elif isinstance(st, s.ModelRenamed):
        state.aliases.append(state.name)
        state.name, status = st.new_name, state.status
    else:
        state.dates["ended_on"] = st.on
    state.status = status


def check_launch(launches: dict, entry: Entry, strict: bool) -> None:
    """A model is launched at most once per market (once overall when no market is named)."""
    for market in entry.statement.markets or [None]:
        earlier = launches.get(market)
        if earlier is not None and strict:
            where = f"in {market}" if market else "overall"
            raise ModelLaunchedTwice(f"{entry.statement.model} is launched {where} by both {earlier.describe()} "
                                     f"and {entry.describe()}",
                                     statement_ids=(entry.statement_id, earlier.statement_id))
        launches[market] = entry


def market_step(state: SubjectState, entry: Entry, st: Any) -> None:
    """Advance a market's state by one statement."""
    if isinstance(st, (s.MarketEntryPlanned, s.MarketEntryPostponed)):
        state.dates["planned_for"] = st.planned_for
        state.planned_history.append((entry, st.planned_for))
        if isinstance(st, s.MarketEntryPlanned) and st.rationale:
            state.details["rationale"] = st.rationale
    elif isinstance(st, s.MarketEntered):
        state.dates["entered_on"] = st.entered_on
    else:
        state.dates["ended_on"] = st.on
    state.status = MARKET_STATUS[st.KIND]


def dealer_step(state: SubjectState, entry: Entry, st: Any) -> None:
    """Advance a dealer agreement's state by one statement."""
    if isinstance(st, s.DealerTalksStarted):
        state.dates["talks_on"] = st.announced_on
    elif isinstance(st, s.DealerAgreementSigned):
        state.dates["signed_on"] = st.signed_on
    state.details.update(dealer=st.dealer, market=st.market)
    state.status = DEALER_STATUS[st.KIND]
