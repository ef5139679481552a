"""Warnings a command gives beside its answer: the answer stands, and something is named."""

from __future__ import annotations

import warnings


class StratlogWarning(UserWarning):
    """Raised as a warning when a command goes on despite a problem it names (damage, a read model behind)."""


def notify(text: str) -> None:
    """Tell the user something the answer alone would hide (the CLI prints it as 'Warning: …')."""
    warnings.warn(StratlogWarning(text), stacklevel=2)
