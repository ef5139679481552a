"""The PostgreSQL event store of team mode: the URL as eventsourcing settings, table creation, connection errors."""

from __future__ import annotations

import re
from contextlib import contextmanager
from datetime import datetime
from typing import Any, Iterator, Sequence

from stratlog.domain.dates import instant_text
from stratlog.domain.errors import StratlogError
from stratlog.infrastructure.config import ServerAddress, parse_url, shown
from stratlog.infrastructure.recorded_at import HIGH_WATER_KEY, latest_of, parse_instant
from stratlog.infrastructure.transactions import JoinsRecordingSession

try:
    from eventsourcing.postgres import PostgresApplicationRecorder
except ImportError:  # the `postgres` extra is not installed: postgres_env() says how to install it
    PostgresApplicationRecorder = None

CONNECT_TIMEOUT_SECONDS = 5
LOCK_TIMEOUT_SECONDS = 10
IDLE_IN_TRANSACTION_SECONDS = 120
TABLE_CREATION_LOCK = 0x5374726174  # pg advisory lock key: one first use at a time creates the tables
INSTALL_HINT = "pip install 'stratlog[postgres]'"
META_TABLE = "stratlog_meta"  # our own table beside eventsourcing's: the high-water mark of recorded_at


class ServerUnreachable(StratlogError):
    """Raised when the PostgreSQL server of team mode cannot be reached or refuses our credentials."""


class PostgresExtraMissing(StratlogError):
    """Raised when a postgresql:// URL is given but the PostgreSQL libraries are not installed."""


def postgres_env(url: str) -> dict[str, str]:
    """The eventsourcing environment of the Ledger for the event store at `url`."""
    if PostgresApplicationRecorder is None:
        raise PostgresExtraMissing(f"team mode (--db {shown(url)}) needs the PostgreSQL libraries: "
                                   f"{INSTALL_HINT}")
    address = parse_url(url)
    return {
        "PERSISTENCE_MODULE": "eventsourcing.postgres",
        "APPLICATION_RECORDER_TOPIC": "stratlog.infrastructure.postgres_store:TeamRecorder",
        "POSTGRES_DBNAME": address.dbname,
        "POSTGRES_HOST": address.host,
        "POSTGRES_PORT": str(address.port),
        "POSTGRES_USER": address.user,
        "POSTGRES_PASSWORD": address.password,
        "POSTGRES_CONNECT_TIMEOUT": str(CONNECT_TIMEOUT_SECONDS),
        "POSTGRES_LOCK_TIMEOUT": str(LOCK_TIMEOUT_SECONDS),
        # a command checks its statements inside its transaction (DESIGN §7): give it time, within bounds
        "POSTGRES_IDLE_IN_TRANSACTION_SESSION_TIMEOUT": str(IDLE_IN_TRANSACTION_SECONDS),
        "POSTGRES_POOL_SIZE": "1",
        "POSTGRES_MAX_OVERFLOW": "2",
        "CREATE_TABLE": "yes",
    }


def connection_failure(error: Exception, url: str) -> Exception:
    """The error to show for a failure to open the event store: why the server cannot be reached, if it cannot.

    The pool only says it timed out, so one direct connection asks the server the reason.
    Returns `error` itself when the server can be reached (the failure was something else).
    """
    import psycopg
    from eventsourcing.persistence import InterfaceError, OperationalError

    address = parse_url(url)
    try:
        psycopg.connect(host=address.host, port=address.port, user=address.user, password=address.password,
                        dbname=address.dbname, connect_timeout=CONNECT_TIMEOUT_SECONDS).close()
    except psycopg.Error as refused:
        return ServerUnreachable(f"cannot connect to the event store {address.url}: "
                                 f"{_reason(str(refused), address)} Nothing was written.")
    if isinstance(error, (OperationalError, InterfaceError)):
        return ServerUnreachable(f"the PostgreSQL server of {address.url} gave no connection within "
                                 f"{CONNECT_TIMEOUT_SECONDS} s (too busy?); nothing was written, try again")
    return error


def _reason(text: str, address: ServerAddress) -> str:
    """libpq's reason, on one line, with a hint; never the password."""
    text = text.removeprefix("connection failed:").replace("FATAL:", "")
    lines = [re.sub(r"\s+", " ", line).strip() for line in text.splitlines() if line.strip()]
    reason = " ".join(line if line[-1] in ".?!" else line + "." for line in lines)
    if address.password:
        reason = reason.replace(address.password, "***")
    if "database" in reason and "does not exist" in reason:
        return f"{reason} Create it first (createdb -h {address.host} -p {address.port} {address.dbname})."
    if "role" in reason or "password" in reason or "authentication" in reason:
        return f"{reason} Check the user and password in the URL."
    return reason


class EventStoreBusy(StratlogError):
    """Raised when other writers hold the shared log's write lock longer than the lock timeout."""


