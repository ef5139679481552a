"""Import files: YAML, JSON and the JSON Lines of export, validated whole before anything is written."""

from __future__ import annotations

import itertools
import json
import sys
from array import array
from dataclasses import dataclass
from typing import Any, BinaryIO, Iterable, Iterator

import yaml
from pydantic import ValidationError

from stratlog.application.compact import Compact
from stratlog.application.ledger import Restored
from stratlog.application.ports import QUIET, Progress
from stratlog.domain.errors import InvalidInput
from stratlog.domain.fixes import Fix
from stratlog.domain.catalogue import BY_KIND, RECORD_ADAPTER
from stratlog.domain.quoting import escaped, name_of, quoted, shortened
from stratlog.infrastructure import strict_json
from stratlog.infrastructure.export_lines import RESTORE_FIELDS, check_identity, check_recording_order, \
    checked_trailer, restored_id, restored_instant
from stratlog.domain.field_messages import describe
from stratlog.infrastructure.strict_yaml import AliasUsed, DuplicateKey, load_document, misread_numbers

MAX_DOCUMENT_BYTES = 256 * 1024**2
MAX_YAML_BYTES = 64 * 1024**2
COMPACT_AFTER = 20_000
MAX_ERRORS = 20
ReadStatement = tuple[int, "int | None", Any]  # (position in the file, line or None, the statement as read)


@dataclass
class ImportFile:
    """The validated records of one file, in file order, with restore information for exports."""

    name: str
    records: list[Any]
    restored: list[Restored | None] | None
    lines: array | None = None  # the line each record starts on (0: not known), for messages

    def place(self, index: int) -> str:
        """Where the record at `index` was written: 'f.yaml statement 7 (line 40), brand acme, target-set'."""
        record = self.records[index]
        line = self.lines[index] if self.lines is not None else 0
        return where(self.name, index + 1, line or None, {"brand": getattr(record, "brand", None), "kind": record.KIND})


def read_import(path: str, progress: Progress = QUIET) -> ImportFile:
    """Read and validate a whole import file; InvalidInput names the position, field and value.

    JSON Lines are read line by line and, past the first COMPACT_AFTER statements, kept compact,
    so a file of a million statements fits in memory; YAML and JSON documents are read whole.
    """
    name = "<stdin>" if path == "-" else path
    stream = _open(path, name)
    try:
        head = stream.read(65536)
        if b"\x00" in head:
            raise InvalidInput(f"{name}: is a binary file, not YAML, JSON or JSON Lines")
        if _looks_like_jsonl(path, head):
            return _validate(name, checked_trailer(_jsonl_items(_lines(head, stream), name), name), True, progress,
                             yaml_file=False)
        raw = head + stream.read(MAX_DOCUMENT_BYTES + 1 - len(head))
        if len(raw) > MAX_DOCUMENT_BYTES:
            raise InvalidInput(f"{name}: YAML and JSON files are limited to {MAX_DOCUMENT_BYTES // 1024**2} MB; "
                               f"write larger histories as JSON Lines (one statement per line, as export does)")
        items, yaml_file = _document_items(raw, name, path)
        return _validate(name, items, False, progress, yaml_file)
    finally:
        if stream is not sys.stdin.buffer:
            stream.close()


def _open(path: str, name: str) -> BinaryIO:
    if path == "-":
        return sys.stdin.buffer
    try:
        return open(path, "rb")  # noqa: SIM115 - closed by read_import
    except OSError as error:
        raise InvalidInput(f"FILE: cannot read {name!r}: {error.strerror}") from None


def _lines(head: bytes, stream: BinaryIO) -> Iterator[bytes]:
    """The lines of a stream whose first bytes were already read."""
    rest = b""
    for chunk in itertools.chain([head], iter(lambda: stream.read(1 << 20), b"")):
        lines = (rest + chunk).split(b"\n")
        rest = lines.pop()
        yield from lines
    if rest:
        yield rest


def _looks_like_jsonl(path: str, head: bytes) -> bool:
    if path.endswith((".jsonl", ".ndjson")):
        return True
    if head.lstrip()[:1] != b"{":
        return False
    first_line = head.lstrip().split(b"\n", 1)[0]
    try:
        return isinstance(json.loads(first_line), dict) and b"\n{" in head.strip()
    except (ValueError, RecursionError):
        return False


def _document_items(raw: bytes, name: str, path: str) -> tuple[list[ReadStatement], bool]:
    """The statements of a YAML or JSON document, each with its position and (YAML) its line."""
    text = _decode(raw, name)
    lines: list[int] = []
    is_json = path.endswith(".json") or text.lstrip()[:1] in ("{", "[")
    try:
        if is_json:
            document = _json_document(text, name)
        else:
            if len(raw) > MAX_YAML_BYTES:
                raise InvalidInput(f"{name}: YAML files are limited to {MAX_YAML_BYTES // 1024**2} MB; use JSON Lines")
            document, lines = _safe_yaml(text, name)
    except RecursionError:
        raise InvalidInput(f"{name}: is nested too deeply to be an import file") from None
    return _statements_of(document, name, lines), not is_json


