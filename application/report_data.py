"""What the HTML report shows, gathered from the queries: plan slips, target steps, KPIs, audit, sources."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Callable, Iterable, Sequence

from stratlog.application.queries import Queries
from stratlog.domain.dates import PartialDate, instant_text
from stratlog.domain.jsonvalues import number_of
from stratlog.domain.kpi_status import by_period_end, judged_annuals, observed_growth
from stratlog.domain.picture import STATUSES, SUBJECTS
from stratlog.domain.views import target_subject

# The subjects the report's timeline chart draws (those with milestone dates), in the catalogue's order.
MILESTONES = {subject["type"]: tuple(name for name, _ in subject["milestones"]) for subject in SUBJECTS
              if subject["milestones"]}
ENDINGS = {word for word, tone in STATUSES.items() if tone == "ended"}  # a subject so ended gets an end mark
FIXES = ("statement-corrected", "statement-retracted")


@dataclass(frozen=True)
class Plan:
    """A planned date as it was announced on one day (planned_for None: announced without a date)."""

    announced_on: str
    planned_for: str | None


@dataclass(frozen=True)
class Milestone:
    """Something that happened to a subject: revealed, launched, entered, cancelled, … (on None: no date)."""

    what: str
    on: str | None
    note: str | None = None


@dataclass(frozen=True)
class SubjectSlip:
    """One model or market: every plan as announced over time and what actually happened."""

    subject_type: str
    subject: str
    status: str
    plans: tuple[Plan, ...]
    milestones: tuple[Milestone, ...]

    @property
    def dated_plans(self) -> tuple[Plan, ...]:
        return tuple(p for p in self.plans if p.planned_for)

    @property
    def dated(self) -> bool:
        return bool(self.dated_plans) or any(m.on for m in self.milestones)


@dataclass(frozen=True)
class Step:
    """A target's terms from one statement on: its value (low..high for a range) and deadline."""

    announced_on: str
    change: str
    value: Any
    low: Decimal | None
    high: Decimal | None
    deadline: str | None


@dataclass(frozen=True)
class ActualPoint:
    """A reported figure of the target's KPI and scope; `comparable` when it has the target's unit."""

    period: str
    value: Any
    number: Decimal | None
    comparable: bool
    announced_on: str | None


@dataclass(frozen=True)
class Trend:
    """A compounding path: from `number`, the actual reported for `period`, at `rate` percent per year
    (the required growth to the target, or the growth observed between the last two annual actuals)."""

    period: str
    number: Decimal
    rate: float


@dataclass(frozen=True)
class TargetTrack:
    """One target under its current deadline: its KPI row, its revision steps and the KPI's actuals; the
    path its required growth draws from the latest actual, and the observed trend (None when unknown)."""

    label: str
    kpi: dict
    deadlines: tuple[str, ...]
    withdrawn: bool
    steps: tuple[Step, ...]
    actuals: tuple[ActualPoint, ...]
    required: Trend | None = None
    observed: Trend | None = None

    @property
    def numeric(self) -> bool:
        return any(s.low is not None for s in self.steps)

    @property
    def observed_cagr(self) -> float | None:
        """Growth between the target's last two annual actuals in percent per year (None when unknown)."""
        return self.observed.rate if self.observed else None


@dataclass(frozen=True)
class SourceRow:
    """One distinct source (title, publisher, url) and the statements counted from it."""

    title: str | None
    publisher: str | None
    url: str | None
    speakers: tuple[str, ...]
    published_on: str | None
    statements: int
    first_announced: str | None


@dataclass(frozen=True)
class BrandReport:
    """Everything the report shows for one brand."""

    brand: str
    state: dict
    subjects: tuple[SubjectSlip, ...]
    targets: tuple[TargetTrack, ...]
    kpis: tuple[dict, ...]
    audit: tuple[dict, ...]
    sources: tuple[SourceRow, ...]
    scorecard: Any = None  # the Scorecard of application/scorecard.py: the report opens with it


