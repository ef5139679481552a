"""The Python API for notebooks: `stratlog.open(target)` and the rows of `--format json`, or flat rows."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

When = date | datetime | str | None


class Ledger:
    """A stratlog database seen from Python; every call opens it, answers (or records) and closes it.

    Rows are exactly those of the CLI's `--format json` (DESIGN §6: money as {"amount": "500000000",
    "currency": "EUR"}, dates as partial-date text); `flat=True` returns flat rows for DataFrames
    (`value_amount`, `value_currency`, `date`, `date_start`, `date_end`…, numbers as numbers).
    Dates are partial-date text ("2023-06") or `datetime.date`/`datetime` (a naive datetime is UTC);
    `as_of=None` is today, `known_at=None` now. Errors are stratlog's named errors
    (`stratlog.domain.errors`): InvalidInput for bad input (nothing written), UnknownBrand,
    RuleViolation and StratlogError for refusals.
    """

    def __init__(self, target: str | None = None, read_model: str | None = None):
        self.target, self.read_model, self.closed = target, read_model, False

    def _open(self, writing: bool = False) -> Any:
        from stratlog.domain.errors import StratlogError
        from stratlog.infrastructure.composition import open_stratlog
        if self.closed:
            raise StratlogError(f"the ledger {self.target!r} is closed; open it again with stratlog.open()")
        return open_stratlog(self.target, self.read_model, writing=writing)

    def _ask(self, question: str, *args: Any, flat: bool = False, **kwargs: Any) -> Any:
        with self._open() as app:
            return getattr(app, question)(*args, flat=flat, **kwargs)

    # -- questions: lists of rows (dicts) ---------------------------------------------------------
    def timeline(self, brand: str | None = None, as_of: When = None, known_at: When = None, *,
                 flat: bool = False) -> list[dict]:
        """One row per model, market, dealer agreement, plant, target, valuation and IPO stance, with its status
        (keys: brand, subject_type, subject, date, status, announced_on, statement_id, source)."""
        return self._ask("timeline", brand, as_of, known_at, flat=flat)

    def kpis(self, brand: str | None = None, as_of: When = None, known_at: When = None, *, live: bool = False,
             flat: bool = False) -> list[dict]:
        """Every target under its current deadline (keys: brand, kpi, scope, deadline, horizon, value or
        low/high, unit, comparator, actual, actual_period, required_cagr in % a year, status)."""
        return self._ask("kpis", brand, as_of, known_at, live, flat=flat)

    def audit(self, brand: str, kpi: str | None = None, deadline: str | date | None = None, as_of: When = None,
              known_at: When = None, *, flat: bool = False) -> list[dict]:
        """Every statement about a brand's targets in fold order (change, old/new value and deadline, clocks)."""
        return self._ask("audit", brand, kpi, deadline, as_of, known_at, flat=flat)

    def state(self, brand: str, as_of: When = None, known_at: When = None, *, flat: bool = False) -> dict:
        """A brand's picture as one object (valuation, ipo, models, markets, dealer_agreements, targets)."""
        return self._ask("state", brand, as_of, known_at, flat=flat)

    def diff(self, before: When, after: When, brand: str | None = None, known_at: When = None, *,
             flat: bool = False) -> list[dict]:
        """What changed between two as-of dates (change, subject_type, subject, before, after)."""
        return self._ask("diff", before, after, brand, known_at, flat=flat)

    def checks(self, brand: str | None = None, as_of: When = None, known_at: When = None, *,
               flat: bool = False) -> list[dict]:
        """Consistency warnings (check, subject, status, message)."""
        return self._ask("checks", brand, as_of, known_at, flat=flat)

    def track_record(self, brands: str | list[str] | None = None, as_of: When = None, known_at: When = None, *,
                     flat: bool = False) -> list[dict]:
        """How far each brand's word has held as of a date: one row per brand (every brand by default, or
        the brand or brands named), sorted by brand, as `track-record --format json` (keys: brand, as_of,
        targets_judged, achieved, missed, withdrawn, overdue, kept_rate in %, cuts, raises,
        plans_delivered, on_time, late, cancelled, plans_overdue, mean_slip_months; rates null when
        nothing counts). UnknownBrand when a named brand was never registered."""
        return self._ask("track_record", brands, as_of, known_at, flat=flat)

    def events(self, brand: str | None = None, kind: str | None = None, since: When = None, *,
               flat: bool = False) -> list[dict]:
        """The raw log: statement_id, kind, keys and payload fields, announced_on, recorded_at, source."""
        moment = _since(since)
        return self._ask("events", brand, kind, moment, flat=flat)

    # -- recording ---------------------------------------------------------------------------------
    def record(self, *statements: dict, **fields: Any) -> list[str]:
        """Record statements in one transaction (all or nothing); returns their statement ids.

        Give statements as dicts in the import-file shape (`{"kind": "target-set", "brand": "alpine",
        "kpi": "annual-sales", "value": 100000, …}`), or one statement as keyword arguments
        (`record(kind="brand-registered", brand="alpine", name="Alpine")`). InvalidInput names the
        statement, field and value; RuleViolation names the broken rule.
        """
        given = list(statements) + ([fields] if fields else [])
        with self._open(writing=True) as app:
            result = app.record(given)
        return result.new + result.existing

    def import_file(self, path: str) -> list[str]:
        """Import a YAML, JSON or JSON Lines file, all or nothing; returns the ids of its new statements."""
        with self._open(writing=True) as app:
            return app.import_file(str(path)).new

    def correct(self, statement_id: str, note: str | None = None, source: dict | None = None,
                **fields: Any) -> str:
        """Correct a statement we recorded wrongly (`value=120000`, `announced_on="2023-06"`…); the fix's id."""
        with self._open(writing=True) as app:
            result = app.correct(statement_id, fields, note, source)
        return (result.new + result.existing)[0]

    def retract(self, statement_id: str, reason: str) -> str:
        """Retract a statement we should not have recorded; the fix's id."""
        with self._open(writing=True) as app:
            result = app.retract(statement_id, reason)
        return (result.new + result.existing)[0]

    def close(self) -> None:
        """Nothing stays open between calls; a closed ledger refuses further calls."""
        self.closed = True

    def __enter__(self) -> Ledger:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_ledger(target: str | None = None, read_model: str | None = None) -> Ledger:
    """A SQLite file path or a postgresql:// URL (default $STRATLOG_DB or ./stratlog.db)."""
    return Ledger(target, read_model)


def _since(since: When) -> datetime | None:
    """`since` as an instant: a date or partial date means its first moment (UTC), as `events --since` reads it."""
    from datetime import time, timezone

    from stratlog.application.query_dates import known_at_value
    from stratlog.domain.dates import PartialDate
    if since is None or isinstance(since, datetime):
        return None if since is None else known_at_value(since, "since")
    try:
        text = since.isoformat() if isinstance(since, date) else since
        return datetime.combine(PartialDate.parse(text).start, time.min, timezone.utc)
    except ValueError:
        return known_at_value(since, "since")
