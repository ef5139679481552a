"""A Datasette plugin that only gives every connection stratlog's SQL function `stratlog_state`.

The `statements` view reads the packed event states (infrastructure/stored_state.py) through that
function. The stratlog distribution registers this module as a `datasette` entry point, so a plain
`datasette stratlog.db` started in the environment stratlog is installed in shows the view; it changes
nothing else of any Datasette (the read-only server and the /-/stratlog pages are `stratlog serve`'s
plugin, infrastructure/datasette_plugin.py).
"""

from __future__ import annotations

from datasette import hookimpl

from stratlog.infrastructure.stored_state import add_sql_function


@hookimpl
def prepare_connection(conn):
    """stratlog_state(state): a stored event state's JSON text (NULL when it does not decode)."""
    add_sql_function(conn)
