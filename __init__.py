"""stratlog: an event-sourced ledger of car brands' strategy.

The installed package's subpackages are the folders of the source layout: `stratlog.domain`,
`stratlog.application`, `stratlog.infrastructure`, `stratlog.cli` and `stratlog.examples`.
"""

__version__ = "0.1.0"