class TeamSession:
    """One command's transaction on the shared log: the events table locked, the server's clock the authority.

    The latest recorded_at is the later of the high-water mark in the server's stratlog_meta table
    (written in the same transaction as the events; found once by a scan of a log that has none) and
    the recorded_at of the log's last row (which an older stratlog may have written after the mark).
    """

    def __init__(self, recorder: Any, conn: Any, curs: Any):
        self.recorder, self.conn, self.curs = recorder, conn, curs
        self.high_water: datetime | None = None
        self.mark_stale = False

    def latest_recorded_at(self) -> datetime | None:
        self.curs.execute(f"SELECT state FROM {self.recorder.events_table} ORDER BY notification_id DESC LIMIT 1")
        last = self.curs.fetchone()
        self.curs.execute(f"SELECT value FROM {self.recorder.meta_table} WHERE key = %s", (HIGH_WATER_KEY,))
        row = self.curs.fetchone()
        mark = parse_instant(row["value"]) if row else None
        if mark is None and last is not None:
            with self.conn.cursor(name="stratlog_recorded_at_scan") as scan:
                scan.execute(f"SELECT state FROM {self.recorder.events_table}")
                mark = latest_of(found["state"] for found in scan)
        self.high_water = latest_of([last["state"]] if last else [], floor=mark)
        self.mark_stale = self.high_water is not None and self.high_water != mark
        return self.high_water

    def server_clock(self) -> datetime | None:
        self.curs.execute("SELECT clock_timestamp() AS now")
        return self.curs.fetchone()["now"]

    def write(self, stored_events: Sequence[Any]) -> list[int]:
        if not stored_events:
            return []
        self.recorder._insert_stored_events(self.curs, stored_events)
        return list(self.recorder._fetch_ids_after_insert_events(self.curs, stored_events))

    def recorded_up_to(self, instant: datetime) -> None:
        if self.high_water is None or instant > self.high_water:
            self.high_water, self.mark_stale = instant, True

    def keep_mark(self) -> None:
        """Write the high-water mark, in the transaction, when this command moved it."""
        if self.mark_stale:
            self.curs.execute(f"INSERT INTO {self.recorder.meta_table} (key, value) VALUES (%s, %s) "
                              f"ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value",
                              (HIGH_WATER_KEY, instant_text(self.high_water)))


if PostgresApplicationRecorder is not None:
    class TeamRecorder(JoinsRecordingSession, PostgresApplicationRecorder):
        """eventsourcing's PostgreSQL recorder, creating its tables only when they are missing, one process at a time,
        and writing a command's events in one transaction that locks the log before the command chooses its instant.

        Concurrent first uses would otherwise race on CREATE TYPE / CREATE TABLE, and every command
        would re-run CREATE OR REPLACE FUNCTION, which fails when two writers do it at once.
        """

        def __init__(self, *args: Any, **kwargs: Any):
            super().__init__(*args, **kwargs)
            schema = _quoted(self.datastore.schema)
            self.events_table = f"{schema}.{_quoted(self.events_table_name)}"
            self.meta_table = f"{schema}.{_quoted(META_TABLE)}"

        def create_table(self) -> None:
            with self.datastore.get_connection() as conn:
                if not self._tables_exist(conn):
                    conn.execute("SELECT pg_advisory_lock(%s)", (TABLE_CREATION_LOCK,))
                    try:
                        if not self._table_exists(conn, self.events_table_name):
                            super().create_table()
                        conn.execute(f"CREATE TABLE IF NOT EXISTS {self.meta_table} "
                                     f"(key text PRIMARY KEY, value text NOT NULL)")
                    finally:
                        conn.execute("SELECT pg_advisory_unlock(%s)", (TABLE_CREATION_LOCK,))
            self.datastore.register_type_adapters()

        @contextmanager
        def recording(self) -> Iterator[TeamSession]:
            """One transaction holding the log's write lock (the table lock eventsourcing's inserts take)
            from before the command reads the server's clock until it commits."""
            import psycopg
            with self.datastore.get_connection() as conn, conn.transaction(), conn.cursor() as curs:
                try:
                    self._lock_table(curs)
                except psycopg.errors.LockNotAvailable:
                    raise EventStoreBusy(f"the shared log stayed locked by other writers for "
                                         f"{self.datastore.lock_timeout} s; nothing was written, try again") from None
                session = self._held.session = TeamSession(self, conn, curs)
                try:
                    yield session
                    session.keep_mark()
                finally:
                    self._held.session = None

        def _tables_exist(self, conn) -> bool:
            return self._table_exists(conn, self.events_table_name) and self._table_exists(conn, META_TABLE)

        def _table_exists(self, conn, table: str) -> bool:
            name = f"{_quoted(self.datastore.schema)}.{_quoted(table)}"
            row = conn.execute("SELECT to_regclass(%s) IS NOT NULL AS found", (name,)).fetchone()
            return bool(row and row["found"])


def _quoted(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'
