"""The one place that turns --db, --read-model and the environment into stratlog's configuration."""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path

from stratlog.domain.errors import InvalidInput

DEFAULT_DB = "stratlog.db"
LOCK_TIMEOUT_SECONDS = 10


@dataclass(frozen=True)
class Settings:
    """Where the events live and where the read model lives."""

    db: str
    read_model: str
    lock_timeout: int = LOCK_TIMEOUT_SECONDS

    @property
    def team_mode(self) -> bool:
        return self.db.startswith(("postgresql://", "postgres://"))

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

    In SQLite mode the read model lives in the database file itself: --read-model is refused.
    """
    target = db or os.environ.get("STRATLOG_DB") or DEFAULT_DB
    timeout = _lock_timeout(os.environ.get("STRATLOG_LOCK_TIMEOUT"))
    if target.startswith(("postgresql://", "postgres://")):
        local = read_model or os.environ.get("STRATLOG_READ_MODEL") or str(_cache_file(target))
        return Settings(target, local, timeout)
    if read_model and read_model != target:
        raise InvalidInput(f"--read-model {read_model!r}: a separate read model is for team mode "
                           f"(--db postgresql://…); a SQLite database keeps its read model inside it")
    return Settings(target, target, timeout)


def _lock_timeout(text: str | None) -> int:
    """Seconds a writer waits for a busy database ($STRATLOG_LOCK_TIMEOUT, default 10)."""
    if not text:
        return LOCK_TIMEOUT_SECONDS
    if not text.isdigit() or not 1 <= int(text) <= 3600:
        raise InvalidInput(f"STRATLOG_LOCK_TIMEOUT: {text!r} is not a number of seconds from 1 to 3600")
    return int(text)


def shown(target: str) -> str:
    """A database target fit to print: a URL loses its password."""
    return re.sub(r"(//[^:/@]*):[^@/]*@", r"\1@", target)


def _cache_file(url: str) -> Path:
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "stratlog"
    safe = re.sub(r"[^A-Za-z0-9]+", "-", re.sub(r"//[^@/]*@", "//", url)).strip("-")[:60]
    digest = hashlib.sha256(url.encode()).hexdigest()[:10]
    return base / f"{safe}-{digest}.db"
