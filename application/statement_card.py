"""One statement whole, as `stratlog show` answers it: every field, its three clocks, its source and its fixes."""

from __future__ import annotations

from typing import Any

CLOCKS = ("statement_id", "recorded_at", "kind")
FIX_KINDS = ("statement-corrected", "statement-retracted")


def statement_card(found: list[tuple[int, str, dict]]) -> dict:
    """The `show` object from (position, subject type, record) of a statement, then of its fixes.

    Keys: the record's own (statement_id, kind, brand and the other keys, the payload fields,
    announced_on, source, note, recorded_at) and `position`, `subject_type`, `subject`,
    `effective` ({field, on, event} of its effective date, or null: it takes effect when announced),
    `corrections` (each {statement_id, recorded_at, position, fields, note}), `retraction`
    ({statement_id, recorded_at, position, reason} or null) and `as_corrected` (its payload, announced_on
    and source after every correction, or null when it was never corrected).
    """
    from stratlog.domain.catalogue import BY_KIND
    (position, subject_type, record), fixes = found[0], found[1:]
    cls = BY_KIND.get(record["kind"])
    keys = getattr(cls, "KEY_FIELDS", ("brand",))
    first = {"statement_id": record["statement_id"], "kind": record["kind"], "brand": record.get("brand"),
             "subject_type": "target" if "kpi" in record and "deadline" in cls.model_fields else subject_type,
             "subject": _subject(record, keys), "position": position, "announced_on": record.get("announced_on"),
             "effective": _effective(cls, record), "recorded_at": record["recorded_at"]}
    card = {**first, **{k: v for k, v in record.items() if k not in first}}
    corrections = [_fix(p, r, "fields", "note") for p, _, r in fixes if r["kind"] == "statement-corrected"]
    retractions = [_fix(p, r, "reason") for p, _, r in fixes if r["kind"] == "statement-retracted"]
    card["corrections"] = corrections
    card["retraction"] = retractions[0] if retractions else None
    card["as_corrected"] = _as_corrected(record, corrections) if corrections else None
    return card


def _subject(record: dict, keys: tuple[str, ...]) -> str:
    """The subject as the timeline names it (A290, AutoNation/US, annual-sales 2030); a fix: `fixes 842b50d8`."""
    fixed = record.get("corrects") or record.get("retracts")
    if fixed:
        return f"fixes {fixed[:8]}"
    if "kpi" in record and record["kind"].startswith("target-"):
        from stratlog.domain.views import target_subject
        return target_subject({"kpi": record["kpi"], "scope": record.get("scope"), "deadline": record.get("deadline")})
    return "/".join(str(record[k]) for k in keys[1:] if record.get(k)) or record.get("brand") or ""


def _effective(cls: Any, record: dict) -> dict | None:
    """The effective date: when the thing it states happens in the world (None: when it is announced)."""
    effective = getattr(cls, "EFFECTIVE", None)
    if not effective or record.get(effective[0]) is None:
        return None
    return {"field": effective[0], "on": record[effective[0]], "event": effective[1]}


def _fix(position: int, record: dict, *names: str) -> dict:
    return {"statement_id": record["statement_id"], "recorded_at": record["recorded_at"], "position": position,
            **{name: record.get(name) for name in names}}


def _as_corrected(record: dict, corrections: list[dict]) -> dict:
    """The statement's fields once every correction is applied, in recording order."""
    current = {k: v for k, v in record.items() if k not in CLOCKS}
    for correction in corrections:
        current.update(correction["fields"] or {})
    return {k: v for k, v in current.items() if v is not None}


MIN_PREFIX = 8
CANDIDATES = 20


def one_statement(text: str, refs: list, place: str = "STATEMENT_ID") -> str:
    """The full id of the one statement a prefix names, from the index's matches (`refs`, StatementRefs).

    InvalidInput (exit 2) when the prefix is shorter than 8 characters or matches several (the
    candidates listed, with kind and brand); StatementNotFound (exit 1) when it matches none.
    """
    from stratlog.domain.errors import AmbiguousStatementId, StatementNotFound
    from stratlog.domain.quoting import quoted
    prefix = text.strip().lower()
    if len(prefix) < MIN_PREFIX:
        raise AmbiguousStatementId(f"{place}: {quoted(text)} is too short; give at least {MIN_PREFIX} characters")
    if not refs:
        raise StatementNotFound(f"{place}: no statement has an id starting with {quoted(text)}")
    if len(refs) > 1:
        more = "at least " if len(refs) >= CANDIDATES else ""
        listed = "; ".join(f"{r.statement_id} ({r.kind}, {r.brand})" for r in refs[:CANDIDATES])
        raise AmbiguousStatementId(f"{place}: {quoted(text)} matches {more}{len(refs)} statements: {listed}; "
                                   f"give more of the id")
    return refs[0].statement_id


def like_fields(card: dict, place: str = "--like") -> dict[str, tuple[Any, str]]:
    """{field path: (value, origin)} of a card's announced_on and source fields except the quote, as corrected."""
    from stratlog.domain.errors import InvalidInput
    current = card["as_corrected"] or card
    origin = f"{place} {card['statement_id'][:8]}"
    found = {"announced_on": (current["announced_on"], origin)} if current.get("announced_on") else {}
    found.update({f"source.{name}": (value, origin) for name, value in (current.get("source") or {}).items()
                  if name != "quote" and value is not None})
    if not found:
        raise InvalidInput(f"{place}: {card['statement_id']} is a {card['kind']}, which has no announced_on or "
                           f"source to reuse; name a statement")
    return found