@dataclass(frozen=True)
class Report:
    """The whole report: the as-of date, the known-at instant and one part per brand."""

    as_of: date
    known_at: datetime
    brands: tuple[BrandReport, ...]


Records = Callable[[str], Iterable[dict]]


def build_report(queries: Queries, brand: str | Sequence[str] | None, as_of: date, known_at: datetime,
                 records_of: Records = lambda brand: ()) -> Report:
    """The report of one brand, of several (sorted, each once) or of every brand (None or none named).
    `records_of(brand)` gives the brand's statements and fixes as the `events` command shows them
    (statement_id, recorded_at, kind, payload, source…), in recording order: the sources are read from them."""
    named = queries.brands(brand) if brand is None or isinstance(brand, str) else sorted(set(brand)) or queries.brands(None)
    brands = tuple(_brand_report(queries, b, as_of, known_at, records_of) for b in named)
    return Report(as_of, known_at, brands)


def _brand_report(queries: Queries, brand: str, as_of: date, known_at: datetime, records_of: Records) -> BrandReport:
    kpis = queries.kpis(brand, as_of, known_at)          # refuses an unknown brand first
    groups = queries.source.views(brand, as_of, known_at)
    audit = queries.audit(brand, None, None, as_of, known_at)
    from stratlog.application.scorecard import build_scorecard
    return BrandReport(brand, queries.state(brand, as_of, known_at), subject_slips(groups),
                       target_tracks(groups, kpis), tuple(kpis), tuple(audit),
                       sources(records_of(brand), as_of, known_at),
                       build_scorecard(queries, brand, as_of, known_at, records_of(brand)))


def subject_slips(groups: list[dict]) -> tuple[SubjectSlip, ...]:
    """Models, markets then plants, each with its planned dates as announced and its milestones."""
    slips = [_slip(g) for g in groups if g["type"] in MILESTONES]
    order = list(MILESTONES)
    return tuple(sorted(slips, key=lambda s: (order.index(s.subject_type), not s.dated, _first_date(s),
                                              s.subject.casefold())))


def _slip(group: dict) -> SubjectSlip:
    dates = group["dates"]
    milestones = [Milestone(field.removesuffix("_on"), dates[field]) for field in MILESTONES[group["type"]]
                  if dates.get(field)]
    if group["type"] == "model" and "launched_on" in dates and not dates["launched_on"]:
        on_sale = dates.get("on_sale_by")
        milestones.append(Milestone("launched", None, f"on sale by {on_sale}" if on_sale else None))
    if dates.get("ended_on") or group["status"] in ENDINGS:
        milestones.append(Milestone(group["status"], dates.get("ended_on")))
    plans = tuple(Plan(p["announced_on"], p["planned_for"]) for p in group["planned_history"])
    return SubjectSlip(group["type"], group["subject"], group["status"], plans, tuple(milestones))


def _first_date(slip: SubjectSlip) -> date:
    texts = [p.planned_for for p in slip.dated_plans[-1:]] + [m.on for m in slip.milestones if m.on]
    return min((PartialDate.parse(t).start for t in texts), default=date.max)


def target_tracks(groups: list[dict], kpis: list[dict]) -> tuple[TargetTrack, ...]:
    """One track per KPI row: the revision steps of its target and the actuals of its KPI and scope."""
    targets = {t["identity"]: (t, g["audit"]) for g in groups if g["type"] == "targets" for t in g["targets"]}
    actuals = {(g["kpi"], (g["scope"] or "").casefold()): g["actuals"] for g in groups if g["type"] == "actuals"}
    tracks = []
    for row in kpis:
        target, audit = targets[row["identity"]]
        steps = tuple(_step(a) for a in audit if a["identity"] == row["identity"] and not a["flagged"])
        found = actuals.get((row["kpi"], (row["scope"] or "").casefold()), [])
        dated = tuple(d for d in target["deadlines"] if d != "open")  # an open target has no date to draw
        tracks.append(TargetTrack(target_subject(row), row, dated, target["withdrawn"], steps,
                                  tuple(_actual(a, row["unit"]) for a in found), *trends(row, found)))
    return tuple(tracks)


