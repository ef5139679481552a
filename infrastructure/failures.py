"""Plain words for what the machine refused: a full disk, read-only media, a write lock held too long."""

from __future__ import annotations

import errno

DISK_FULL, READ_ONLY, LOCKED = "disk-full", "read-only", "locked"
PLAIN = {
    DISK_FULL: "the disk is full",
    READ_ONLY: "the database cannot be written (read-only media, or a file or folder this user cannot write)",
    LOCKED: "another stratlog holds the write lock",
}


def failure_kind(error: BaseException) -> str | None:
    """DISK_FULL, READ_ONLY or LOCKED when the environment refused; None for anything else."""
    text, code = str(error).lower(), getattr(error, "errno", None)
    if "database or disk is full" in text or code == errno.ENOSPC:
        return DISK_FULL
    if "readonly database" in text or "read-only file system" in text or code in (errno.EROFS, errno.EACCES):
        return READ_ONLY
    if "locked" in text or "busy" in text:
        return LOCKED
    return None


def plain_cause(error: BaseException) -> str:
    """What went wrong in a few plain words, the library's own words kept in brackets."""
    text = " ".join(str(error).split())[:200] or type(error).__name__
    kind = failure_kind(error)
    return f"{PLAIN[kind]} ({text})" if kind else text
