"""The one place that turns --db, --read-model and the environment into stratlog's configuration."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, unquote

from stratlog.domain.errors import InvalidInput

DEFAULT_DB = "stratlog.db"
LOCK_TIMEOUT_SECONDS = 10


URL_SCHEME = re.compile(r"^\s*([A-Za-z][A-Za-z0-9+.-]*)://")  # any string with a scheme is a URL, never a path
# A team-mode URL mistyped without its `//` (postgresql:user:pw@host/db, postgresql//host/db): still a URL,
# refused as such, never a file path (it would put the password in folder names).
MISTYPED_TEAM_URL = re.compile(r"^\s*postgres(?:ql)?(?:\+[a-z0-9]+)?(?::(?!//)|//)", re.IGNORECASE)
TEAM_SCHEMES = ("postgresql", "postgres", "postgresql+psycopg")
DEFAULT_PORT = 5432
DEFAULT_USER = "postgres"
DEFAULT_HOST = "localhost"
URL_FORM = "postgresql://user:password@host:port/dbname"


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
        """The URL without its password: safe in messages and files, and the identity of the event store."""
        host = f"[{self.host}]" if ":" in self.host else quote(self.host, safe="")
        return f"postgresql://{quote(self.user, safe='')}@{host}:{self.port}/{quote(self.dbname, safe='')}"


@dataclass(frozen=True)
class Settings:
    """Where the events live and where the read model lives."""

    db: str
    read_model: str
    lock_timeout: int = LOCK_TIMEOUT_SECONDS
    address: ServerAddress | None = None  # team mode: the PostgreSQL server of the events

    @property
    def team_mode(self) -> bool:
        return self.address is not None

    def eventsourcing_env(self, read_only: bool = False) -> dict[str, str]:
        """The eventsourcing environment of the Ledger application (`read_only`: reads a SQLite file on
        read-only media, creating and writing nothing)."""
        env = {"MAPPER_TOPIC": "stratlog.infrastructure.mapper:PydanticMapper"}
        if self.team_mode:
            from stratlog.infrastructure.postgres_store import postgres_env
            return {**env, **postgres_env(self.db)}
        env.update({"PERSISTENCE_MODULE": "eventsourcing.sqlite", "SQLITE_DBNAME": self.db,
                    "SQLITE_LOCK_TIMEOUT": str(self.lock_timeout),
                    "APPLICATION_RECORDER_TOPIC": "stratlog.infrastructure.sqlite_store:LockingRecorder"})
        if read_only:
            from stratlog.infrastructure.sqlite_guard import read_only_uri
            env.update({"SQLITE_DBNAME": read_only_uri(self.db), "CREATE_TABLE": "false"})
        return env


def settings(db: str | None = None, read_model: str | None = None) -> Settings:
    """Settings from the options, else $STRATLOG_DB / $STRATLOG_READ_MODEL, else the defaults.

    A target with a URL scheme is a URL: postgresql:// (or postgres://, postgresql+psycopg://, any
    case) selects team mode, any other scheme is refused; it is never taken for a file path.
    In SQLite mode the read model lives in the database file itself: --read-model is refused.
    """
    option = "--db" if db or not os.environ.get("STRATLOG_DB") else "STRATLOG_DB"
    target = db or os.environ.get("STRATLOG_DB") or DEFAULT_DB
    timeout = _lock_timeout(os.environ.get("STRATLOG_LOCK_TIMEOUT"))
    if read_model and is_url(read_model):
        raise InvalidInput(f"--read-model {shown(read_model)!r}: the read model is a local SQLite file, not a URL")
    if is_url(target):
        address = parse_url(target, option)
        local = read_model or os.environ.get("STRATLOG_READ_MODEL") or str(_cache_file(address))
        if is_url(local):
            raise InvalidInput(f"STRATLOG_READ_MODEL {shown(local)!r}: the read model is a local SQLite file, not a URL")
        return Settings(target.strip(), local, timeout, address)
    if read_model and read_model != target:
        raise InvalidInput(f"--read-model {read_model!r}: a separate read model is for team mode "
                           f"(--db postgresql://…); a SQLite database keeps its read model inside it")
    return Settings(target, target, timeout)


RECORDING_VARIABLES = {  # what `record` takes from the environment for an option not given
    "STRATLOG_ANNOUNCED_ON": "announced_on", "STRATLOG_SOURCE_TITLE": "source.title",
    "STRATLOG_SOURCE_URL": "source.url", "STRATLOG_SOURCE_PUBLISHER": "source.publisher",
    "STRATLOG_SOURCE_SPEAKER": "source.speaker", "STRATLOG_SOURCE_LANGUAGE": "source.language",
}


def recording_defaults() -> dict[str, tuple[str, str]]:
    """{field path: (value, the variable it came from)} of the set, non-blank $STRATLOG_ANNOUNCED_ON and
    $STRATLOG_SOURCE_TITLE, _URL, _PUBLISHER, _SPEAKER, _LANGUAGE (`source.title`…): what `record` uses
    for the announcement date and source fields not given as options (never the quote)."""
    found = {}
    for variable, path in RECORDING_VARIABLES.items():
        value = os.environ.get(variable, "").strip()
        if value:
            found[path] = (value, f"${variable}")
    return found


def is_url(target: str) -> bool:
    """Whether a --db target has a URL scheme (then it is a URL, supported or not, never a file path)."""
    return URL_SCHEME.match(target) is not None or MISTYPED_TEAM_URL.match(target) is not None


def parse_url(url: str, option: str = "--db") -> ServerAddress:
    """postgresql://user:password@host:port/dbname, percent-decoded (port 5432 and user postgres by default).

    The user information ends at the last `@` before the path, and the user at its first `:`, so a
    password may hold `/`, `@`, `:` or `#` as it is. A message never shows the password.
    """
    text = url.strip()
    if MISTYPED_TEAM_URL.match(text):
        raise InvalidInput(f"{option}: {shown_mistyped(text)!r} looks like a team-mode URL without its '://'; "
                           f"give {URL_FORM}")
    match = URL_SCHEME.match(text)
    scheme = match.group(1).lower() if match else ""
    if scheme not in TEAM_SCHEMES:
        given = f"the scheme {scheme}:// is not supported" if match else "it is not a URL"
        raise InvalidInput(f"{option}: {shown(text)!r}: {given}; team mode takes {URL_FORM} (postgres:// and "
                           f"postgresql+psycopg:// too), and a SQLite database is a file path without a scheme")
    rest = text[match.end():]
    at = rest.rfind("@", 0, max(rest.rfind("/"), 0))
    userinfo, location = (rest[:at], rest[at + 1:]) if at >= 0 else ("", rest)
    hostport, _, path = location.partition("/")
    options = min((location.find(m) for m in "?#" if m in location), default=-1)
    if options >= 0 and (at >= 0 or "@" not in location):  # then `location` holds no password: safe to show
        raise InvalidInput(f"{option}: URL options such as {location[options:]!r} are not supported; give {URL_FORM}")
    if options >= 0 or not path or "/" in path:
        raise InvalidInput(f"{option}: {shown(text)!r} names no database; give {URL_FORM}")
    host, port = _host_and_port(hostport, text, option)
    user, _, password = userinfo.partition(":")
    return ServerAddress(unquote(host) or DEFAULT_HOST, port, unquote(user) or DEFAULT_USER, unquote(password),
                         unquote(path))


def _host_and_port(hostport: str, text: str, option: str) -> tuple[str, int]:
    if hostport.startswith("[") and "]" in hostport:
        host, rest = hostport[1:hostport.index("]")], hostport[hostport.index("]") + 1:]
        port = rest.removeprefix(":")
    else:
        host, _, port = hostport.partition(":")
    if not port:
        return host, DEFAULT_PORT
    if not port.isdigit() or not 1 <= int(port) <= 65535:
        raise InvalidInput(f"{option}: the port of {shown(text)!r} is not a number from 1 to 65535")
    return host, int(port)


def _lock_timeout(text: str | None) -> int:
    """Seconds a writer waits for a busy database ($STRATLOG_LOCK_TIMEOUT, default 10)."""
    if not text:
        return LOCK_TIMEOUT_SECONDS
    if not text.isdigit() or not 1 <= int(text) <= 3600:
        raise InvalidInput(f"STRATLOG_LOCK_TIMEOUT: {text!r} is not a number of seconds from 1 to 3600")
    return int(text)


def shown(target: str) -> str:
    """A database target fit to print: a URL shows its user but never its password.

    Everything before the URL's last `@` is taken for user information (more than the parse takes,
    never less), so no spelling of a password reaches a message.
    """
    text = target.strip()
    match = URL_SCHEME.match(text)
    if not match:
        return target
    userinfo, at, location = text[match.end():].rpartition("@")
    if not at or ":" not in userinfo:
        return text
    return f"{text[:match.end()]}{userinfo.partition(':')[0]}:***@{location}"


def shown_mistyped(text: str) -> str:
    """A mistyped URL fit to print: whatever stands between its scheme and its last `@` is hidden."""
    head = re.match(r"^\s*postgres(?:ql)?(?:\+[a-z0-9]+)?[:/]*", text, re.IGNORECASE).group(0)
    _, at, location = text[len(head):].rpartition("@")
    return f"{head.strip()}***@{location}" if at else f"{head.strip()}***"


def _cache_file(address: ServerAddress) -> Path:
    """The default read model of an event store, in the user's cache folder as the platform places it
    (platformdirs: $XDG_CACHE_HOME/stratlog or ~/.cache/stratlog on Linux, ~/Library/Caches/stratlog on
    macOS, %LOCALAPPDATA%\\stratlog\\Cache on Windows): named (and hashed) after its URL without the password."""
    import hashlib  # here: only team mode names a cache file (every query pays the import otherwise)

    from platformdirs import user_cache_dir
    base = Path(user_cache_dir("stratlog", appauthor=False))
    url = address.url
    safe = re.sub(r"[^A-Za-z0-9]+", "-", url.removeprefix("postgresql://")).strip("-")[:60]
    digest = hashlib.sha256(url.encode()).hexdigest()[:10]
    return base / f"{safe}-{digest}.db"
