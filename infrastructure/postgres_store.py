"""The PostgreSQL event store of team mode: the URL as eventsourcing settings, table creation, connection errors."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import quote, unquote, urlsplit

from stratlog.domain.errors import InvalidInput, StratlogError

try:
    from eventsourcing.postgres import PostgresApplicationRecorder
except ImportError:  # the `postgres` extra is not installed: postgres_env() says how to install it
    PostgresApplicationRecorder = None

DEFAULT_PORT = 5432
DEFAULT_USER = "postgres"
DEFAULT_HOST = "localhost"
CONNECT_TIMEOUT_SECONDS = 5
LOCK_TIMEOUT_SECONDS = 10
TABLE_CREATION_LOCK = 0x5374726174  # pg advisory lock key: one first use at a time creates the tables
INSTALL_HINT = "pip install 'stratlog[postgres]'"


class ServerUnreachable(StratlogError):
    """Raised when the PostgreSQL server of team mode cannot be reached or refuses our credentials."""


class PostgresExtraMissing(StratlogError):
    """Raised when a postgresql:// URL is given but the PostgreSQL libraries are not installed."""


@dataclass(frozen=True)
class ServerAddress:
    """Where team mode's events live, parsed from a postgresql:// URL."""

    host: str
    port: int
    user: str
    password: str
    dbname: str

    @property
    def url(self) -> str:
        """The URL without its password: safe in messages, and the identity of the event store."""
        host = f"[{self.host}]" if ":" in self.host else quote(self.host, safe="")
        return f"postgresql://{quote(self.user, safe='')}@{host}:{self.port}/{quote(self.dbname, safe='')}"


def parse_url(url: str) -> ServerAddress:
    """postgresql://user:password@host:port/dbname, percent-decoded (port 5432 and user postgres by default)."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("postgresql", "postgres"):
        raise InvalidInput(f"--db: {url!r} is not a postgresql:// URL")
    if parts.query or parts.fragment:
        raise InvalidInput(f"--db: URL options such as {'?' + parts.query if parts.query else '#' + parts.fragment!r} "
                           f"are not supported; give postgresql://user:password@host:port/dbname")
    try:
        port = parts.port or DEFAULT_PORT
    except ValueError:
        raise InvalidInput(f"--db: the port of {_without_password(url)!r} is not a number from 1 to 65535") from None
    dbname = unquote(parts.path.lstrip("/"))
    if not dbname or "/" in parts.path.lstrip("/"):
        raise InvalidInput(f"--db: {_without_password(url)!r} names no database; give postgresql://user@host:port/dbname")
    userinfo, _, hostport = parts.netloc.rpartition("@")
    user, _, password = userinfo.partition(":")
    if hostport.startswith("["):
        host = hostport[1:hostport.find("]")]
    else:
        host = hostport.rsplit(":", 1)[0]
    return ServerAddress(unquote(host) or DEFAULT_HOST, port, unquote(user) or DEFAULT_USER, unquote(password), dbname)


def postgres_env(url: str) -> dict[str, str]:
    """The eventsourcing environment of the Ledger for the event store at `url`."""
    if PostgresApplicationRecorder is None:
        raise PostgresExtraMissing(f"team mode (--db {_without_password(url)}) needs the PostgreSQL libraries: "
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


def _without_password(url: str) -> str:
    return re.sub(r"(//[^:/@]*):[^/]*@", r"\1:***@", url)


if PostgresApplicationRecorder is not None:
    class TeamRecorder(PostgresApplicationRecorder):
        """eventsourcing's PostgreSQL recorder, creating its tables only when they are missing, one process at a time.

        Concurrent first uses would otherwise race on CREATE TYPE / CREATE TABLE, and every command
        would re-run CREATE OR REPLACE FUNCTION, which fails when two writers do it at once.
        """

        def create_table(self) -> None:
            with self.datastore.get_connection() as conn:
                if not self._table_exists(conn):
                    conn.execute("SELECT pg_advisory_lock(%s)", (TABLE_CREATION_LOCK,))
                    try:
                        if not self._table_exists(conn):
                            super().create_table()
                    finally:
                        conn.execute("SELECT pg_advisory_unlock(%s)", (TABLE_CREATION_LOCK,))
            self.datastore.register_type_adapters()

        def _table_exists(self, conn) -> bool:
            name = f'"{self.datastore.schema}"."{self.events_table_name}"'
            row = conn.execute("SELECT to_regclass(%s) IS NOT NULL AS found", (name,)).fetchone()
            return bool(row and row["found"])