def _json_document(text: str, name: str) -> Any:
    """A JSON document with exact numbers; a key written twice is refused, naming its statement."""
    try:
        return strict_json.loads(text)
    except strict_json.DuplicateKey:
        found = strict_json.repeated_in(text)
        raise InvalidInput("\n".join(f"{name}{'' if position is None else f' statement {position}'}: the key "
                                     f"{quoted(key)} is written twice in one object" for position, key in found[:MAX_ERRORS]))
    except json.JSONDecodeError as error:
        raise InvalidInput(f"{name}: is not valid JSON (line {error.lineno}, column {error.colno}: {error.msg})") from None
    except ValueError as error:  # e.g. integers longer than Python converts
        raise InvalidInput(f"{name}: is not valid JSON ({error})") from None


def _safe_yaml(text: str, name: str) -> tuple[Any, list[int]]:
    """YAML through the strict safe loader: aliases (a few lines of them can expand to billions of
    items) and keys written twice are refused; so are timestamps and numbers YAML would misread."""
    try:
        return load_document(text)
    except AliasUsed:
        raise InvalidInput(f"{name}: uses YAML aliases (*name); write each statement out in full") from None
    except DuplicateKey as error:
        raise InvalidInput(f"{name} line {error.problem_mark.line + 1}: {error.problem}") from None
    except yaml.YAMLError as error:
        raise InvalidInput(f"{name}: is not valid YAML ({_yaml_problem(error)})") from None
    except (ValueError, TypeError, IndexError, KeyError, AttributeError, OverflowError) as error:
        raise InvalidInput(f"{name}: is not valid YAML (a value cannot be read: {shortened(escaped(str(error)))})") from None


def _yaml_problem(error: yaml.YAMLError) -> str:
    mark = getattr(error, "problem_mark", None)
    problem = getattr(error, "problem", None) or str(error).splitlines()[0]
    return f"line {mark.line + 1}, column {mark.column + 1}: {problem}" if mark else problem


def _decode(raw: bytes, name: str) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InvalidInput(f"{name}: is not UTF-8 text (byte {error.start})") from None


def _statements_of(document: Any, name: str, lines: list[int]) -> list[ReadStatement]:
    if isinstance(document, list):
        return _numbered(document, lines)
    if not isinstance(document, dict) or "statements" not in document:
        raise InvalidInput(f"{name}: expected a list of statements or a mapping with 'statements' "
                           f"(and optional 'defaults'), got {type(document).__name__}")
    unknown = [key for key in document if key not in ("defaults", "statements")]
    if unknown:
        raise InvalidInput(f"{name}: unknown top-level key(s) {', '.join(name_of(key) for key in unknown[:MAX_ERRORS])} "
                           f"(expected defaults and statements)")
    defaults, statements = document.get("defaults") or {}, document["statements"]
    if not isinstance(defaults, dict):
        raise InvalidInput(f"{name}: defaults must be a mapping, got {type(defaults).__name__}")
    if not isinstance(statements, list):
        raise InvalidInput(f"{name}: statements must be a list, got {type(statements).__name__}")
    return _numbered([_with_defaults(item, defaults) for item in statements], lines)


def _numbered(statements: list, lines: list[int]) -> list[ReadStatement]:
    """(position, line, statement) of each statement; the line is None when the format gives none."""
    known = lines if len(lines) == len(statements) else [None] * len(statements)
    return [(position, line, item) for position, (line, item) in enumerate(zip(known, statements), 1)]


def _with_defaults(item: Any, defaults: dict) -> Any:
    if not isinstance(item, dict):
        return item
    kind = item.get("kind")
    cls = BY_KIND.get(kind) if isinstance(kind, str) else None
    accepted = cls.model_fields if cls else {}
    return {**{k: v for k, v in defaults.items() if k in accepted}, **item}


def _jsonl_items(lines: Iterable[bytes], name: str) -> Iterator[ReadStatement]:
    position = 0
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        position += 1
        try:
            yield position, number, strict_json.loads(_decode(line, f"{name} line {number}"))
        except strict_json.DuplicateKey as error:
            yield position, number, Refused(f"the key {quoted(error.key)} is written twice in one object")
        except RecursionError:
            raise InvalidInput(f"{name} line {number}: is nested too deeply") from None
        except json.JSONDecodeError as error:
            raise InvalidInput(f"{name} line {number}: is not valid JSON ({error.msg})") from None
        except ValueError as error:  # e.g. integers longer than Python converts
            raise InvalidInput(f"{name} line {number}: is not valid JSON ({error})") from None


