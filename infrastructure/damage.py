"""Stored events that cannot be folded: where they are, why, and the lines that name them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

SHOWN_POSITIONS = 10


def shown(text: object, limit: int = 80) -> str:
    """Untrusted text fit for a one-line message: control characters escaped, at most `limit` characters."""
    clean = "".join(c if c.isprintable() else c.encode("unicode_escape").decode("ascii") for c in str(text))
    return clean if len(clean) <= limit else clean[: limit - 1] + "…"


def subject_kind(topic: str) -> str:
    """'brand' for a topic naming one of the Brand aggregate's events; the topic's class otherwise."""
    name = topic.split(":", 1)[-1].split(".", 1)[0]
    return {"Brand": "brand", "Model": "model", "Market": "market",
            "DealerAgreement": "dealer-agreement"}.get(name, "subject")


@dataclass(frozen=True)
class Damage:
    """One stored event left out of the read model: its position, subject, version, topic and why."""

    position: int
    subject_id: str
    version: int
    topic: str
    reason: str

    @classmethod
    def of(cls, stored, error: Exception, position: int) -> Damage:
        """The damage of a stored event that the mapper could not decode (error: why)."""
        subject = getattr(stored.originator_id, "hex", stored.originator_id)
        return cls(position, str(subject), stored.originator_version, str(stored.topic),
                   getattr(error, "reason", None) or shown(error, 200))


def damage_warning(count: int, positions: list[int]) -> str:
    """The line a command prints when it answered without some stored events."""
    listed = ", ".join(str(p) for p in positions[:SHOWN_POSITIONS]) + (", …" if count > SHOWN_POSITIONS else "")
    if count == 1:
        return (f"1 stored event could not be read and was left out (position {listed}); "
                f"run 'stratlog projections verify'")
    return (f"{count} stored events could not be read and were left out (positions {listed}); "
            f"run 'stratlog projections verify'")


def notify_damage(access, read: Iterable[int] = ()) -> None:
    """Warn when the read model this command answered from left stored events out, or when the
    command found others while reading the log itself (`read`: their positions)."""
    from stratlog.infrastructure.notices import notify
    count, positions = access.damage_summary()
    extra = [p for p in sorted(set(read)) if not access.damage_at(p)]
    if count + len(extra):
        notify(damage_warning(count + len(extra), sorted(set(positions) | set(extra))))
