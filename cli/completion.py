"""Shell completion of brands, KPIs, models and statement ids from the database (click's shell_complete).

`eval "$(_STRATLOG_COMPLETE=bash_source stratlog)"` in ~/.bashrc (zsh_source, fish_source for the
others) turns it on. Parameters are matched by name, so every command that takes a brand, a KPI, a
model or a statement id completes it, wherever it is declared.
"""

from __future__ import annotations

import click
from click.shell_completion import CompletionItem

COMPLETED = {"brand": "brand", "kpi": "kpi", "model": "model", "statement_id": "statement", "like": "statement"}


def complete_from_database(what: str):
    """A shell_complete function offering the database's values of `what` (of the brand typed, if any)."""
    def complete(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[CompletionItem]:
        from stratlog.infrastructure.composition import completion_candidates
        root = ctx.find_root().params
        db, read_model = ctx.params.get("db") or root.get("db"), ctx.params.get("read_model") or root.get("read_model")
        brand = ctx.params.get("brand") if what in ("kpi", "model") else None
        found = completion_candidates(what, incomplete, db, read_model, brand if isinstance(brand, str) else None)
        return [CompletionItem(value, help=help) for value, help in found]
    return complete


def with_completion(command: click.Command) -> click.Command:
    """Give the command's brand, kpi, model and statement-id parameters completion from the database
    (those that declare none of their own)."""
    for param in command.params:
        what = COMPLETED.get(param.name or "")
        if what and getattr(param, "_custom_shell_complete", None) is None and "shell_complete" not in vars(param):
            completer = complete_from_database(what)
            param.shell_complete = lambda ctx, incomplete, _p=param, _c=completer: _c(ctx, _p, incomplete)
    return command
