"""The one reader of the notification log: every stored event in recording order, page by page."""

from __future__ import annotations

from typing import Any, Iterator

PAGE = 5000  # notifications fetched per query


def page(ledger: Any, after: int, limit: int = PAGE) -> list[Any]:
    """The next `limit` notifications after position `after` (eventsourcing `Notification`s: id, originator_id,
    originator_version, topic, state), oldest first; empty at the end of the log."""
    return ledger.recorder.select_notifications(start=after, limit=limit, inclusive_of_start=False)


def notifications(ledger: Any, after: int = 0, limit: int = PAGE) -> Iterator[Any]:
    """Every notification after position `after`, oldest first, read `limit` at a time (memory holds one page)."""
    while found := page(ledger, after, limit):
        yield from found
        after = found[-1].id
