"""What the Stratlog application object needs from the outer layers: the store, the import files, the outputs."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Callable, ContextManager, Iterable, Iterator, Protocol, Sequence, TextIO

from stratlog.application.ports import Progress, StatementRef


class Store(Protocol):
    """The event store and the read model of one command, opened on first use (infrastructure implements it)."""

    label: str  # the database as it may be printed (a URL without its password)

    def queries(self) -> Any:
        """The Queries on a caught-up read model (the quick path when it is current)."""

    def record(self, records: Sequence[Any], restored: Sequence[Any] | None, progress: Progress) -> Any:
        """Record in one transaction through the eventsourcing Ledger; returns its Recorded."""

    def settle(self, recorded: list, progress: Progress) -> bool:
        """Catch the read model up after a commit; a failure is a warning, never an error."""

    def records(self, brand: str | None = None, kind: str | None = None,
                since: datetime | None = None) -> Iterator[tuple[int, dict]]:
        """(position, record) of the recorded statements and fixes matching the filters, in log order."""

    def record_of(self, statement_id: str) -> dict | None:
        """One statement's record by its full id."""

    def find_statements(self, prefix: str, limit: int = 20) -> list[StatementRef]:
        """Statements whose id starts with `prefix` (at most `limit`), on a caught-up read model."""

    def statement_and_fixes(self, statement_id: str) -> list[tuple[int, str, dict]]:
        """(position, subject type, record) of a statement by its full id, then of its fixes in log order."""

    def status(self) -> tuple[int, int, int]:
        """(events in the log, read-model position, item rows)."""

    def facts(self) -> dict:
        """What `info` tells, without catching anything up: database (printable), mode (sqlite or team),
        read_model (its file in team mode, else None), events (the log's last position), position (the
        read model's), projection_version (the fold that built it; None before any), statements, brands."""

    def rebuild(self, progress: Progress) -> int:
        """Refold the read model from every event; returns how many."""

    def verify(self, max_dates: int) -> Any:
        """The verification report of the read model against the reference fold."""

    def backup(self, output: Any) -> None:
        """Write a consistent copy of the database to the checked output."""

    def remove(self) -> None:
        """Delete the database (refused unless it is a stratlog database)."""

    def serve(self, host: str, port: int, ready: Callable[[str, Any], None]) -> None:
        """Serve a read-only snapshot in Datasette until stopped."""

    def close(self, name_damage: bool = True) -> None:
        """Close what was opened (naming the stored events left out, unless `name_damage` is false)."""


class ImportFiles(Protocol):
    """Reads import files (YAML, JSON, export's JSON Lines) into validated records."""

    def read(self, path: str, progress: Progress) -> Any:
        """The file's records (and restored identities); InvalidInput names each bad statement's place."""

    def statements(self, statements: list[dict]) -> Any:
        """Statements given as mappings in the import-file shape, validated like a file's (InvalidInput)."""

    def placed(self, error: Exception, files: Sequence[Any]) -> Exception:
        """The refusal naming where in the files each refused statement is."""


class Outputs(Protocol):
    """Files a command writes: checked against the database's own files, replaced whole once complete."""

    def target(self, path: str, option: str, sqlite: bool = False, ledger_copy: bool = False) -> Any:
        """The checked output (InvalidInput when it is the database, its journal, the read model or a link)."""

    def text(self, output: Any) -> ContextManager[TextIO]:
        """A text handle on the output, renamed into place when the block ends without error."""

    def export(self, output: Any, records: Iterable[dict]) -> int:
        """Write the JSON Lines of an export, its trailer last; returns how many statements."""

    def replay(self, queries: Any, output: Any, as_of: date, known_at: datetime, progress: Progress) -> dict[str, int]:
        """Write the answers as of a date to a new SQLite file; rows per table."""

    def report_html(self, data: Any) -> str:
        """The self-contained HTML page of report data."""

    def chart_folder(self, target: str, option: str) -> Any:
        """The folder for the report's chart files, checked (InvalidInput: also the database's own files) but
        not yet created."""

    def plan_charts(self, folder: Any, option: str, data: Any, page: str | None) -> Any:
        """Every chart file of report data in the folder with its SVG, each checked (InvalidInput, also when
        it is the page `page`) before anything is written."""

    def report_charts(self, folder: Any, option: str, planned: Any) -> list[str]:
        """Write the planned chart files as standalone SVG files in the folder (created if missing); the paths."""
