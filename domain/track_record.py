"""The track record: how far a brand's word has held as of a date (DESIGN §5 r2, track-record).

A pure function over the answers the other views already give: the kpis rows (each target's status),
the audit rows (each change of a target) and one plan record per model, market or plant, read from
the same folded groups as the timeline.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Iterable

from stratlog.domain.dates import PartialDate
from stratlog.domain.views import audit as audit_view
from stratlog.domain.views import kpis as kpis_view

JUDGED = ("achieved", "missed", "withdrawn")
PLANNED_SUBJECTS = ("model", "market", "plant")
DELIVERED = ("launched", "discontinued", "entered", "exited", "opened", "closed")  # delivered, whatever came next
DELIVERY_DATES = {"model": ("launched_on", "on_sale_by"), "market": ("entered_on",), "plant": ("opened_on",)}
FIGURES = ("targets_judged", "achieved", "missed", "withdrawn", "overdue", "kept_rate", "cuts", "raises",
           "plans_delivered", "on_time", "late", "cancelled", "plans_overdue", "mean_slip_months")


@dataclass(frozen=True)
class PlanRecord:
    """What the fold says of one planned subject as of D.

    `first_planned` and `latest_planned` are partial-date texts (None when the subject never had a
    planned date / has none now); `delivered_on` is the text of the launch, entry or opening date (a
    model launched without a date: the day it was said to be on sale by; None when not delivered, or
    delivered without any date); `delivered` and `cancelled` say where it stands as of D (a launch,
    entry, opening or cancellation announced for a date still ahead is neither: it has not happened yet).
    """

    subject_type: str
    subject: str
    first_planned: str | None
    latest_planned: str | None
    delivered: bool
    delivered_on: str | None
    cancelled: bool


def months_between(first: date, second: date) -> int:
    """Whole calendar months from one end date to another: (year₂ − year₁) × 12 + month₂ − month₁."""
    return (second.year - first.year) * 12 + second.month - first.month


def one_decimal(numerator: float, denominator: int) -> float | None:
    """numerator ÷ denominator rounded half up to one decimal (2.25 → 2.3); None when the denominator is 0."""
    if not denominator:
        return None
    return float((Decimal(numerator) / Decimal(denominator)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def plan_records(groups: Iterable[dict]) -> list[PlanRecord]:
    """One PlanRecord per model, market and plant group view (the fold's items, with `planned_history`)."""
    records = []
    for group in groups:
        if group["type"] not in PLANNED_SUBJECTS:
            continue
        dates, status = group["dates"], group["status"]
        planned = [p["planned_for"] for p in group.get("planned_history", ()) if p["planned_for"]]
        delivered_on = next((dates[k] for k in DELIVERY_DATES[group["type"]] if dates.get(k)), None)
        records.append(PlanRecord(group["type"], group["subject"], planned[0] if planned else None,
                                  dates.get("planned_for"), status in DELIVERED,
                                  delivered_on if status in DELIVERED else None, status == "cancelled"))
    return records


def brand_track_record(groups: list[dict], brand: str, as_of: date) -> dict:
    """The track-record row of one brand from its folded group views as of `as_of` (the groups every
    other view is answered from): the kpis and audit views and the plan records, summed up."""
    return track_record(brand, as_of, kpis_view(groups, brand, as_of), audit_view(groups, brand),
                        plan_records(groups))


def track_record(brand: str, as_of: date, kpis: Iterable[dict], audit: Iterable[dict],
                 plans: Iterable[PlanRecord]) -> dict:
    """One brand's scorecard as of `as_of`: targets kept, cut and raised, plans delivered and slipped.

    `kpis` are the kpis rows as of the date (status, deadline), `audit` the audit rows (change,
    old_deadline, new_deadline, flagged). Returns {brand, as_of, *FIGURES}: counts are ints;
    `kept_rate` is a percentage and `mean_slip_months` a number of months, each with one decimal
    (rounded half up) and None when nothing counts.
    """
    return {"brand": brand, "as_of": as_of.isoformat(), **_targets(list(kpis), as_of), **_revisions(audit),
            **_plans(list(plans), as_of)}


def _ended_by(deadline: str | None, as_of: date) -> bool:
    return deadline is not None and PartialDate.parse(deadline).end <= as_of


def _targets(rows: list[dict], as_of: date) -> dict:
    counts = dict.fromkeys(JUDGED + ("overdue",), 0)
    for row in rows:
        status = row["status"]
        if status == "withdrawn" or (status in ("achieved", "missed", "overdue") and _ended_by(row["deadline"], as_of)):
            counts[status] += 1
    judged = sum(counts[s] for s in JUDGED)
    return {"targets_judged": judged, **counts, "kept_rate": one_decimal(counts["achieved"] * 100, judged)}


def _revisions(rows: Iterable[dict]) -> dict:
    directions = [revision_direction(row) for row in rows]
    return {"cuts": directions.count("cut"), "raises": directions.count("raise")}


def revision_direction(row: dict) -> str | None:
    """"cut" for an audit row that lowered a value or moved a deadline later (or gave it up: moved to open),
    "raise" for one that raised a value or moved a deadline earlier (or gave an open target a date), None
    otherwise; our own fixes (flagged rows) are never the brand's cuts or raises."""
    if row.get("flagged"):
        return None
    change = row["change"]
    moved = _moved(row["old_deadline"], row["new_deadline"]) if change == "deadline-moved" else 0
    if change == "lowered" or moved > 0:
        return "cut"
    return "raise" if change == "raised" or moved < 0 else None


def _moved(old: str | None, new: str | None) -> int:
    """+1 when a deadline moved later (or to open), −1 when earlier (or from open to a date), 0 otherwise."""
    if old is None or new is None:
        return (old is not None) - (new is not None)
    old_end, new_end = PartialDate.parse(old).end, PartialDate.parse(new).end
    return (new_end > old_end) - (new_end < old_end)


def _plans(plans: list[PlanRecord], as_of: date) -> dict:
    delivered = on_time = late = cancelled = overdue = 0
    slips: list[int] = []
    for plan in plans:
        if plan.first_planned is None:
            continue  # no planned date was ever given: nothing to keep or slip
        promised = PartialDate.parse(plan.first_planned).end
        if plan.delivered:
            delivered += 1
            came = PartialDate.parse(plan.delivered_on).end if plan.delivered_on else None
            if came is not None and came > promised:
                late += 1
                slips.append(months_between(promised, came))
            else:
                on_time += came is not None
        elif plan.cancelled:
            cancelled += 1
        elif _overdue(plan, as_of):
            overdue += 1
            slips.append(months_between(promised, as_of))
    return {"plans_delivered": delivered, "on_time": on_time, "late": late, "cancelled": cancelled,
            "plans_overdue": overdue, "mean_slip_months": one_decimal(sum(slips), len(slips))}


def _overdue(plan: PlanRecord, as_of: date) -> bool:
    """The latest planned date has ended before D (DESIGN §5 r2; the caller has ruled out delivered and
    cancelled plans). A delivery or cancellation only scheduled for later has not happened by D, so it
    does not save the plan; a postponement without a new date leaves nothing to be overdue on."""
    return plan.latest_planned is not None and PartialDate.parse(plan.latest_planned).end < as_of
