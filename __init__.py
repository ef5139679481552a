"""stratlog: an event-sourced ledger of car brands' strategy.

The installed package's subpackages are the folders of the source layout: `stratlog.domain`,
`stratlog.application`, `stratlog.infrastructure`, `stratlog.cli` and `stratlog.examples`.
"""

__version__ = "0.1.0"


def open(target: str | None = None, read_model: str | None = None):  # noqa: A001 - stratlog.open is the API
    """Open a stratlog database for Python: a SQLite file path or a postgresql:// URL.

    >>> import stratlog
    >>> with stratlog.open("stratlog-demo.db") as ledger:          # doctest: +SKIP
    ...     rows = ledger.kpis("alpine", as_of="2023-06", flat=True)

    Returns a `stratlog.api.Ledger` (see its methods). Nothing heavy is imported before the first call.
    """
    from stratlog.api import open_ledger
    return open_ledger(target, read_model)
