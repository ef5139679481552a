"""Files that commands write: never a database they do not own, and only ever replaced whole."""

from __future__ import annotations

import contextlib
import errno
import io
import os
import secrets
import sqlite3
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, TextIO

from stratlog.domain.errors import InvalidInput, StratlogError
from stratlog.infrastructure.config import Settings

STDOUT = "-"
COMPANIONS = ("-wal", "-shm", "-journal")
TEMP_MARK = ".stratlog-tmp"
SQLITE_HEADER = b"SQLite format 3\x00"
DISK_FULL = {errno.ENOSPC, errno.EDQUOT}
NOT_WRITABLE = {errno.EACCES, errno.EPERM, errno.EROFS}
SQLITE_FULL, SQLITE_READONLY, SQLITE_CANTOPEN = 13, 8, 14


class OutputNotWritten(StratlogError):
    """Raised when an output file could not be written whole (disk full, read-only, no permission)."""


@dataclass(frozen=True)
class Output:
    """Where a command writes: a checked file, or standard output (path None)."""

    option: str
    target: str
    path: Path | None
    device: bool = False  # a pipe or device (/dev/null): written as a stream, never replaced


def output_target(target: str, option: str, settings: Settings, sqlite: bool = False,
                  ledger_copy: bool = False) -> Output:
    """Check an output before anything is opened; InvalidInput names the option and the path.

    Refused: the database, its -wal/-shm/-journal, the read model (and its companions), any link
    to them, a folder, a missing folder, and a file of the other kind (a SQLite file for a text
    output, a non-SQLite file for a SQLite output). `-` is standard output and an existing pipe
    or device is written as a stream, for text outputs only.
    """
    if not target.strip():
        raise InvalidInput(f"{option}: the file name is empty; give a file name" + ("" if sqlite else ", or - for standard output"))
    if target == STDOUT:
        if sqlite:
            raise InvalidInput(f"{option}: '-' (standard output) cannot receive a SQLite file; give a file name")
        return Output(option, target, None)
    refuse_owned(target, option, settings)
    path, mode = Path(os.path.realpath(target)), _mode(target)
    if mode is not None and stat.S_ISDIR(mode):
        raise InvalidInput(f"{option}: {target!r} is a folder; give a file name")
    if mode is not None and not stat.S_ISREG(mode):
        if sqlite:
            raise InvalidInput(f"{option}: {target!r} is a pipe or a device; a SQLite file needs a regular file")
        return Output(option, target, None, device=True)
    if not path.parent.is_dir():
        raise InvalidInput(f"{option}: the folder of {target!r} does not exist")
    _refuse_other_kind(path, option, target, sqlite)
    if sqlite:
        _refuse_another_ledger(path, option, target, settings if ledger_copy else None)
    return Output(option, target, path)


