"""The Stratlog application object: every use case, each a few lines over the Ledger, the Queries and the ports.

Commands record through the eventsourcing Ledger (opened by the store on first use, so a query on a
current read model imports neither pydantic nor eventsourcing) and catch the read model up
themselves; a failure after the commit is a warning, never an error.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any, Callable, Iterable, Sequence

from stratlog.application.flat_rows import answer
from stratlog.application.ports import QUIET, Progress
from stratlog.application.query_dates import as_of_value, known_at_value, parse_deadline
from stratlog.application.use_case_ports import ImportFiles, Outputs, Store

if TYPE_CHECKING:
    from stratlog.application.ledger import Recorded

When = date | datetime | str | None
Announce = Callable[["Recorded"], None]


# The keys every events row has, in this order (DESIGN §6); a brand-registered statement has no clock nor source.
STABLE_EVENT_KEYS = dict.fromkeys(("statement_id", "recorded_at", "brand", "announced_on", "source"))
FLAT_EVENT_KEYS = dict.fromkeys(("statement_id", "recorded_at", "brand", "announced_on"))  # source_… with a source


class Stratlog:
    """One database's use cases: record, import, fix, query, look after the read model, write outputs."""

    def __init__(self, store: Store, files: ImportFiles, outputs: Outputs):
        self.store, self.files, self.outputs = store, files, outputs

    # -- recording -------------------------------------------------------------------------
    def record(self, statements: Sequence[Any], *, announce: Announce | None = None,
               progress: Progress = QUIET) -> Recorded:
        """Record statements and fixes in one transaction, then catch the read model up.

        Each statement is a validated model or a mapping in the import-file shape. `announce` is told
        what was recorded as soon as it is committed, before the read model catches up.
        """
        if any(isinstance(s, dict) for s in statements):
            statements = self.files.statements(list(statements)).records
        result = self.store.record(list(statements), None, progress)
        if announce is not None:
            announce(result)
        self.store.settle(result.events, progress)
        return result

    def import_files(self, paths: Iterable[str], progress_for: Callable[[], Progress] = lambda: QUIET) -> Recorded:
        """Import YAML, JSON or export's JSON Lines, all or nothing; a refusal names each statement's place."""
        from stratlog.application.bulk import bulk_collection
        with bulk_collection():
            return self._import(paths, progress_for)

    def _import(self, paths: Iterable[str], progress_for: Callable[[], Progress]) -> Recorded:
        from stratlog.domain.errors import StratlogError
        loaded = [self.files.read(path, progress_for()) for path in paths]
        records = [r for f in loaded for r in f.records]
        restored = None
        if any(f.restored for f in loaded):
            restored = [r for f in loaded for r in (f.restored or [None] * len(f.records))]
        progress = progress_for()
        try:
            result = self.store.record(records, restored, progress)
        except StratlogError as error:
            refusal = self.files.placed(error, loaded)
            if refusal is error:
                raise
            raise refusal from None
        self.store.settle(result.events, progress)
        return result

    def import_file(self, path: str) -> Recorded:
        """Import one file (see import_files)."""
        return self.import_files([path])

    def load_demo(self, example: str, fresh: bool, progress_for: Callable[[], Progress] = lambda: QUIET) -> Recorded:
        """Load the bundled scenario; `fresh` first deletes the (stratlog) database it goes into."""
        if fresh:
            self.store.remove()
        return self.import_files([example], progress_for)

    def statement_kind(self, statement_id: str) -> str | None:
        """The kind of the one statement an id (or prefix) names; None when it names none or several."""
        refs = self.store.find_statements(statement_id.strip().lower())
        return refs[0].kind if len(refs) == 1 else None

    def correct(self, statement_id: str, fields: dict, note: str | None = None, source: dict | None = None, *,
                announce: Announce | None = None) -> Recorded:
        """Correct a statement we recorded wrongly: `fields` replace its payload fields, `source` updates
        fields of its recorded source. InvalidInput when nothing is given."""
        from pydantic import ValidationError

        from stratlog.domain.errors import InvalidInput
        from stratlog.domain.fixes import StatementCorrected
        fields = dict(fields)
        if source:
            refs = self.store.find_statements(statement_id.strip().lower())
            old = self.store.record_of(refs[0].statement_id) if len(refs) == 1 else None
            fields["source"] = {**((old or {}).get("source") or {}), **source}
        if not fields:
            raise InvalidInput("nothing to correct: give a corrected field (e.g. --value), --announced-on or a source option")
        try:
            fix = StatementCorrected(corrects=statement_id, fields=fields, note=note)
        except ValidationError as error:  # a value no file or option could give (nan, bytes, an object…)
            why = "; ".join(problem["msg"].removeprefix("Value error, ") for problem in error.errors(include_url=False))
            raise InvalidInput(f"nothing was corrected: {why}") from None
        return self.record([fix], announce=announce)

    def retract(self, statement_id: str, reason: str, *, announce: Announce | None = None) -> Recorded:
        """Retract a statement we should not have recorded."""
        from stratlog.domain.fixes import StatementRetracted
        return self.record([StatementRetracted(retracts=statement_id, reason=reason)], announce=announce)

    # -- questions ---------------------------------------------------------------------------
    # Answers show dates as written (a fiscal year stored as FY2026/03 reads FY2026); `flat=True` gives
    # flat rows (application/flat_rows.py) whose date_start/date_end keep the stored span.
    def timeline(self, brand: str | None = None, as_of: When = None, known_at: When = None, *,
                 flat: bool = False) -> list[dict]:
        """One row per subject with its status as of a date (the rows of `timeline --format json`)."""
        return answer(self.store.queries().timeline(brand, as_of_value(as_of), known_at_value(known_at)), flat)

    def kpis(self, brand: str | None = None, as_of: When = None, known_at: When = None, live: bool = False, *,
             flat: bool = False) -> list[dict]:
        """Every target under its current deadline with its latest actual, required growth and status."""
        return answer(self.store.queries().kpis(brand, as_of_value(as_of), known_at_value(known_at), live), flat)

    def audit(self, brand: str, kpi: str | None = None, deadline: str | date | None = None, as_of: When = None,
              known_at: When = None, *, flat: bool = False) -> list[dict]:
        """Every statement about a brand's targets in fold order (`deadline` FY2026 matches any fiscal year 2026)."""
        deadline = deadline.isoformat() if isinstance(deadline, date) else parse_deadline(deadline, "deadline")
        return answer(self.store.queries().audit(brand, kpi, deadline, as_of_value(as_of), known_at_value(known_at)),
                      flat)

    def state(self, brand: str, as_of: When = None, known_at: When = None, *, flat: bool = False) -> dict:
        """A brand's whole picture as of a date (one object)."""
        return answer(self.store.queries().state(brand, as_of_value(as_of), known_at_value(known_at)), flat)

    def diff(self, before: When, after: When, brand: str | None = None, known_at: When = None, *,
             flat: bool = False) -> list[dict]:
        """What changed between two as-of dates."""
        return answer(self.store.queries().diff(brand, as_of_value(before, "before"), as_of_value(after, "after"),
                                                known_at_value(known_at)), flat)

    def checks(self, brand: str | None = None, as_of: When = None, known_at: When = None, *,
               flat: bool = False) -> list[dict]:
        """Consistency warnings."""
        return answer(self.store.queries().checks(brand, as_of_value(as_of), known_at_value(known_at)), flat)

    def track_record(self, brands: str | Iterable[str] | None = None, as_of: When = None,
                     known_at: When = None, *, flat: bool = False) -> list[dict]:
        """How far each brand's word has held as of a date: one row per brand (all brands by default),
        sorted by brand, with DESIGN's figures (targets_judged … mean_slip_months); UnknownBrand when a
        named brand was never registered."""
        named = [brands] if isinstance(brands, str) else list(brands or [])
        return answer(self.store.queries().track_record(named, as_of_value(as_of), known_at_value(known_at)), flat)

    def events(self, brand: str | None = None, kind: str | None = None, since: datetime | None = None, *,
               flat: bool = False) -> list[dict]:
        """The raw log: every statement and fix with its three clocks and its position, in recording order;
        each row also has `subject` (as the timeline names it) and `details` (its value, period or dates).
        Every row has the stable keys (DESIGN §6), `announced_on` and `source` null where a kind has none
        (a flat row has no empty `source` column beside the `source_title`… of the others).

        A brand is checked as the other queries check it (UnknownBrand naming it and the known brands) when
        it matches no statement (a registered brand always matches its registration, unless --kind or
        --since leave it out); no brand or an empty one means every brand, as in the other queries."""
        from stratlog.application.event_details import event_details, event_subject
        from stratlog.domain.catalogue import BY_KIND, KINDS
        from stratlog.domain.errors import InvalidInput
        if kind is not None and kind not in KINDS:
            raise InvalidInput(f"kind: {unknown_kind(kind, KINDS)}")
        rows, stable = [], FLAT_EVENT_KEYS if flat else STABLE_EVENT_KEYS
        for position, record in self.store.records(brand or None, kind, since):
            keys = [record[k] for k in getattr(BY_KIND.get(record["kind"]), "KEY_FIELDS", ()) if record.get(k)]
            rows.append({"position": position, **stable, **record, "subject": event_subject(record, keys),
                         "details": event_details(record)})
        if brand and not rows:
            self.store.queries().check_brand(brand)
        return answer(rows, flat)

    def show(self, statement_id: str, place: str = "STATEMENT_ID") -> dict:
        """One statement whole by its id or a unique prefix of 8 or more characters (see statement_card);
        InvalidInput lists the candidates of an ambiguous prefix, StatementNotFound says none matched
        (`place` names where the id was given in those messages)."""
        from stratlog.application.statement_card import CANDIDATES, one_statement, statement_card
        refs = self.store.find_statements(statement_id.strip().lower(), CANDIDATES)
        return statement_card(self.store.statement_and_fixes(one_statement(statement_id, refs, place)))

    def like(self, statement_id: str, place: str = "--like") -> dict[str, tuple[Any, str]]:
        """What `record --like ID` reuses of an earlier statement, as corrected: its announced_on and its
        source without the quote (each statement quotes its own words), as {field path: (value, origin)}.
        InvalidInput when the statement has neither (a fix)."""
        from stratlog.application.statement_card import like_fields
        return like_fields(self.show(statement_id, place), place)

    def report_html(self, brand: str | Sequence[str] | None = None, as_of: When = None, known_at: When = None) -> str:
        """The self-contained HTML report (scorecard, timeline chart, target charts, KPIs, sources) of one
        brand, several, or every brand (None)."""
        return self.outputs.report_html(self._report_data(brand, as_of, known_at))

    def _report_data(self, brand: str | Sequence[str] | None, as_of: When, known_at: When) -> Any:
        from stratlog.application.report_data import build_report
        return build_report(self.store.queries(), brand, as_of_value(as_of), known_at_value(known_at),
                            lambda b: (record for _, record in self.store.records(b)))

    # -- the read model --------------------------------------------------------------------------
    def status(self) -> tuple[int, int, int]:
        """(events in the log, read-model position, item rows)."""
        return self.store.status()

    def info(self) -> dict:
        """Which database and read model this is and how far the read model is behind, changing nothing:
        the store's facts plus `behind` (events not folded yet), `current_projection_version` (this code's
        fold) and `refold_needed` (the next query refolds a read model built by an older fold)."""
        from stratlog.application.fold_version import PROJECTION_VERSION
        facts = self.store.facts()
        built_by = facts["projection_version"]
        return {**facts, "behind": max(facts["events"] - facts["position"], 0),
                "current_projection_version": PROJECTION_VERSION,
                "refold_needed": built_by is not None and built_by != PROJECTION_VERSION}

    def rebuild(self, progress: Progress = QUIET) -> int:
        """Recreate the read model from the events; returns how many were folded."""
        return self.store.rebuild(progress)

    def verify(self, max_dates: int = 40) -> Any:
        """Compare the read model with the reference fold (a Verification: lines, problems, log_problems)."""
        return self.store.verify(max_dates)

    # -- outputs ------------------------------------------------------------------------------
    def output(self, path: str, option: str, sqlite: bool = False, ledger_copy: bool = False) -> Any:
        """An output checked against the database's own files (refused with InvalidInput, nothing touched);
        `ledger_copy`: a backup, which may replace an earlier copy of this same ledger."""
        return self.outputs.target(path, option, sqlite, ledger_copy)

    def export(self, out: str = "-", option: str = "--out") -> int:
        """Write every statement and fix as JSON Lines with ids and recorded_at, then the trailer; a count."""
        output = self.output(out, option)
        return self.outputs.export(output, (record for _, record in self.store.records()))

    def replay(self, to: When, out: str, known_at: When = None, progress: Progress = QUIET,
               option: str = "--out") -> dict[str, int]:
        """Write the answers as of a date to a new SQLite file; rows per table."""
        as_of, moment = as_of_value(to, "--to"), known_at_value(known_at)
        output = self.output(out, option, sqlite=True)
        return self.outputs.replay(self.store.queries(), output, as_of, moment, progress)

    def report(self, out: str | None, brand: str | Sequence[str] | None = None, as_of: When = None, known_at: When = None,
               option: str = "--out", charts: str | None = None, charts_option: str = "--charts") -> list[str]:
        """Write the HTML report to `out` ('-': standard output; None: no page) and, given `charts`, each of
        its charts as a standalone SVG file in that folder (created if missing). The page and every chart
        file are checked before anything is written (InvalidInput). Returns the files written, the page first."""
        output = self.output(out, option) if out is not None else None
        folder = self.outputs.chart_folder(charts, charts_option) if charts is not None else None
        data = self._report_data(brand, as_of, known_at)
        page = self.outputs.report_html(data) if output is not None else None
        planned = self.outputs.plan_charts(folder, charts_option, data, out) if folder is not None else None
        written = []
        if output is not None:
            with self.outputs.text(output) as handle:
                handle.write(page)
            written += [out] if output.path is not None else []
        if folder is not None:
            written += self.outputs.report_charts(folder, charts_option, planned)
        return written

    def backup(self, file: str, option: str = "FILE") -> None:
        """Write a consistent copy of the database file, replacing `file` only once complete."""
        self.store.backup(self.output(file, option, sqlite=True, ledger_copy=True))

    def write_text(self, out: str, text: str, option: str = "--out") -> None:
        """Write a text (e.g. the import schema) to a checked output."""
        with self.outputs.text(self.output(out, option)) as handle:
            handle.write(text)

    def write_bytes(self, out: str, data: bytes, option: str = "--out") -> None:
        """Write bytes (e.g. an .xlsx workbook) to a checked output, replaced whole once complete."""
        with self.outputs.text(self.output(out, option)) as handle:
            handle.flush()
            handle.buffer.write(data)

    def serve(self, host: str, port: int, ready: Callable[[str, Any], None]) -> None:
        """Serve a caught-up read-only snapshot in Datasette until stopped."""
        self.store.serve(host, port, ready)

    @property
    def label(self) -> str:
        """The database as it may be printed (a URL without its password)."""
        return self.store.label

    def close(self) -> None:
        """Close the database (naming stored events that were left out)."""
        self.store.close()

    def __enter__(self) -> Stratlog:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def unknown_kind(kind: str, kinds: Sequence[str]) -> str:
    """Why `kind` names no statement kind, with the closest one when there is one."""
    from difflib import get_close_matches
    from stratlog.domain.quoting import quoted
    close = get_close_matches(kind.strip().lower(), list(kinds), n=1)
    hint = f"did you mean {close[0]}?" if close else "`stratlog record --help` lists them"
    return f"{quoted(kind)} is not a statement kind ({hint})"
