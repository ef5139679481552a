"""Which exception means which exit code, and the message the user sees (decided by the composition root)."""

from __future__ import annotations


def exit_code_for(error: Exception) -> tuple[int | None, str]:
    """2 for invalid input, 1 for refusals and environment trouble, None for a real bug."""
    from stratlog.infrastructure.composition import refusal_for
    return refusal_for(error)
