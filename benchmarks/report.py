"""BENCHMARKS.md: the machine, the versions, the command, and one table of figures per history size."""

from __future__ import annotations

import os
import platform
import sqlite3
import subprocess
from dataclasses import dataclass, field
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path

from benchmarks.figures import Figure, show

SHOWN_MISMATCHES = 20
PACKAGES = ("stratlog", "eventsourcing", "pydantic", "pydantic-core", "click", "sqlite-utils")


@dataclass
class SizeReport:
    """Everything measured on one history size."""

    size: int
    title: str = ""
    facts: list[str] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    answers: object | None = None
    queries: str = ""
    failures: list[str] = field(default_factory=list)
    costs: dict[str, list[float]] = field(default_factory=dict)  # µs per statement of import, rebuild, verify


def machine() -> list[tuple[str, str]]:
    cpu = next((line.split(":", 1)[1].strip() for line in _lines("/proc/cpuinfo") if line.startswith("model name")),
               platform.processor() or "unknown")
    kib = next((int(line.split()[1]) for line in _lines("/proc/meminfo") if line.startswith("MemTotal:")), 0)
    return [("CPU", f"{cpu} (nproc {_nproc()})"), ("RAM", f"{kib / 1024 / 1024:.1f} GiB"),
            ("OS", f"{platform.system()} {platform.release()}"),
            ("Python", f"{platform.python_implementation()} {platform.python_version()}")]


def versions() -> list[tuple[str, str]]:
    found = []
    for name in PACKAGES:
        try:
            found.append((name, metadata.version(name)))
        except metadata.PackageNotFoundError:
            found.append((name, "not installed"))
    return found + [("SQLite (sqlite3.sqlite_version)", sqlite3.sqlite_version), ("commit", _commit())]


def _nproc() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 0


def _lines(path: str) -> list[str]:
    try:
        return Path(path).read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return []


def _commit() -> str:
    """The checked-out commit (read only: `git rev-parse`, `git status`), and whether the working tree held
    changes to tracked files when the report was written."""
    here = Path(__file__).resolve().parent
    try:
        done = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, timeout=10, cwd=here)
        changed = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], capture_output=True,
                                 text=True, timeout=10, cwd=here)
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    if done.returncode != 0:
        return "unknown"
    return done.stdout.strip() + (" (with uncommitted changes)" if changed.returncode != 0 or changed.stdout.strip() else "")


def render(command: str, settings: list[str], sizes: list[SizeReport], note: str = "") -> str:
    """The whole report: when and how it was measured, the machine, the versions, then each section."""
    now = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    out = ["# stratlog benchmarks", "", f"Measured {now} by `{command}`.", "", *([f"**{note}**", ""] if note else []),
           "| machine | |", "|---|---|", *[f"| {k} | {v} |" for k, v in machine()], "",
           "| software | version |", "|---|---|", *[f"| {k} | {v} |" for k, v in versions()], "",
           "## How to read this", "", *settings, ""]
    for size in sizes:
        out += _size_section(size)
    failures = [f for s in sizes for f in s.failures]
    out += ["## Failures", ""] + ([f"- {f}" for f in failures] if failures else ["None."]) + [""]
    return "\n".join(out)


def _size_section(size: SizeReport) -> list[str]:
    out = [f"## {size.title or f'{size.size:,} statements'}", "", *[f"- {fact}" for fact in size.facts], ""]
    if size.figures:
        out += ["| figure | min | median | max | baseline (median) | ratio | target (DESIGN 8b, at 1M) | met? |",
                "|---|---:|---:|---:|---:|---:|---|---|"]
        for f in size.figures:
            unit = f.series.unit
            baseline = show(f.baseline.median, f.baseline.unit) if f.baseline else "—"
            out.append(f"| {f.series.name} | {show(f.series.min, unit)} | {show(f.series.median, unit)} | "
                       f"{show(f.series.max, unit)} | {baseline} | {f.ratio_text()} | "
                       f"{f.target.text() if f.target else '—'} | {f.verdict()} |")
        out += ["", "Baselines, measured in the same run:", "", "| baseline | min | median | max |",
                "|---|---:|---:|---:|"]
        seen = set()
        for f in size.figures:
            b = f.baseline
            if b is not None and b.name not in seen:
                seen.add(b.name)
                out.append(f"| {b.name} | {show(b.min, b.unit)} | {show(b.median, b.unit)} | {show(b.max, b.unit)} |")
        out.append("")
    if size.answers is not None:
        out += _answers_section(size.answers, size.queries)
    return out


def _answers_section(answers, queries: str) -> list[str]:
    out = [f"Answers compared, read model vs naive fold: {answers.compared} ({queries}); "
           f"**mismatches: {len(answers.mismatches)}**", ""]
    shown = answers.mismatches[:SHOWN_MISMATCHES]
    out += [f"- {m}" for m in shown]
    if len(answers.mismatches) > len(shown):
        out.append(f"- … and {len(answers.mismatches) - len(shown)} more")
    return out + ([""] if shown else [])
