"""The status of a target as of a date: achieved, on-track, …, and the growth it requires."""

from __future__ import annotations

import math
from datetime import date
from decimal import Decimal

from stratlog.domain.dates import PartialDate
from stratlog.domain.jsonvalues import number_of, unit_of

PERCENT_UNITS = {"percent", "%", "pct"}
ABOUT_SHARE = Decimal("0.05")
ABOUT_POINTS = Decimal("0.5")


def by_period_end(actuals: list[dict]) -> list[tuple[date, dict]]:
    """Actuals ordered by their period's end; of periods ending together the longest counts as the
    latest (the annual 2024 figure beats 2024-Q4 and 2024-H2). Sort once per KPI and scope, then
    evaluate each target against the result."""
    keyed = []
    for actual in actuals:
        period = PartialDate.parse(actual["period"])
        keyed.append(((period.end, (period.end - period.start).days), actual))
    keyed.sort(key=lambda pair: pair[0])
    return [(key[0], actual) for key, actual in keyed]


def evaluate(target: dict, actuals: list[tuple[date, dict]], as_of: date) -> dict:
    """Status, latest actual and required_cagr of one target, given its KPI's actuals by_period_end.

    A target without a deadline (an open target) is `pending` until withdrawn, with no required growth.
    """
    if target["deadline"] is None:
        return {"actual": None, "actual_period": None, "actual_comparator": None, "required_cagr": None,
                "status": "withdrawn" if target["withdrawn"] else "pending"}
    deadline = PartialDate.parse(target["deadline"])
    usable = [a for end, a in actuals if end <= deadline.end and a["unit"] == target["unit"]]
    latest = usable[-1] if usable else None
    result = {"actual": shown_actual(latest), "actual_period": latest["period"] if latest else None,
              "actual_comparator": ((latest or {}).get("reported") or {}).get("comparator", "exactly") if latest else None,
              "required_cagr": _required_cagr(target, latest, deadline)}
    result["status"] = _status(target, usable, deadline, as_of, result["required_cagr"])
    return result


def shown_actual(actual: dict | None):
    """An actual as it was reported: its value, or {"low", "high"} for a range (the number it is judged
    by stays in the actual's `value`)."""
    reported = (actual or {}).get("reported")
    if reported is None:
        return actual["value"] if actual else None
    return reported["value"] if reported["value"] is not None else {"low": reported["low"], "high": reported["high"]}


def _goal(target: dict) -> Decimal | None:
    if target["value"] is not None:
        return number_of(target["value"])
    return {"at-least": number_of(target["low"]), "at-most": number_of(target["high"])}.get(target["comparator"])


def _required_cagr(target: dict, actual: dict | None, deadline: PartialDate) -> float | None:
    goal = _goal(target)
    if actual is None or goal is None or target["unit"] in PERCENT_UNITS or target["unit"] == "yes/no":
        return None
    base = number_of(actual["value"])
    period = PartialDate.parse(actual["period"])
    years = deadline.year - period.year
    if base is None or base <= 0 or goal <= 0 or years <= 0 or not period.is_annual or unit_of(actual["value"], actual["unit"]) != target["unit"]:
        return None
    try:
        growth = (float(goal / base) ** (1 / years) - 1) * 100
    except (OverflowError, ZeroDivisionError):
        return None
    return round(growth, 1) if math.isfinite(growth) else None


def meets(target: dict, value, unit: str | None = None) -> bool | None:
    """Whether an actual value meets the target's comparator (None when they cannot be compared)."""
    if isinstance(value, bool) or isinstance(target["value"], bool):
        return value == target["value"] if isinstance(value, bool) and isinstance(target["value"], bool) else None
    actual = number_of(value)
    if actual is None or unit_of(value, unit or target["unit"]) != target["unit"]:
        return None
    low = number_of(target["value"] if target["value"] is not None else target["low"])
    high = number_of(target["value"] if target["value"] is not None else target["high"])
    comparator = target["comparator"]
    if comparator == "at-least":
        return actual >= low
    if comparator == "at-most":
        return actual <= high
    if comparator == "about":
        return low - _about(low, target["unit"]) <= actual <= high + _about(high, target["unit"])
    return low <= actual <= high


def _about(value: Decimal, unit: str | None) -> Decimal:
    """How far `about` reaches: 5 % of the value; for percent KPIs at least 0.5 percentage points."""
    margin = abs(value) * ABOUT_SHARE
    return max(margin, ABOUT_POINTS) if unit in PERCENT_UNITS else margin


def _status(target: dict, usable: list[dict], deadline: PartialDate, as_of: date, required: float | None) -> str:
    if target["withdrawn"]:
        return "withdrawn"
    if as_of > deadline.end:
        final = next((a for a in reversed(usable) if _same_period(a["period"], deadline)), None)
        verdict = meets(target, final["value"], final["unit"]) if final else None
        return "overdue" if verdict is None else "achieved" if verdict else "missed"
    latest = usable[-1] if usable else None
    if latest and target["horizon"] == "by" and meets(target, latest["value"], latest["unit"]):
        return "achieved"
    if latest is None or required is None or target["unit"] == "yes/no" or target["horizon"] == "in":
        return "pending"
    return _trend(target, [a for a in usable if PartialDate.parse(a["period"]).is_annual], required)


def _same_period(text: str, deadline: PartialDate) -> bool:
    period = PartialDate.parse(text)
    return (period.start, period.end) == (deadline.start, deadline.end)


def _trend(target: dict, annual: list[dict], required: float) -> str:
    declining = target["comparator"] == "at-most" or (target["comparator"] in ("about", "exactly") and required < 0)
    need = -required if declining else required
    if len(annual) >= 2:
        observed = _growth(*annual[-2:])
        if observed is None:
            return "pending"
        seen = -observed if declining else observed
        return "on-track" if seen >= need else "at-risk" if seen >= need / 2 else "off-track"
    return "on-track" if need <= 10 else "at-risk" if need <= 25 else "off-track"


def _growth(prev: dict, last: dict) -> float | None:
    """Percent per year from one annual actual to a later one; None when either is not a positive number."""
    years = PartialDate.parse(last["period"]).year - PartialDate.parse(prev["period"]).year
    a, b = number_of(prev["value"]), number_of(last["value"])
    if a is None or b is None or a <= 0 or b <= 0 or years <= 0:
        return None
    try:
        return (float(b / a) ** (1 / years) - 1) * 100
    except OverflowError:
        return None


def judged_annuals(target: dict, actuals: list[tuple[date, dict]]) -> list[dict]:
    """The annual actuals a target's trend is judged by: period ending by its deadline (any, for an open
    target), in its unit, oldest first. `actuals` as given by `by_period_end`."""
    deadline = PartialDate.parse(target["deadline"]).end if target["deadline"] else date.max
    return [a for end, a in actuals if end <= deadline and a["unit"] == target["unit"]
            and PartialDate.parse(a["period"]).is_annual]


def observed_growth(target: dict, actuals: list[tuple[date, dict]]) -> float | None:
    """The growth observed between the last two of the target's `judged_annuals`, in percent per year to
    one decimal; None with fewer than two, or when either is not a positive number."""
    annual = judged_annuals(target, actuals)
    growth = _growth(*annual[-2:]) if len(annual) >= 2 else None
    return round(growth, 1) if growth is not None and math.isfinite(growth) else None
