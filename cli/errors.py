"""Which exception means which exit code, and the message the user sees."""

from __future__ import annotations

import sqlite3


def exit_code_for(error: Exception) -> tuple[int | None, str]:
    """2 for invalid input, 1 for refusals and environment trouble, None for a real bug."""
    from eventsourcing.persistence import MapperDeserialisationError, PersistenceError
    from pydantic import ValidationError

    from stratlog.domain.errors import InvalidInput, StratlogError
    from stratlog.infrastructure.messages import describe

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
        text = str(error)
        if "locked" in text or "busy" in text:
            return 1, f"the database stayed busy (another stratlog is writing): {text}; nothing was written, try again"
        return 1, f"the database refused the operation: {text}"
    if isinstance(error, OSError):
        return 1, f"{error.strerror or error}: {getattr(error, 'filename', '') or ''}".rstrip(": ")
    return None, ""
