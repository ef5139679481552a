"""The report's scorecard: a brand's track record as of the report date, what changed since the previous
quarter (targets cut or raised, plans slipped, new statements) and its stale plans."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, Iterable

from stratlog.application.queries import TRACK_RECORD
from stratlog.domain.dates import PartialDate
from stratlog.domain.track_record import brand_track_record, revision_direction

NEW_STATEMENTS_SHOWN = 12  # the newest statements listed by name; the rest are counted


@dataclass(frozen=True)
class PlanSlip:
    """A model, market or plant whose plan slipped since the previous quarter: rescheduled later
    (`before` → `after`, the latest planned dates) or now overdue (`after` is its passed planned date)."""

    subject_type: str
    subject: str
    before: str | None
    after: str | None
    why: str  # "rescheduled later" or "now overdue"


@dataclass(frozen=True)
class Scorecard:
    """One brand's scorecard: `record` as of the report date, `previous` as of `since` (the end of the
    previous quarter), the revisions (audit rows with `direction` cut/raise), slips and statements
    announced after `since`, and the stale-plan warnings of `checks`."""

    record: dict
    previous: dict
    since: date
    revisions: tuple[dict, ...]
    slips: tuple[PlanSlip, ...]
    new_statements: tuple[dict, ...]
    new_statement_count: int
    stale: tuple[dict, ...]


def previous_quarter_end(as_of: date) -> date:
    """The last day of the quarter before the one `as_of` falls in (2025-06-30 → 2025-03-31)."""
    return date(as_of.year, (as_of.month - 1) // 3 * 3 + 1, 1) - timedelta(days=1)


def build_scorecard(queries: Any, brand: str, as_of: date, known_at: datetime,
                    records: Iterable[dict]) -> Scorecard:
    """The scorecard of a registered brand; `records` are its statements and fixes as `events` lists them."""
    since = previous_quarter_end(as_of)
    now = queries.source.views(brand, as_of, known_at, TRACK_RECORD)
    then = queries.source.views(brand, since, known_at, TRACK_RECORD)
    earlier = {r["statement_id"] for r in queries.audit(brand, None, None, since, known_at)}
    revisions = tuple({**r, "direction": revision_direction(r)}
                      for r in queries.audit(brand, None, None, as_of, known_at)
                      if r["statement_id"] not in earlier and revision_direction(r))
    stale = tuple(r for r in queries.checks(brand, as_of, known_at) if r["check"] == "stale-plan")
    said = _announced_between(records, since, as_of, known_at)
    return Scorecard(brand_track_record(now, brand, as_of), brand_track_record(then, brand, since), since,
                     revisions, plan_slips(then, now, since, as_of), tuple(said[-NEW_STATEMENTS_SHOWN:]),
                     len(said), stale)


def plan_slips(before: list[dict], after: list[dict], since: date, as_of: date) -> tuple[PlanSlip, ...]:
    """Subjects whose latest planned date moved later between the two dates, or which became overdue."""
    old = {_key(g): g for g in before if "planned_history" in g}
    slips = []
    for g in after:
        if "planned_history" not in g or g["status"] not in ("planned", "rescheduled", "postponed", "revealed"):
            continue
        was = old.get(_key(g), {}).get("dates", {}).get("planned_for")
        now = g["dates"].get("planned_for")
        if was and (now is None or _end(now) > _end(was)):
            slips.append(PlanSlip(g["type"], g["subject"], was, now, "rescheduled later"))
        elif now and _end(now) < as_of and not _end(now) < since:
            slips.append(PlanSlip(g["type"], g["subject"], was, now, "now overdue"))
    return tuple(slips)


def _key(group: dict) -> tuple[str, str]:
    return group["type"], (group.get("aliases") or [group["subject"]])[0].casefold()


def _end(text: str) -> date:
    return PartialDate.parse(text).end


def _announced_between(records: Iterable[dict], since: date, as_of: date, known_at: datetime) -> list[dict]:
    """The brand's statements known at `known_at` whose announced period ended after `since` and by `as_of`,
    as (kind, subject, announced_on), oldest first; retracted ones left out, corrected ones as corrected."""
    from stratlog.application.report_data import known_bodies
    from stratlog.domain.dates import instant_text
    found = []
    for body in known_bodies(records, instant_text(known_at)):
        announced = body.get("announced_on")
        if announced and since < _end(announced) <= as_of:
            found.append({"kind": body["kind"], "subject": _subject(body), "announced_on": announced})
    return sorted(found, key=lambda s: PartialDate.parse(s["announced_on"]).start)


def _subject(body: dict) -> str:
    keys = [body.get(k) for k in ("model", "market", "dealer", "plant", "kpi", "scope") if body.get(k)]
    deadline = body.get("deadline") or body.get("period")
    return " ".join(str(k) for k in keys + ([deadline] if deadline and body.get("kpi") else [])) or body["brand"]