def trends(row: dict, actuals: list[dict]) -> tuple[Trend | None, Trend | None]:
    """The required path (from the latest actual at required_cagr) and the observed trend (from the last
    annual actual at the growth between the last two) of a kpis row, given its KPI's actuals."""
    ordered = by_period_end(actuals)
    latest = next((a for _, a in reversed(ordered) if a["period"] == row["actual_period"]), None)
    start = number_of(latest["value"]) if latest else None
    required = Trend(latest["period"], start, row["required_cagr"]) \
        if start is not None and row["required_cagr"] is not None else None
    rate, annual = observed_growth(row, ordered), judged_annuals(row, ordered)
    observed = Trend(annual[-1]["period"], number_of(annual[-1]["value"]), rate) if rate is not None else None
    return required, observed


def _step(row: dict) -> Step:
    value = row["new_value"]
    if value is None and row.get("new_low") is not None:
        value = {"low": row["new_low"], "high": row["new_high"]}
    low, high = bounds(value)
    return Step(row["announced_on"], row["change"], value, low, high, row["new_deadline"])


def bounds(value: Any) -> tuple[Decimal | None, Decimal | None]:
    """The low and high numbers of a KPI value (equal for a single number; None for yes/no or none)."""
    if isinstance(value, dict) and "low" in value:
        low, high = number_of(value["low"]), number_of(value["high"])
        return (low if low is not None else high), (high if high is not None else low)
    number = number_of(value)
    return number, number


def _actual(row: dict, unit: str) -> ActualPoint:
    value = row["value"]
    actual_unit = value["currency"] if isinstance(value, dict) and "currency" in value else row["unit"]
    number = number_of(value)
    return ActualPoint(row["period"], value, number, number is not None and actual_unit == unit, row["announced_on"])


def sources(records: Iterable[dict], as_of: date, known_at: datetime) -> tuple[SourceRow, ...]:
    """Distinct sources of the statements counted as of `as_of` and known at `known_at`, with our
    corrections applied and retracted statements left out."""
    bodies = known_bodies(records, instant_text(known_at))
    found: dict[tuple, list[dict]] = {}
    for body in bodies:
        announced, source = body.get("announced_on"), body.get("source")
        if source and (not announced or PartialDate.parse(announced).end <= as_of):
            key = (source.get("title"), source.get("publisher"), source.get("url"))
            found.setdefault(key, []).append(body)
    return tuple(sorted((_source_row(key, said) for key, said in found.items()),
                        key=lambda s: (_start(s.first_announced), (s.title or s.url or "").casefold())))


def known_bodies(records: Iterable[dict], known_at: str) -> list[dict]:
    """The bodies of the statements recorded by `known_at`, our corrections applied, retracted ones left out."""
    bodies: dict[str, dict] = {}
    for record in records:
        kind = record["kind"]
        if record["recorded_at"] > known_at:
            continue
        if kind == "statement-corrected" and record["corrects"] in bodies:
            bodies[record["corrects"]] = {**bodies[record["corrects"]], **record["fields"]}
        elif kind == "statement-retracted":
            bodies.pop(record["retracts"], None)
        elif kind not in FIXES:
            bodies[record["statement_id"]] = record
    return list(bodies.values())


def _source_row(key: tuple, said: list[dict]) -> SourceRow:
    title, publisher, url = key
    speakers = sorted({b["source"]["speaker"] for b in said if b["source"].get("speaker")}, key=str.casefold)
    announced = sorted((b["announced_on"] for b in said if b.get("announced_on")), key=_start)
    published = next((b["source"]["published_on"] for b in said if b["source"].get("published_on")), None)
    return SourceRow(title, publisher, url, tuple(speakers), published, len(said), announced[0] if announced else None)


def _start(text: str | None) -> date:
    return PartialDate.parse(text).start if text else date.max
