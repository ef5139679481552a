"""`serve`: Datasette on a read-only snapshot of the database, with stratlog's plugin, until stopped."""

from __future__ import annotations

import errno
import signal
import socket
import tempfile
import threading
from pathlib import Path
from typing import Callable

from stratlog.domain.errors import StratlogError
from stratlog.infrastructure.config import Settings
from stratlog.infrastructure.migrations import APPLIED_TABLE, READ_MODEL_TABLES
from stratlog.infrastructure.serve_snapshot import Snapshot, snapshot_source, take_snapshot

DATABASE = "stratlog"  # the snapshot's file is stratlog.db
HIDDEN = ("stored_events", *READ_MODEL_TABLES, "rm_shapes", "stratlog_meta", APPLIED_TABLE)


class CannotListen(StratlogError):
    """Raised when serve cannot listen on the host and port asked for (in use, or not an address here)."""


class _Stopped(Exception):
    """Ctrl-C or SIGTERM: stop serving, then remove the snapshot."""


def serve_database(settings: Settings, host: str, port: int, ready: Callable[[str, Snapshot], None]) -> None:
    """Snapshot the database, then serve it read-only until Ctrl-C or SIGTERM; the snapshot is removed after.

    `ready(url, snapshot)` is called once the server is listening.
    """
    source = snapshot_source(settings)
    listening = _listen(host, port)
    previous = _catch_stop_signals()
    try:
        with tempfile.TemporaryDirectory(prefix="stratlog-serve-") as folder:
            snapshot = take_snapshot(settings, Path(folder), source)
            _run(datasette_for(snapshot), listening, lambda: ready(_url(listening), snapshot))
    except _Stopped:
        pass
    finally:
        listening.close()
        _restore(previous)


def datasette_for(snapshot: Snapshot):
    """A Datasette on the snapshot, immutable (no connection to it can write), with stratlog's plugin."""
    from datasette.app import Datasette
    from datasette.plugins import pm

    from stratlog.infrastructure import datasette_functions, datasette_plugin
    if not pm.is_registered(datasette_plugin):
        pm.register(datasette_plugin, name="stratlog")
    if not pm.is_registered(datasette_functions):  # the entry point registers it where stratlog is installed
        pm.register(datasette_functions, name="stratlog_state")
    return Datasette(immutables=[str(snapshot.path)], metadata=metadata(snapshot))


def metadata(snapshot: Snapshot) -> dict:
    """Titles, the statements view's facets, internal tables hidden, and where the plugin reads from."""
    return {
        "title": "stratlog",
        "description_html": ('Answers as the stratlog CLI gives them: <a href="/-/stratlog">timeline, kpis, audit, '
                             'state, diff, checks</a>; the log as text: <a href="/stratlog/statements">statements</a>.'),
        "plugins": {"stratlog": {"snapshot": str(snapshot.path), "source": snapshot.source,
                                 "taken_at": snapshot.taken_at.isoformat(timespec="seconds"),
                                 "statements": snapshot.statements}},
        "databases": {DATABASE: {"tables": {
            "statements": {"facets": ["brand", "kind", "status"], "sort": "position",
                           "description": "One row per recorded statement, in recording order; payload is JSON."},
            **{name: {"hidden": True} for name in HIDDEN}}}},
    }


def _listen(host: str, port: int) -> socket.socket:
    """A listening socket, bound before anything else happens, so a taken port is refused at once."""
    try:
        family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
        listening = socket.socket(family, kind, proto)
    except (OSError, UnicodeError) as error:
        raise CannotListen(f"--host {host!r} is not an address of this machine ({error})") from None
    try:
        listening.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listening.bind(address)
        listening.listen(128)
    except OSError as error:
        listening.close()
        hint = ("choose another with --port" if error.errno == errno.EADDRINUSE
                else "give an address of this machine with --host")
        raise CannotListen(f"cannot listen on {host} port {port}: {error.strerror or error}; {hint}") from None
    return listening


def _run(datasette, listening: socket.socket, on_ready: Callable[[], None]) -> None:
    import uvicorn

    class Server(uvicorn.Server):
        async def startup(self, sockets=None) -> None:
            """uvicorn's start-up, then `on_ready` once it listens."""
            await super().startup(sockets=sockets)
            if self.started:
                on_ready()

    config = uvicorn.Config(datasette.app(), log_level="warning", lifespan="on", workers=1)
    Server(config).run(sockets=[listening])


def _url(listening: socket.socket) -> str:
    host, port = listening.getsockname()[:2]
    host = f"[{host}]" if ":" in host else host
    return f"http://{host}:{port}/-/stratlog"


def _catch_stop_signals() -> dict:
    """uvicorn stops on SIGINT/SIGTERM, then raises the signal again: make that an exception we catch,
    so the snapshot is removed (the default SIGTERM action would end the process first)."""
    if threading.current_thread() is not threading.main_thread():
        return {}
    return {sig: signal.signal(sig, _stop) for sig in (signal.SIGINT, signal.SIGTERM)}


def _stop(signum, frame) -> None:
    raise _Stopped()


def _restore(previous: dict) -> None:
    for sig, handler in previous.items():
        signal.signal(sig, handler)
