"""The answers of stratlog, assembled from folded groups: timeline, kpis, audit, state, diff."""

from __future__ import annotations

from datetime import date
from typing import Iterable

from stratlog.domain.dates import PartialDate, shown_text
from stratlog.domain.kpi_status import by_period_end, evaluate
from stratlog.domain.picture import SUBJECTS

LIVE = ("pending", "on-track", "at-risk", "off-track", "overdue")
SUBJECT_TYPES = tuple(subject["type"] for subject in SUBJECTS)  # each folded into one row of its own
_FAR = (date.max, date.max)


def by_type(groups: Iterable[dict], kind: str) -> list[dict]:
    """The folded groups of one type (`model`, `targets`, `actuals`…), in their given order."""
    return [g for g in groups if g["type"] == kind]


def _date_key(text: str | None) -> tuple:
    if not text:
        return _FAR
    d = PartialDate.parse(text)
    return (d.start, d.end)


def _stated(row: dict) -> dict:
    return {k: row.get(k) for k in ("announced_on", "statement_id", "recorded_at", "source", "source_url", "publisher")}


def kpis(groups: list[dict], brand: str, as_of: date, live: bool = False) -> list[dict]:
    """The kpis rows of a brand as of `as_of` (DESIGN §5): each target under its current deadline with its
    latest actual, required_cagr (percent per year) and status; `live` keeps only targets still in play."""
    actuals = {(g["kpi"], (g["scope"] or "").casefold()): by_period_end(g["actuals"]) for g in by_type(groups, "actuals")}
    rows = []
    for group in by_type(groups, "targets"):
        for target in group["targets"]:
            found = actuals.get((target["kpi"], (target["scope"] or "").casefold()), [])
            rows.append({"brand": brand, **{k: target.get(k) for k in (
                "kpi", "scope", "deadline", "horizon", "value", "low", "high", "unit", "comparator", "baseline",
                "condition")},
                **evaluate(target, found, as_of), "identity": target["identity"], **_stated(target)})
    if live:
        rows = [r for r in rows if r["status"] in LIVE]
    return sorted(rows, key=lambda r: (_date_key(r["deadline"]), r["kpi"], r["scope"] or ""))


def target_subject(row: dict) -> str:
    """A target's subject as the timeline names it: `kpi [scope] deadline`, `open` for no deadline."""
    scope = f" {row['scope']}" if row["scope"] else ""
    return f"{row['kpi']}{scope} {row['deadline'] or 'open'}"


def timeline(groups: list[dict], brand: str, as_of: date) -> list[dict]:
    """The timeline rows of a brand as of `as_of`: one per subject with its status and date, undated last."""
    rows = []
    for g in groups:
        if g["type"] in SUBJECT_TYPES:
            first_name = (g.get("aliases") or [g["subject"]])[0]  # a renamed model stays the same subject
            rows.append(_row(brand, g["type"], g["subject"], g["date"], g["status"], g, first_name))
            if g.get("scheduled"):
                rows[-1]["scheduled"] = g["scheduled"]
        elif g["type"] == "valuations":
            rows += [_row(brand, "valuation", f"valuation {v['valued_on']}", v["valued_on"], "reported", v,
                          f"valuation {v['valued_on']}", value=v["value"]) for v in g["valuations"]]
        elif g["type"] == "ipo":
            rows.append(_row(brand, "ipo", "ipo", g["announced_on"], g["stance"], g, "ipo"))
    for k in kpis(groups, brand, as_of):
        rows.append(_row(brand, "target", target_subject(k), k["deadline"], k["status"], k, k["identity"],
                         value=k["value"] if k["value"] is not None else {"low": k["low"], "high": k["high"]}))
    return sorted(rows, key=lambda r: (_date_key(r["date"]), r["subject_type"], r["subject"].casefold()))


def _row(brand, subject_type, subject, when, status, stated_row, identity, value=None) -> dict:
    row = {"brand": brand, "subject_type": subject_type, "subject": subject, "date": when, "status": status,
           **_stated(stated_row), "identity": identity}
    if value is not None:
        row["value"] = value
    return row


