"""Which exception raised by a use case means which exit code, and the message the user sees."""

from __future__ import annotations

import sqlite3


def exit_code_for(error: Exception) -> tuple[int | None, str]:
    """2 for invalid input, 1 for refusals and environment trouble, None for a real bug."""
    from eventsourcing.persistence import MapperDeserialisationError, PersistenceError
    from pydantic import ValidationError

    from stratlog.domain.errors import InvalidInput, StratlogError
    from stratlog.domain.field_messages import describe

    if isinstance(error, InvalidInput):
        return 2, str(error)
    if isinstance(error, ValidationError):
        return 2, describe(error)
    if isinstance(error, StratlogError):
        return 1, str(error)
    if isinstance(error, MapperDeserialisationError):
        return 1, (f"a stored event does not decode (the database is damaged or was written by another program): "
                   f"{str(error)[:300]}; run 'stratlog projections verify'")
    if isinstance(error, (PersistenceError, sqlite3.Error)):
        return 1, _storage_refusal(error)
    if isinstance(error, OSError):
        return 1, f"{error.strerror or error}: {getattr(error, 'filename', '') or ''}".rstrip(": ")
    return None, ""


def _storage_refusal(error: Exception) -> str:
    """The database refused before anything was committed (after a commit, failures are warnings)."""
    from stratlog.infrastructure.failures import DISK_FULL, LOCKED, READ_ONLY, failure_kind
    text = " ".join(str(error).split())[:200]
    kind = failure_kind(error)
    if kind == LOCKED:
        return f"the database stayed busy (another stratlog is writing): {text}; nothing was written, try again"
    if kind == DISK_FULL:
        return f"the disk is full ({text}): nothing was written; free some space and try again"
    if kind == READ_ONLY:
        return (f"the database cannot be written ({text}): it is on read-only media, or in a file or folder this "
                f"user cannot write; nothing was written")
    return f"the database refused the operation: {text}"
