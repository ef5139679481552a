"""Where the statements an import refuses were written: each broken rule named by file, position and line."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Iterator, Sequence

from stratlog.application.ledger import MAX_ERRORS
from stratlog.domain.errors import InvalidInput, RuleViolation, StratlogError
from stratlog.domain.fixes import Fix
from stratlog.domain.quoting import escaped
from stratlog.infrastructure.files import ImportFile


@dataclass(frozen=True)
class Place:
    """A statement's place: in full for the head of a message, and as a short label inside one."""

    full: str
    file: str
    position: int
    line: int

    def label(self, here: str) -> str:
        """'statement 2, line 7' (or 'other.yaml statement 2, line 7' for a statement of another file)."""
        file = "" if self.file == here else f"{escaped(self.file)} "
        return f"{file}statement {self.position}" + (f", line {self.line}" if self.line else "")


def placed_refusal(error: StratlogError, files: Sequence[ImportFile]) -> StratlogError:
    """The refusal of an import with every broken rule named by where its statements were written;
    the error itself when none of its statements comes from the files."""
    errors = getattr(error, "errors", None) or [error]
    wanted = {statement_id for each in errors for statement_id in each.statement_ids}
    resolved = {written: stored for stored, written in error.written_as.items()}  # fiscal years resolved at input
    places = _places(wanted, files, resolved) if wanted else {}
    if not places:
        return error
    order = {file.name: n for n, file in enumerate(files)}
    lines = [line for _, line in sorted((_rank(each, places, order), _placed(each, places)) for each in errors)]
    if len(errors) >= MAX_ERRORS:
        lines.append(f"(checking stopped after {MAX_ERRORS} refused statements)")
    refusal = InvalidInput if all(isinstance(each, InvalidInput) for each in errors) else RuleViolation
    return refusal("nothing was imported:\n" + "\n".join(lines))


def _rank(error: StratlogError, places: dict[str, Place], order: dict[str, int]) -> tuple[int, int]:
    """Refusals in file order: by the file and position of their first statement (unplaced ones last)."""
    place = next((places[sid] for sid in error.statement_ids if sid in places), None)
    return (order.get(place.file, 0), place.position) if place else (len(order), 0)


def _places(wanted: set[str], files: Sequence[ImportFile], resolved: dict[str, str]) -> dict[str, Place]:
    """Where each wanted statement was written; `resolved` maps an id as written to the id it was
    recorded under once its fiscal years were resolved."""
    found: dict[str, Place] = {}
    for file in files:
        for index, record in enumerate(file.records):
            restore = file.restored[index] if file.restored else None
            for written in _ids_of(record, restore, wanted):
                statement_id = resolved.get(written, written)
                if statement_id in wanted and statement_id not in found:
                    line = file.lines[index] if file.lines is not None else 0
                    found[statement_id] = Place(file.place(index), file.name, index + 1, line)
            if len(found) == len(wanted):
                return found
    return found


def _ids_of(record: Any, restore: Any, wanted: set[str]) -> Iterator[str]:
    """The ids a record may have been recorded under: its own, or (a fix naming a statement by a
    prefix) its id once the prefix is resolved to one of the statements the errors name."""
    yield restore.statement_id if restore else record.statement_id()
    if isinstance(record, Fix):
        prefix = record.target.strip().lower()
        for full in wanted:
            if len(prefix) >= 8 and full.startswith(prefix) and full != prefix:
                yield record.model_copy(update={record.target_field: full}).statement_id()


def _placed(error: StratlogError, places: dict[str, Place]) -> str:
    """One refusal line: the place of its first statement, then the message with every statement of
    the files named by its place instead of an id the analyst never wrote."""
    text = str(error)
    named = [statement_id for statement_id in error.statement_ids if statement_id in places]
    if not named:
        return text
    head = places[named[0]]
    for statement_id in named:
        short = re.escape(statement_id[:8])
        if statement_id == named[0]:
            text = re.sub(rf"^[a-z-]+ {short}: ", "", text)
            text = re.sub(rf"\b{short}(?![\w-]) \(", "(", text)
            text = re.sub(rf"\b{short}(?![\w-])", "this statement", text)
        else:
            label = places[statement_id].label(head.file)
            text = re.sub(rf"\b{short}(?![\w-]) \(", f"({label}, ", text)
            text = re.sub(rf"\b{short}(?![\w-])", label, text)
    return f"{head.full}: {text}"
