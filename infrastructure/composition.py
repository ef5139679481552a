"""The composition root: a --db target (or the environment, via config) becomes the Stratlog application.

It is all the CLI and the Python API know of the outer layers.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any, ContextManager, Iterable, Sequence, TextIO

from stratlog.application.ports import QUIET, Progress
from stratlog.infrastructure import config
from stratlog.infrastructure.config import Settings
from stratlog.infrastructure.notices import StratlogWarning

__all__ = ["open_stratlog", "StratlogWarning", "refusal_for", "field_errors", "import_schema_text", "recording_defaults",
           "completion_candidates"]


def open_stratlog(db: str | None = None, read_model: str | None = None, *, writing: bool = False,
                  progress: Progress = QUIET) -> Stratlog:
    """The application for a SQLite file or a postgresql:// URL (default $STRATLOG_DB or ./stratlog.db).

    `writing`: the command records (the database is created when missing, the write lock taken at
    its first write). `progress` shows a long catch-up (a read model built by an older fold is refolded).
    Nothing is opened before the first use case asks for it.
    """
    from stratlog.application.service import Stratlog  # here, not above: a warning filter needs only this module
    from stratlog.infrastructure.command_store import CommandStore
    chosen = config.settings(db, read_model)
    return Stratlog(CommandStore(chosen, writing, progress), ImportFileReader(), OutputWriter(chosen))


def refusal_for(error: Exception) -> tuple[int | None, str]:
    """The exit code and message of an error raised by a use case (None: a bug, to re-raise)."""
    from stratlog.infrastructure.refusals import exit_code_for
    return exit_code_for(error)


class ImportFileReader:
    """The ImportFiles port: YAML, JSON and JSON Lines files, and statements given as mappings."""

    def read(self, path: str, progress: Progress) -> Any:
        from stratlog.infrastructure.files import read_import
        return read_import(path, progress)

    def statements(self, statements: list[dict]) -> Any:
        from stratlog.infrastructure.files import read_statements
        return read_statements(statements)

    def placed(self, error: Exception, files: Sequence[Any]) -> Exception:
        from stratlog.infrastructure.import_places import placed_refusal
        return placed_refusal(error, files)


class OutputWriter:
    """The Outputs port: outputs checked against the database's files, written whole or not at all."""

    def __init__(self, chosen: Settings):
        self.settings = chosen

    def target(self, path: str, option: str, sqlite: bool = False, ledger_copy: bool = False) -> Any:
        from stratlog.infrastructure.outputs import output_target
        return output_target(path, option, self.settings, sqlite, ledger_copy)

    def text(self, output: Any) -> ContextManager[TextIO]:
        from stratlog.infrastructure.outputs import text_output
        return text_output(output)

    def export(self, output: Any, records: Iterable[dict]) -> int:
        from stratlog.infrastructure.export_lines import trailer
        count = 0
        with self.text(output) as handle:
            for record in records:
                handle.write(json.dumps(record, ensure_ascii=False) + "\n")
                count += 1
            handle.write(json.dumps(trailer(count)) + "\n")
        return count

    def replay(self, queries: Any, output: Any, as_of: date, known_at: datetime, progress: Progress) -> dict[str, int]:
        from stratlog.infrastructure.outputs import sqlite_output
        from stratlog.infrastructure.replay import write_replay
        with sqlite_output(output) as temporary:
            return write_replay(queries, temporary, as_of, known_at, progress)

    def report_html(self, data: Any) -> str:
        from stratlog.infrastructure.report_html import render_report
        return render_report(data)

    def chart_folder(self, target: str, option: str) -> Any:
        from stratlog.infrastructure.report_charts import chart_folder
        return chart_folder(target, option, self.settings)

    def plan_charts(self, folder: Any, option: str, data: Any, page: str | None) -> Any:
        from stratlog.infrastructure.report_charts import planned_charts
        return planned_charts(folder, option, data, self.settings, page)

    def report_charts(self, folder: Any, option: str, planned: Any) -> list[str]:
        from stratlog.infrastructure.report_charts import write_charts
        return write_charts(folder, option, planned, self.settings)


def field_errors(error: Exception) -> list[str]:
    """A pydantic ValidationError as 'field: message' lines (what the CLI maps to its options)."""
    from stratlog.domain.field_messages import field_errors as lines
    return lines(error)


def import_schema_text() -> str:
    """The JSON Schema of the import file as indented JSON text (what the package ships)."""
    from stratlog.infrastructure.import_schema import schema_text
    return schema_text()


def recording_defaults() -> dict[str, tuple[str, str]]:
    """The announcement date and source fields the environment gives `record` ($STRATLOG_ANNOUNCED_ON,
    $STRATLOG_SOURCE_*): {field path: (value, variable)}."""
    return config.recording_defaults()


def completion_candidates(what: str, incomplete: str, db: str | None = None, read_model: str | None = None,
                          brand: str | None = None) -> list[tuple[str, str | None]]:
    """Shell-completion candidates (value, help) of a brand, kpi, model or statement, read without writing;
    [] when the database cannot be read."""
    from stratlog.infrastructure.completion import candidates
    return candidates(what, incomplete, db, read_model, brand)
