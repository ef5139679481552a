"""Import files: YAML, JSON and the JSON Lines of export, validated whole before anything is written."""

from __future__ import annotations

import itertools
import json
import sys
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
from stratlog.infrastructure.export_lines import RESTORE_FIELDS, check_identity, checked_trailer, restored_id, \
    restored_instant
from stratlog.infrastructure.messages import describe

MAX_DOCUMENT_BYTES = 256 * 1024**2
MAX_YAML_BYTES = 64 * 1024**2
COMPACT_AFTER = 20_000
MAX_ERRORS = 20
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass
class ImportFile:
    """The validated records of one file, in file order, with restore information for exports."""

    name: str
    records: list[Any]
    restored: list[Restored | None] | None


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
            return _validate(name, checked_trailer(_jsonl_items(_lines(head, stream), name), name), True, progress)
        raw = head + stream.read(MAX_DOCUMENT_BYTES + 1 - len(head))
        if len(raw) > MAX_DOCUMENT_BYTES:
            raise InvalidInput(f"{name}: YAML and JSON files are limited to {MAX_DOCUMENT_BYTES // 1024**2} MB; "
                               f"write larger histories as JSON Lines (one statement per line, as export does)")
        return _validate(name, _document_items(raw, name, path), False, progress)
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


def _document_items(raw: bytes, name: str, path: str) -> list[tuple[str, Any]]:
    text = _decode(raw, name)
    try:
        if path.endswith(".json") or text.lstrip()[:1] in ("{", "["):
            document = json.loads(text)
        else:
            if len(raw) > MAX_YAML_BYTES:
                raise InvalidInput(f"{name}: YAML files are limited to {MAX_YAML_BYTES // 1024**2} MB; use JSON Lines")
            document = _safe_yaml(text, name)
    except RecursionError:
        raise InvalidInput(f"{name}: is nested too deeply to be an import file") from None
    except json.JSONDecodeError as error:
        raise InvalidInput(f"{name}: is not valid JSON (line {error.lineno}, column {error.colno}: {error.msg})") from None
    except ValueError as error:  # e.g. integers longer than Python converts
        raise InvalidInput(f"{name}: is not valid JSON ({error})") from None
    return _statements_of(document, name)


def _safe_yaml(text: str, name: str) -> Any:
    """YAML through the safe loader, refusing aliases (a few lines of them can expand to billions of items)."""
    try:
        if any(isinstance(event, yaml.AliasEvent) for event in yaml.parse(text, Loader=_Loader)):
            raise InvalidInput(f"{name}: uses YAML aliases (*name); write each statement out in full")
        return yaml.load(text, Loader=_Loader)  # noqa: S506 - a safe loader
    except yaml.YAMLError as error:
        raise InvalidInput(f"{name}: is not valid YAML ({_yaml_problem(error)})") from None
    except (ValueError, TypeError, IndexError, KeyError, AttributeError, OverflowError) as error:
        raise InvalidInput(f"{name}: is not valid YAML (a value cannot be read: {error})") from None


def _yaml_problem(error: yaml.YAMLError) -> str:
    mark = getattr(error, "problem_mark", None)
    problem = getattr(error, "problem", None) or str(error).splitlines()[0]
    return f"line {mark.line + 1}, column {mark.column + 1}: {problem}" if mark else problem


def _decode(raw: bytes, name: str) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InvalidInput(f"{name}: is not UTF-8 text (byte {error.start})") from None


def _statements_of(document: Any, name: str) -> list[tuple[str, Any]]:
    if isinstance(document, list):
        return [(f"statement {i}", item) for i, item in enumerate(document, 1)]
    if not isinstance(document, dict) or "statements" not in document:
        raise InvalidInput(f"{name}: expected a list of statements or a mapping with 'statements' "
                           f"(and optional 'defaults'), got {type(document).__name__}")
    unknown = set(document) - {"defaults", "statements"}
    if unknown:
        raise InvalidInput(f"{name}: unknown top-level key(s) {', '.join(map(repr, sorted(unknown)))} "
                           f"(expected 'defaults' and 'statements')")
    defaults, statements = document.get("defaults") or {}, document["statements"]
    if not isinstance(defaults, dict):
        raise InvalidInput(f"{name}: defaults must be a mapping, got {type(defaults).__name__}")
    if not isinstance(statements, list):
        raise InvalidInput(f"{name}: statements must be a list, got {type(statements).__name__}")
    return [(f"statement {i}", _with_defaults(item, defaults)) for i, item in enumerate(statements, 1)]


def _with_defaults(item: Any, defaults: dict) -> Any:
    if not isinstance(item, dict):
        return item
    kind = item.get("kind")
    cls = BY_KIND.get(kind) if isinstance(kind, str) else None
    accepted = cls.model_fields if cls else {}
    return {**{k: v for k, v in defaults.items() if k in accepted}, **item}


def _jsonl_items(lines: Iterable[bytes], name: str) -> Iterator[tuple[str, Any]]:
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            yield f"line {number}", json.loads(_decode(line, f"{name} line {number}"))
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
                hint = " (YAML reads an unquoted on, off, yes or no as a boolean: write \"on\": …)" \
                    if isinstance(key, bool) else ""
                raise InvalidInput(f"field name {key!r} is not text{hint}")


def _validate(name: str, items: Iterable[tuple[str, Any]], restoring: bool, progress: Progress) -> ImportFile:
    records, restored, errors = [], [], []
    progress.start(f"validating {name}", 0)
    for where, item in items:
        progress.advance()
        try:
            _string_keys(item)
            restore = _restore_info(item, restoring)
            record = RECORD_ADAPTER.validate_python(_without_restore(item))
            if restore:
                check_identity(record, restore.statement_id)
            records.append(Compact(record) if len(records) >= COMPACT_AFTER and not isinstance(record, Fix) else record)
            restored.append(restore)
        except ValidationError as error:
            errors.append(describe(error, f"{name} {where}{_kind_of(item)}"))
        except InvalidInput as error:
            errors.append(f"{name} {where}: {error}")
        if len(errors) >= MAX_ERRORS:
            break
    progress.finish()
    if errors:
        raise InvalidInput("nothing was imported:\n" + "\n".join(errors))
    if not records:
        raise InvalidInput(f"{name}: holds no statements")
    return ImportFile(name, records, restored if restoring and any(restored) else None)


def _kind_of(item: Any) -> str:
    return f" ({item['kind']})" if isinstance(item, dict) and isinstance(item.get("kind"), str) else ""


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
