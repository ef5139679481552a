"""Consistency checks of a brand's picture: growth targets vs revenue targets, odd dates, stale plans,
early or negative figures, odd spellings."""

from __future__ import annotations

from collections import Counter
from datetime import date
from itertools import combinations

from stratlog.domain.dates import PartialDate
from stratlog.domain.jsonvalues import number_of
from stratlog.domain.quoting import quoted
from stratlog.domain.views import by_type

TOLERANCE_POINTS = 5.0
PLANNED_SUBJECTS = ("model", "market", "plant")
STILL_PLANNED = ("planned", "rescheduled", "postponed")
NOT_COUNTS = ("percent", "yes/no")


def run_checks(groups: list[dict], brand: str, as_of: date) -> list[dict]:
    """The consistency warnings of a brand as of `as_of` (DESIGN §5 checks): rows with check, subject,
    status and message, from the folded groups."""
    targets = [t for g in by_type(groups, "targets") for t in g["targets"] if not t["withdrawn"]]
    rows = _growth_vs_revenue(targets, brand)
    rows += _launch_before_reveal(by_type(groups, "model"), brand)
    rows += _actuals_from_the_future(by_type(groups, "actuals"), brand)
    rows += _stale_plans([g for kind in PLANNED_SUBJECTS for g in by_type(groups, kind)], brand, as_of)
    rows += _figures(targets, by_type(groups, "actuals"), brand)
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


def _stale_plans(subjects: list[dict], brand: str, as_of: date) -> list[dict]:
    """A plan whose latest date has passed, still planned, with nothing announced about it since that date."""
    rows = []
    for g in subjects:
        planned = g["dates"].get("planned_for")
        if g["status"] not in STILL_PLANNED or not planned or g.get("scheduled"):
            continue
        end = PartialDate.parse(planned).end
        if end < as_of and (not g["announced_on"] or PartialDate.parse(g["announced_on"]).start <= end):
            rows.append(_row(brand, "stale-plan", g["subject"], "warning",
                             f"{g['subject']} {g['status']} for {planned}, nothing stated since, as of {as_of}"))
    return rows


def _figures(targets: list[dict], actual_groups: list[dict], brand: str) -> list[dict]:
    """Actuals of a whole period reported before it ended, negative counts, KPIs and units spelled oddly."""
    actuals = [(g["kpi"], a) for g in actual_groups for a in g["actuals"]]
    rows = [_row(brand, "actual-before-period-end", f"{kpi} {a['period']}", "warning",
                 f"{kpi} for {a['period']} was reported {a['announced_on']}, before the period ended")
            for kpi, a in actuals if a["announced_on"] and _reported_early(a["period"], a["announced_on"])]
    said = [(t["kpi"], f"{t['kpi']} {t['deadline'] or 'open'}", t.get("unit"), [t["value"], t["low"], t["high"]])
            for t in targets]
    said += [(kpi, f"{kpi} {a['period']}", a.get("unit"), [a["value"]]) for kpi, a in actuals]
    rows += [_row(brand, "negative-count", subject, "warning", f"{subject} counts {number_of(v)} {unit}: a count "
                  f"cannot be negative") for _, subject, unit, values in said if unit not in NOT_COUNTS
             for v in values if not isinstance(v, dict) and (number_of(v) or 0) < 0]
    rows += _odd_spellings("kpi", [(kpi, subject) for kpi, subject, _, _ in said], brand)
    rows += _odd_spellings("unit", [(unit, subject) for _, subject, unit, _ in said if unit], brand)
    return rows


def _reported_early(period: str, announced_on: str) -> bool:
    """Reported after the period began (earlier is actual-before-period) but before it ended."""
    span, said = PartialDate.parse(period), PartialDate.parse(announced_on)
    return span.start <= said.end < span.end


def _spelling(word: str) -> str:
    return word.casefold().replace("_", "-").replace(" ", "-").removesuffix("s")


def _odd_spellings(field: str, words: list[tuple[str, str]], brand: str) -> list[dict]:
    """Each spelling of a KPI or unit that another spelling of the brand's matches but for case, separators or
    a plural s; the most used spelling is taken as the brand's own."""
    counts = Counter(word for word, _ in words)
    usual: dict[str, str] = {}
    for word, _ in sorted(counts.items(), key=lambda wc: (-wc[1], wc[0])):
        usual.setdefault(_spelling(word), word)
    return [_row(brand, f"{field}-spelling", subject, "warning",
                 f"{field} {quoted(word)} of {subject} is spelled unlike {quoted(usual[_spelling(word)])} elsewhere")
            for word, subject in words if usual[_spelling(word)] != word]