def _string_keys(item: Any) -> None:
    """YAML 1.1 reads unquoted on/off/yes/no as booleans, even as keys: say so instead of a riddle."""
    if isinstance(item, dict):
        for key in item:
            if not isinstance(key, str):
                raise InvalidInput(f"field name {name_of(key)} is not text{_boolean_key_hint(item, key)}")


def _boolean_key_hint(item: dict, key: Any) -> str:
    """What to write instead of an unquoted on/off/yes/no key: an end date's new name where `on` was one."""
    if not isinstance(key, bool):
        return ""
    from stratlog.domain.catalogue import BY_KIND
    kind = item.get("kind")
    cls = BY_KIND.get(kind) if isinstance(kind, str) else None
    if key is True and cls is not None and cls.EFFECTIVE and "on" not in cls.model_fields:
        new = cls.EFFECTIVE[0]
        return f" (YAML reads an unquoted on as true; the date of {kind} is now named {new}: write {new}: …)"
    return " (YAML reads an unquoted on, off, yes or no as a boolean: write \"on\": …)"


def _validate(name: str, items: Iterable[ReadStatement], restoring: bool, progress: Progress, yaml_file: bool) -> ImportFile:
    records, restored, errors, lines = [], [], [], array("l")
    progress.start(f"validating {escaped(name)}", 0)
    previous = None  # the recorded_at of the restore line before
    for position, line, item in items:
        progress.advance()
        try:
            record, restore = _record_of(item, restoring, yaml_file)
            if len(records) >= COMPACT_AFTER and not isinstance(record, Fix):
                record = Compact(record)  # its one dump gives the id a restored line is checked against too
            if restore:
                check_identity(record, restore.statement_id)
                check_recording_order(previous, restore.recorded_at)
                previous = restore.recorded_at
            records.append(record)
            restored.append(restore)
            lines.append(line or 0)
        except ValidationError as error:
            errors.append(describe(error, where(name, position, line, item)))
        except InvalidInput as error:
            errors.append(f"{where(name, position, line, item)}: {error}")
        if len(errors) >= MAX_ERRORS:
            break
    progress.finish()
    if errors:
        more = [f"(checking stopped after {MAX_ERRORS} refused statements)"] if len(errors) >= MAX_ERRORS else []
        raise InvalidInput("nothing was imported:\n" + "\n".join(errors + more))
    if not records:
        raise InvalidInput(f"{name}: holds no statements")
    return ImportFile(name, records, restored if restoring and any(restored) else None, lines)


def _record_of(item: Any, restoring: bool, yaml_file: bool) -> tuple[Any, Restored | None]:
    """The validated record of one statement and its restore information; InvalidInput or ValidationError."""
    if isinstance(item, Refused):
        raise InvalidInput(item.message)
    _string_keys(item)
    notations = misread_numbers(item) if yaml_file else []
    if notations:
        raise InvalidInput(notations[0] if len(notations) == 1 else "\n  " + "\n  ".join(notations))
    restore = _restore_info(item, restoring)
    return RECORD_ADAPTER.validate_python(_without_restore(item) if restore else item), restore


def where(name: str, position: int, line: int | None, item: Any) -> str:
    """A statement's place for messages: 'f.yaml statement 7 (line 40), brand acme, target-set'."""
    parts = [f"{escaped(name)} statement {position}" + (f" (line {line})" if line else "")]
    if isinstance(item, dict):
        brand, kind = item.get("brand"), item.get("kind")
        parts += [f"brand {name_of(brand)}"] if isinstance(brand, str) else []
        parts += [kind] if isinstance(kind, str) and kind in BY_KIND else []
    return ", ".join(parts)


@dataclass(frozen=True)
class Refused:
    """A statement refused while it was read (e.g. a key written twice), with the reason."""

    message: str


def _without_restore(item: Any) -> Any:
    return {k: v for k, v in item.items() if k not in RESTORE_FIELDS} if isinstance(item, dict) else item


def _restore_info(item: Any, restoring: bool) -> Restored | None:
    """The identity and clock of an exported line: a UUID, and a UTC instant that is not in the future."""
    if not isinstance(item, dict) or not any(k in item for k in RESTORE_FIELDS):
        return None
    if not restoring:
        raise InvalidInput("statement_id and recorded_at are accepted only in the JSON Lines written by export")
    missing = [field for field in RESTORE_FIELDS if field not in item]
    if missing:
        raise InvalidInput(f"{missing[0]}: missing (an exported line carries both statement_id and recorded_at)")
    return Restored(restored_id(item["statement_id"]), restored_instant(item["recorded_at"]))


def read_statements(statements: Iterable[Any], name: str = "record()") -> ImportFile:
    """Statements given as mappings in the import-file shape (the Python API), validated like a file's."""
    if isinstance(statements, dict):
        statements = statements.get("statements", [statements]) if "kind" not in statements else [statements]
    return _validate(name, ((i, None, item) for i, item in enumerate(statements, 1)), False, QUIET, yaml_file=False)
