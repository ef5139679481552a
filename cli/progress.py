"""A progress bar with rate and ETA on stderr, shown only when stderr is a terminal."""

from __future__ import annotations

import sys
import time
from typing import TextIO

from stratlog.application.ports import QUIET, Progress

WIDTH = 28
REFRESH_SECONDS = 0.2


class TerminalProgress:
    """Draws `label [#####-----] 45% 12,345/27,000 · 3,210/s · ETA 5s` on one line."""

    def __init__(self, stream: TextIO, clock=time.monotonic):
        self.stream, self.clock = stream, clock
        self.label, self.total, self.done, self.started, self.drawn = "", 0, 0, 0.0, 0.0

    def start(self, label: str, total: int) -> None:
        self.label, self.total, self.done = label, max(total, 0), 0
        self.started = self.drawn = self.clock()
        self._draw()

    def advance(self, steps: int = 1) -> None:
        self.done += steps
        if self.clock() - self.drawn >= REFRESH_SECONDS or 0 < self.total <= self.done:
            self._draw()

    def finish(self) -> None:
        self._draw()
        self.stream.write("\n")
        self.stream.flush()

    def line(self) -> str:
        elapsed = max(self.clock() - self.started, 1e-9)
        rate = self.done / elapsed
        if not self.total:  # a count without a known end (a file read as it streams)
            return f"{self.label} {self.done:,} · {rate:,.0f}/s · {elapsed:,.0f}s"
        share = min(self.done / self.total, 1.0) if self.total else 1.0
        filled = int(share * WIDTH)
        eta = (self.total - self.done) / rate if rate > 0 and self.total > self.done else 0.0
        return (f"{self.label} [{'#' * filled}{'-' * (WIDTH - filled)}] {share:4.0%} {self.done:,}/{self.total:,}"
                f" · {rate:,.0f}/s · ETA {eta:,.0f}s")

    def _draw(self) -> None:
        self.drawn = self.clock()
        self.stream.write("\r" + self.line())
        self.stream.flush()


def progress_for(stream: TextIO | None = None) -> Progress:
    """A bar on a terminal; silence for scripts, pipes and CI."""
    stream = stream or sys.stderr
    return TerminalProgress(stream) if stream.isatty() else QUIET
