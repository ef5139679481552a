"""A database file a writing command creates: claimed until the command ends, removed if it recorded nothing.

Every writer opens its --db file through `open_for_writing`, which takes an exclusive flock on it: the
writer that finds the file empty (0 bytes: nothing has initialised it) keeps the lock until its command
ends or commits its first events (Claim.keep), so no other stratlog starts writing to a file that may yet
be removed; any other writer holds the lock only for the moment it takes to see that nobody is creating
the file. The flock is separate from SQLite's own locks. Only the process that created the file removes
it, only while it holds the claim, and only when the log is still empty: a refused first command leaves
no file behind, and no other writer's statements are ever in a file that gets removed.

Whoever reads a file to decide what it is (`check_database_file`) reads it `settled`: under a shared flock,
taken once no creator holds the file, so it never reads a database half-way through being made or being
removed (SQLite then answers "disk I/O error" or "unable to open database file").
"""

from __future__ import annotations

import os
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

try:
    import fcntl
except ImportError:  # no flock on this platform: a new database is created as before, and kept
    fcntl = None

from stratlog.domain.errors import StratlogError

POLL_SECONDS = 0.01
SIDE_FILES = ("-wal", "-shm", "-journal")
_HELD: dict[tuple[int, int], "Claim"] = {}  # this process's claims, by (device, inode)


class DatabaseBeingCreated(StratlogError):
    """Raised when another stratlog keeps creating the same new database longer than the lock timeout."""


class Claim:
    """The lock on a database file this command is the first to initialise."""

    def __init__(self, path: str, fd: int, created: bool, folders: list[Path]):
        self.path, self.fd, self.created, self.folders = path, fd, created, folders
        self.kept = False
        stat = os.fstat(fd)
        self.key = (stat.st_dev, stat.st_ino)
        _HELD[self.key] = self

    def keep(self) -> None:
        """The file holds committed events now, so it is kept: other processes may open it at once.

        Unlocks the flock but leaves the descriptor open until `release`: closing any descriptor of the
        file would drop the POSIX locks SQLite's open connections hold on it.
        """
        fcntl.flock(self.fd, fcntl.LOCK_UN)
        self.kept = True

    def release(self, remove: bool) -> bool:
        """Let other writers in; first remove the file (and its -wal/-shm) when `remove` and we created it.

        Returns whether the file was removed. Call it once every connection to the file is closed.
        """
        removed = remove and self.created and not self.kept
        if removed:
            for suffix in ("", *SIDE_FILES):
                Path(self.path + suffix).unlink(missing_ok=True)
            for folder in self.folders:  # the folders made for it, deepest first, when nothing else is in them
                if any(folder.iterdir()):
                    break
                folder.rmdir()
        _HELD.pop(self.key, None)
        os.close(self.fd)
        return removed


def open_for_writing(path: str, timeout: float) -> Claim | None:
    """The claim on `path` when this command initialises it (creating it, and its folders, if absent),
    else None once whoever is initialising it has finished (waiting at most `timeout` seconds)."""
    deadline = time.monotonic() + timeout
    folders = _make_folders(Path(path).parent)
    if fcntl is None:
        return None
    while True:
        try:
            fd, created = os.open(path, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o666), True
        except FileExistsError:
            try:
                fd, created = os.open(path, os.O_RDONLY), False
            except FileNotFoundError:
                continue  # removed by the writer that was creating it: create it ourselves
        stat = os.fstat(fd)
        if (stat.st_dev, stat.st_ino) in _HELD:  # this process is initialising it already
            os.close(fd)
            return None
        _lock(fd, deadline, path)
        if not _still_at(path, fd):
            os.close(fd)
            continue
        if os.fstat(fd).st_size == 0:
            return Claim(path, fd, created, folders)
        os.close(fd)  # initialised by someone else: nothing to wait for any more
        return None


@contextmanager
def settled(path: str, timeout: float) -> Iterator[None]:
    """Keep the file at `path` as it is while the block reads it: no other stratlog creating it, or removing it.

    Waits (at most `timeout` seconds, then DatabaseBeingCreated) while another stratlog holds the file's
    claim, then holds a shared flock until the block ends, so that no writer can claim it meanwhile (a
    writer only claims an empty file, and only under an exclusive flock). Nothing is held when the file is
    absent or cannot be opened (the block says why), or when this process is creating it.
    """
    fd = _settled_fd(path, time.monotonic() + timeout) if fcntl is not None else None
    try:
        yield
    finally:
        if fd is not None:
            os.close(fd)


def _settled_fd(path: str, deadline: float) -> int | None:
    """A descriptor holding a shared flock on the file at `path` once nobody creates it; None when nothing to hold."""
    while True:
        try:
            fd = os.open(path, os.O_RDONLY)
        except OSError:  # absent (a refused creator may just have removed it), a folder's rights, ...
            return None
        stat = os.fstat(fd)
        if (stat.st_dev, stat.st_ino) in _HELD:  # this process is creating it
            os.close(fd)
            return None
        _lock(fd, deadline, path, fcntl.LOCK_SH)
        if _still_at(path, fd):
            return fd
        os.close(fd)  # removed (or replaced) by the stratlog that was creating it: look again


def _make_folders(folder: Path) -> list[Path]:
    """Make a missing folder and its missing parents; returns those made, deepest first."""
    missing = []
    while not folder.exists():
        missing.append(folder)
        folder = folder.parent
    for made in reversed(missing):
        made.mkdir(exist_ok=True)
    return missing


def _lock(fd: int, deadline: float, path: str, kind: int | None = None) -> None:
    """Take the flock `kind` (exclusive by default) on `fd`, polling until `deadline`; closes `fd` on timeout."""
    while True:
        try:
            fcntl.flock(fd, (fcntl.LOCK_EX if kind is None else kind) | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            if time.monotonic() > deadline:
                os.close(fd)
                raise DatabaseBeingCreated(f"another stratlog is still creating the database {path!r}; "
                                           f"nothing was written, try again") from None
            time.sleep(POLL_SECONDS)


def _still_at(path: str, fd: int) -> bool:
    """Whether `path` still names the file `fd` is open on (not removed or replaced meanwhile)."""
    try:
        here = os.stat(path)
    except FileNotFoundError:
        return False
    mine = os.fstat(fd)
    return (here.st_dev, here.st_ino) == (mine.st_dev, mine.st_ino)
