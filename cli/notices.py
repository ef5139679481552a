"""Warnings a command gives beside its answer, printed on standard error as 'Warning: …'."""

from __future__ import annotations

import warnings
from contextlib import contextmanager
from typing import Iterator

import click


@contextmanager
def warnings_on_stderr() -> Iterator[None]:
    """Within the block every StratlogWarning is printed as 'Warning: …' (each one, not once per place)."""
    from stratlog.infrastructure.composition import StratlogWarning
    with warnings.catch_warnings():
        warnings.simplefilter("always", StratlogWarning)
        shown_before = warnings.showwarning

        def show(message, category, filename, lineno, file=None, line=None):
            if issubclass(category, StratlogWarning):
                click.echo(f"Warning: {message}", err=True)
            else:
                shown_before(message, category, filename, lineno, file, line)

        warnings.showwarning = show
        yield
