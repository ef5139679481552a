"""Consistency checks of a brand's picture: growth targets vs revenue targets, odd dates."""

from __future__ import annotations

from datetime import date
from itertools import combinations

from stratlog.domain.dates import PartialDate
from stratlog.domain.jsonvalues import number_of
from stratlog.domain.views import by_type

TOLERANCE_POINTS = 5.0


def run_checks(groups: list[dict], brand: str, as_of: date) -> list[dict]:
    targets = [t for g in by_type(groups, "targets") for t in g["targets"] if not t["withdrawn"]]
    rows = _growth_vs_revenue(targets, brand)
    rows += _launch_before_reveal(by_type(groups, "model"), brand)
    rows += _actuals_from_the_future(by_type(groups, "actuals"), brand)
    return rows


def _row(brand: str, check: str, subject: str, status: str, message: str, **extra) -> dict:
    return {"brand": brand, "check": check, "subject": subject, "status": status, "message": message, **extra}


def _cagr(start: float, end: float, years: int) -> float:
    return ((end / start) ** (1 / years) - 1) * 100


def _growth_vs_revenue(targets: list[dict], brand: str) -> list[dict]:
    growth = [t for t in targets if t["kpi"] == "revenue-growth" and t["value"] is not None]
    revenue = sorted((t for t in targets if t["kpi"] == "revenue" and isinstance(t["value"], dict)
                      and not t["scope"]), key=lambda t: PartialDate.parse(t["deadline"]).year)
    rows = []
    for g in growth:
        stated = float(number_of(g["value"]))
        for a, b in combinations(revenue, 2):
            years = PartialDate.parse(b["deadline"]).year - PartialDate.parse(a["deadline"]).year
            if years <= 0 or a["value"]["currency"] != b["value"]["currency"] or number_of(a["value"]) <= 0:
                continue
            implied = round(_cagr(float(number_of(a["value"])), float(number_of(b["value"])), years), 1)
            consistent = abs(implied - stated) <= TOLERANCE_POINTS
            rows.append(_row(
                brand, "growth-vs-revenue", f"revenue-growth {g['deadline']}",
                "consistent" if consistent else "inconsistent",
                f"revenue {a['deadline']} → {b['deadline']} implies {implied} %/yr; the growth target says {stated:g} %/yr"
                + ("" if consistent else f" (more than {TOLERANCE_POINTS:g} points apart)"),
                implied=implied, stated=stated))
    return rows


def _launch_before_reveal(models: list[dict], brand: str) -> list[dict]:
    rows = []
    for m in models:
        launched, revealed = m["dates"].get("launched_on"), m["dates"].get("revealed_on")
        if launched and revealed and PartialDate.parse(launched).end < PartialDate.parse(revealed).start:
            rows.append(_row(brand, "launch-before-reveal", m["subject"], "warning",
                             f"{m['subject']} is launched {launched}, before its reveal {revealed}"))
    return rows


def _actuals_from_the_future(groups: list[dict], brand: str) -> list[dict]:
    rows = []
    for g in groups:
        for a in g["actuals"]:
            if a["announced_on"] and PartialDate.parse(a["period"]).start > PartialDate.parse(a["announced_on"]).end:
                rows.append(_row(brand, "actual-before-period", f"{g['kpi']} {a['period']}", "warning",
                                 f"{g['kpi']} for {a['period']} was reported {a['announced_on']}, before the period began"))
    return rows
