"""The output streams: UTF-8 whatever the locale, and whether the terminal can show box-drawing rules."""

from __future__ import annotations

import codecs
import os
import sys

_BOX = "─…"
_shows_boxes = True


def use_utf8() -> None:
    """Write UTF-8 to stdout and stderr (a C or Latin-1 locale would crash or garble non-ASCII text);
    remember whether the stream's own encoding could show box characters, for the table rules."""
    global _shows_boxes
    _shows_boxes = can_encode(getattr(sys.stdout, "encoding", None), _BOX)
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None and not _is_utf8(getattr(stream, "encoding", None)):
            reconfigure(encoding="utf-8", errors="backslashreplace")


def can_encode(encoding: str | None, text: str) -> bool:
    """Whether `text` can be written in `encoding` (ascii when unknown); False for an unknown encoding."""
    try:
        text.encode(encoding or "ascii")
        return True
    except (UnicodeEncodeError, LookupError):
        return False


def _is_utf8(encoding: str | None) -> bool:
    try:
        return codecs.lookup(encoding or "ascii").name == "utf-8"
    except LookupError:
        return False


def shows_boxes() -> bool:
    """Whether tables may draw their rules with box characters (─) and cut cells with an ellipsis (…)."""
    return _shows_boxes


def utf8_arguments(argv: list[str]) -> list[str]:
    """Arguments as the UTF-8 text a terminal sent, even when a C locale decoded them as bytes."""
    return [_utf8(argument) for argument in argv]


def _utf8(argument: str) -> str:
    try:
        return os.fsencode(argument).decode("utf-8")
    except UnicodeDecodeError:
        return argument
