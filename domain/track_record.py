"""The track record: how far a brand's word has held as of a date (DESIGN §5 r2, track-record).

A pure function over the answers the other views already give: the kpis rows (each target's status),
the audit rows (each change of a target) and one plan record per model, market or plant.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Iterable

from stratlog.domain.dates import PartialDate

JUDGED = ("achieved", "missed", "withdrawn")


@dataclass(frozen=True)
class PlanRecord:
    """What the fold says of one planned subject as of D.

    `first_planned` and `latest_planned` are partial-date texts (None when the subject never had a
    planned date); `delivered_on` is the text of the launch, entry or opening date (None when not
    delivered, or delivered without a date); `delivered` and `cancelled` say where it stands.
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


def track_record(brand: str, as_of: date, kpis: Iterable[dict], audit: Iterable[dict],
                 plans: Iterable[PlanRecord]) -> dict:
    """One brand's scorecard as of `as_of`: targets kept, cut and raised, plans delivered and slipped.

    `kpis` are the kpis rows as of the date (status, deadline), `audit` the audit rows (change,
    old_deadline, new_deadline, flagged). Rates are percentages with one decimal, null when nothing
    counts; `mean_slip_months` is the mean slip of the plans delivered late or overdue.
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
    return {"targets_judged": judged, **counts,
            "kept_rate": round(counts["achieved"] / judged * 100, 1) if judged else None}


def _revisions(rows: Iterable[dict]) -> dict:
    cuts = raises = 0
    for row in rows:
        if row.get("flagged"):
            continue
        change = row["change"]
        if change == "deadline-moved" and row["old_deadline"] and row["new_deadline"]:
            old, new = PartialDate.parse(row["old_deadline"]).end, PartialDate.parse(row["new_deadline"]).end
            cuts, raises = cuts + (new > old), raises + (new < old)
        else:
            cuts, raises = cuts + (change == "lowered"), raises + (change == "raised")
    return {"cuts": cuts, "raises": raises}


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
        elif plan.latest_planned and PartialDate.parse(plan.latest_planned).end < as_of:
            overdue += 1
            slips.append(months_between(promised, as_of))
    return {"plans_delivered": delivered, "on_time": on_time, "late": late, "cancelled": cancelled,
            "plans_overdue": overdue,
            "mean_slip_months": round(sum(slips) / len(slips), 1) if slips else None}