def audit(groups: list[dict], brand: str, kpi: str | None = None, deadline: str | None = None) -> list[dict]:
    """Every statement about targets (`deadline` may be `open`; a fiscal year matches as shown, so FY2026
    finds FY2026/03), by KPI and scope; a retracted guidance withdrawal, which every targets group folds,
    is listed once.

    The answer does not depend on the order the groups come in: the rows of one KPI and scope are taken
    in the order of the group holding most of them (the group of that KPI, which also folds every
    withdrawal), then any others."""
    buckets: dict[tuple[str, str], list[list[dict]]] = {}
    for group in by_type(groups, "targets"):
        deadlines = {t["identity"]: t["deadlines"] for t in group["targets"]}
        found: dict[tuple[str, str], list[dict]] = {}
        for row in group["audit"]:
            if kpi and row["kpi"] != kpi:
                continue
            if deadline and shown_text(deadline) not in map(shown_text, _deadlines_of(row, deadlines)):
                continue
            found.setdefault((row["kpi"], (row["scope"] or "").casefold()), []).append(
                {"brand": brand, "kpi": row["kpi"], "scope": row["scope"],
                 "deadline": row["new_deadline"] or row["old_deadline"], **row})
        for key, rows in found.items():
            buckets.setdefault(key, []).append(rows)
    answer = []
    for key in sorted(buckets):
        seen = set()
        for rows in sorted(buckets[key], key=len, reverse=True):
            fresh = [row for row in rows if (row["identity"], row["statement_id"]) not in seen]
            seen.update((row["identity"], row["statement_id"]) for row in fresh)
            answer += fresh
    return answer


def _deadlines_of(row: dict, deadlines: dict[str, list[str]]) -> list[str]:
    """Every deadline an audit row's target has had; a retracted statement (no target of its own)
    belongs to the targets that held the deadline it named."""
    if row["identity"] in deadlines:
        return deadlines[row["identity"]]
    held = [d for history in deadlines.values() if row["old_deadline"] in history for d in history]
    return held or [row["old_deadline"]]


def state(groups: list[dict], brand: str, as_of: date) -> dict:
    """A brand's picture as of `as_of` (one dict): name, parent, latest valuation, IPO stance, models,
    markets, dealer agreements, plants and the kpis rows."""
    info = next(iter(by_type(groups, "brand")), {"name": None, "parent": None})
    valuations = [v for g in by_type(groups, "valuations") for v in g["valuations"]]
    latest = max(valuations, key=lambda v: _date_key(v["valued_on"]), default=None)
    ipo = next(iter(by_type(groups, "ipo")), None)
    return {
        "brand": brand, "name": info["name"], "parent": info["parent"], "as_of": as_of.isoformat(),
        "fiscal_year_end": info.get("fiscal_year_end"),
        "valuation": {**latest["value"], "valued_on": latest["valued_on"]} if latest else None,
        "ipo": {k: ipo[k] for k in ("stance", "venue", "by", "announced_on")} if ipo else None,
        **{subject["list"]: [state_row(g, subject) for g in _sorted(by_type(groups, subject["type"]))]
           for subject in SUBJECTS},
        "targets": kpis(groups, brand, as_of),
    }


def _sorted(groups: list[dict]) -> list[dict]:
    return sorted(groups, key=lambda g: (_date_key(g["date"]), g["subject"].casefold()))


def state_row(g: dict, subject: dict) -> dict:
    """A subject's row in `state`, in the columns its typed row declares: the subject's name under its
    type's own column, its status and date, its dates and details; optional columns only when known."""
    row = {name: _column(g, subject["type"], name) for name, required in subject["columns"] if required}
    optional = {name for name, required in subject["columns"] if not required}
    if "aliases" in optional and g.get("aliases"):
        row["aliases"] = g["aliases"]
    row.update((name, value) for name, value in g["details"].items() if name in optional and name not in row)
    row.update((name, value) for name, value in g["dates"].items() if name in optional and value and name not in row)
    if "scheduled" in optional and g.get("scheduled"):
        row["scheduled"] = g["scheduled"]
    return row


def _column(g: dict, subject_type: str, name: str):
    if name == subject_type:
        return g["subject"]
    if name in ("status", "date"):
        return g[name]
    return g["dates"][name] if name in g["dates"] else g["details"].get(name)


def diff(before: list[dict], after: list[dict]) -> list[dict]:
    """One row per subject whose answer changed between two timelines."""
    old = {(r["subject_type"], r["identity"]): r for r in before}
    new = {(r["subject_type"], r["identity"]): r for r in after}
    rows = []
    for key in sorted(old.keys() | new.keys(), key=lambda k: (k[0], str(k[1]))):
        a, b = old.get(key), new.get(key)
        before, after = _answer(a) if a else None, _answer(b) if b else None
        if a and b and key[0] in SUBJECT_TYPES and a["subject"] != b["subject"]:  # a rename is a change
            before["name"], after["name"] = a["subject"], b["subject"]
        if a and b and before == after:
            continue
        change = "added" if a is None else "removed" if b is None else "changed"
        rows.append({"brand": (b or a)["brand"], "change": change, "subject_type": key[0], "subject": (b or a)["subject"],
                     "before": before, "after": after})
    return rows


def _answer(row: dict) -> dict:
    answer = {"status": row["status"], "date": row["date"]}
    if "value" in row:
        answer["value"] = row["value"]
    if row["subject_type"] == "target":
        answer["subject"] = row["subject"]
    return answer