def _refuse_another_ledger(path: Path, option: str, target: str, copy_of: Settings | None) -> None:
    """A SQLite output never replaces a stratlog ledger, except (for a backup, `copy_of` given) an earlier
    copy of the very ledger being backed up: a file whose event log is a prefix of this one's."""
    if not path.exists():
        return
    try:
        conn = sqlite3.connect(f"{path.as_uri()}?immutable=1", uri=True)  # reads, even on a full or read-only disk
    except sqlite3.Error:
        return
    try:
        tables = {name for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if not tables & {"stored_events", "rm_statements"}:
            return  # not a ledger (a replay, or another SQLite file the other-kind check let through)
        if copy_of is not None and _earlier_copy(conn, tables, copy_of):
            return
    except sqlite3.Error:
        pass
    finally:
        conn.close()
    raise InvalidInput(f"{option}: {target!r} is a stratlog database that is not an earlier copy of this one; "
                       f"this output would replace it: choose another file (or delete it first)")


def _earlier_copy(copy: sqlite3.Connection, tables: set[str], settings: Settings) -> bool:
    """Whether `copy` holds an earlier state of this ledger: its log's first and last events are ours too."""
    if settings.team_mode or "stored_events" not in tables:
        return False
    ours = sqlite3.connect(f"{Path(settings.db).resolve().as_uri()}?mode=ro", uri=True)
    try:
        select = "SELECT originator_id, originator_version, topic, state FROM stored_events WHERE rowid=?"
        last = copy.execute("SELECT MAX(rowid) FROM stored_events").fetchone()[0]
        if last is None:
            return True  # an empty copy loses nothing
        return all(copy.execute(select, (n,)).fetchone() == ours.execute(select, (n,)).fetchone()
                   for n in {1, last})
    finally:
        ours.close()


def _owned_files(settings: Settings) -> list[tuple[str, str, str]]:
    """(what, its main file, the file) for every file the command reads: database and read model, with companions."""
    owners = [] if settings.team_mode else [("the database", settings.db)]
    if settings.read_model != settings.db:
        owners.append(("the read model", settings.read_model))
    files = []
    for what, base in owners:
        for name in dict.fromkeys([base, os.path.realpath(base)]):
            files.append((what, base, name))
            files.extend((f"the {suffix} file of {what}", base, name + suffix) for suffix in COMPANIONS)
    return files


def refuse_owned(target: str, option: str, settings: Settings, kind: str = "file") -> None:
    """Refuse (InvalidInput naming the option, the path and whose file it is) a path that is, or would
    be once created, the database, its -wal/-shm/-journal, the read model (and its companions) or a link
    to any of them: a file or a folder made there would make the database unreadable. `kind` is what the
    message asks for instead ("file", "folder")."""
    real, identity = os.path.realpath(target), _identity(target)
    for what, base, owned in _owned_files(settings):
        if real == os.path.realpath(owned) or (identity is not None and identity == _identity(owned)):
            how = "" if os.path.abspath(target) == os.path.abspath(owned) else " (through a link)"
            raise InvalidInput(f"{option}: {target!r} is {what} {base!r}{how}; writing there would destroy it: "
                               f"choose another {kind}")


def _mode(path: str) -> int | None:
    try:
        return os.stat(path).st_mode
    except (OSError, ValueError):
        return None


def _identity(path: str) -> tuple[int, int] | None:
    try:
        found = os.stat(path)
    except (OSError, ValueError):
        return None
    return found.st_dev, found.st_ino


def _refuse_other_kind(path: Path, option: str, target: str, sqlite: bool) -> None:
    try:
        with path.open("rb") as existing:
            head = existing.read(len(SQLITE_HEADER))
    except OSError:
        return  # absent (or unreadable: replacing it will say so)
    if head == SQLITE_HEADER and not sqlite:
        raise InvalidInput(f"{option}: {target!r} is a SQLite database; this output would replace it: "
                           f"choose another file (or delete it first)")
    if head and head != SQLITE_HEADER and sqlite:
        raise InvalidInput(f"{option}: {target!r} exists and is not a SQLite file; this SQLite output would "
                           f"replace it: choose another file (or delete it first)")


@contextlib.contextmanager
def text_output(output: Output) -> Iterator[TextIO]:
    """A UTF-8 text stream (whatever the locale) to standard output, or to a file replaced only when complete."""
    if output.device:
        with _failures_named(output), open(output.target, "w", encoding="utf-8", newline="\n") as stream:
            yield stream
        return
    if output.path is None:
        import sys
        sys.stdout.flush()
        stream = io.TextIOWrapper(sys.stdout.buffer, encoding="utf-8", newline="\n")
        try:
            yield stream
            stream.flush()
        finally:
            stream.detach()
        return
    with _failures_named(output), _Temporary(output.path, anonymous=True) as temporary:
        with open(temporary.fd, "w", encoding="utf-8", newline="\n", closefd=False) as stream:
            yield stream


@contextlib.contextmanager
def sqlite_output(output: Output) -> Iterator[str]:
    """The path of an empty temporary SQLite file, renamed over the output once the body completes."""
    with _failures_named(output), _Temporary(output.path, anonymous=False) as temporary:
        yield str(temporary.name)
        for suffix in COMPANIONS:  # a stale journal beside the old file must not be paired with the new one
            Path(f"{output.path}{suffix}").unlink(missing_ok=True)


@contextlib.contextmanager
def _failures_named(output: Output) -> Iterator[None]:
    """A full disk or an unwritable folder becomes a plain refusal naming the output."""
    kept = "the previous file is unchanged" if output.path and output.path.exists() else "nothing was written"
    try:
        yield
    except (OSError, sqlite3.OperationalError) as error:
        why = _why_not_written(error)
        if why is None:
            raise
        raise OutputNotWritten(f"{output.option}: {why}; {output.target!r} was not written ({kept})") from None


def _why_not_written(error: OSError | sqlite3.OperationalError) -> str | None:
    """The plain reason of a write that failed for want of room or permission; None for anything else."""
    if isinstance(error, OSError):
        if error.errno in DISK_FULL:
            return "the disk is full"
        return f"cannot write there ({error.strerror})" if error.errno in NOT_WRITABLE else None
    code = getattr(error, "sqlite_errorcode", 0) & 0xFF  # the primary code of an extended one
    if code == SQLITE_FULL:
        return "the disk is full"
    return f"cannot write there ({error})" if code in (SQLITE_READONLY, SQLITE_CANTOPEN) else None


class _Temporary:
    """A file in the output's folder that becomes the output by one rename, or disappears.

    Text outputs use an anonymous file (O_TMPFILE) where the system has them, so a killed command
    leaves no name behind; SQLite needs a name: `.NAME.PID-RANDOM.stratlog-tmp`, which the next
    output to the same file removes once its process is gone.
    """

    def __init__(self, final: Path, anonymous: bool):
        self.final = final
        self.name = final.parent / f".{final.name[:100]}.{os.getpid()}-{secrets.token_hex(4)}{TEMP_MARK}"
        self.anonymous, self.named, self.fd = anonymous, False, None

    def __enter__(self) -> _Temporary:
        _remove_abandoned(self.final)
        self.fd = _anonymous_file(self.final.parent) if self.anonymous else None
        if self.fd is None:
            self.fd = os.open(self.name, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o666)
            self.named = True
        _keep_mode(self.fd, self.final)
        return self

    def __exit__(self, kind, error, trace) -> None:
        try:
            if kind is None:
                self._commit()
        finally:
            if self.fd is not None:
                os.close(self.fd)
                self.fd = None
            if self.named:
                for suffix in ("", *COMPANIONS):
                    Path(f"{self.name}{suffix}").unlink(missing_ok=True)

    def _commit(self) -> None:
        os.fsync(self.fd)
        if not self.named:
            _name_anonymous(self.fd, self.name)
            self.named = True
        os.replace(self.name, self.final)
        self.named = False
        _sync_folder(self.final.parent)


def _anonymous_file(folder: Path) -> int | None:
    """An unnamed file in the folder (Linux O_TMPFILE with /proc to name it later), else None."""
    if not hasattr(os, "O_TMPFILE") or not os.path.isdir("/proc/self/fd"):
        return None
    try:
        return os.open(folder, os.O_TMPFILE | os.O_RDWR, 0o666)
    except OSError as error:
        if error.errno in DISK_FULL | NOT_WRITABLE:
            raise
        return None  # the file system has no anonymous files: a named temporary it is


def _name_anonymous(fd: int, name: Path) -> None:
    """Give an O_TMPFILE file a name (linkat through /proc; a folder fd makes os.link use linkat)."""
    folder = os.open(name.parent, os.O_RDONLY)
    try:
        os.link(f"/proc/self/fd/{fd}", name.name, dst_dir_fd=folder, follow_symlinks=True)
    finally:
        os.close(folder)


def _keep_mode(fd: int, final: Path) -> None:
    """A replaced file keeps its permissions (where the file system allows); a new one gets 0666 less the umask."""
    with contextlib.suppress(OSError):
        os.chmod(fd, final.stat().st_mode & 0o7777)


def _sync_folder(folder: Path) -> None:
    """Make the rename durable (best effort: some file systems cannot sync a folder)."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _remove_abandoned(final: Path) -> None:
    """Remove the temporaries a killed earlier output to the same file left behind (its process is gone)."""
    prefix = f".{final.name[:100]}."
    with contextlib.suppress(OSError), os.scandir(final.parent) as entries:
        for entry in entries:
            if entry.name.startswith(prefix) and TEMP_MARK in entry.name and not _alive(entry.name[len(prefix):]):
                Path(entry.path).unlink(missing_ok=True)


def _alive(rest: str) -> bool:
    pid = rest.split("-", 1)[0]
    if not pid.isdigit():
        return True  # not one of ours: leave it
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass  # it exists, and belongs to someone else
    return True
