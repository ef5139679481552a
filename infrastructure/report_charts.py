"""`report --charts DIR`: each chart of the report as its own standalone SVG file, named after what it shows."""

from __future__ import annotations

import errno
import os
import re
import stat
from pathlib import Path

from stratlog.application.report_data import Report
from stratlog.domain.errors import InvalidInput
from stratlog.infrastructure.config import Settings
from stratlog.domain.dates import shown_text
from stratlog.infrastructure.outputs import OutputNotWritten, output_target, refuse_owned, text_output
from stratlog.infrastructure.report_svg import timeline_svg
from stratlog.infrastructure.report_target_svg import target_svg

XML = '<?xml version="1.0" encoding="UTF-8"?>\n'
_VIEWBOX = re.compile(r'viewBox="0 0 ([\d.]+) ([\d.]+)"')


def standalone(chart: str) -> str:
    """An inline chart as an SVG file: the SVG namespace and a size in px (its styles travel inside it)."""
    width, height = _VIEWBOX.search(chart).groups()
    return XML + chart.replace("<svg ", f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" ',
                               1) + "\n"


def slug(text: str) -> str:
    """A file-name-safe form of a label as it is shown: `annual-sales US 2030` → `annual-sales-us-2030`,
    `annual-sales FY2026/03` → `annual-sales-fy2026`."""
    return re.sub(r"[^a-z0-9]+", "-", shown_text(text).casefold()).strip("-")[:80] or "chart"


def chart_files(report: Report) -> list[tuple[str, str]]:
    """(file name, standalone SVG) of every chart the HTML report draws: per brand its timeline (when it has
    a subject or a target) and one chart per numeric target; names are unique (`-2` added on a clash)."""
    files, taken = [], set()
    for b in report.brands:
        charts = [("timeline", timeline_svg(b, report.as_of))] if b.subjects or b.targets else []
        charts += [(t.label, target_svg(t, report.as_of)) for t in b.targets if t.numeric]
        for what, chart in charts:
            name, n = f"{slug(b.brand)}-{slug(what)}", 1
            while (name if n == 1 else f"{name}-{n}") in taken:
                n += 1
            name = name if n == 1 else f"{name}-{n}"
            taken.add(name)
            files.append((f"{name}.svg", standalone(chart)))
    return files


def chart_folder(target: str, option: str, settings: Settings) -> Path:
    """The folder `report --charts` writes to, checked before anything is written (InvalidInput naming the
    option and the path): a folder, or a missing one whose parent folder exists (it is created later);
    never the database, its -wal/-shm/-journal, the read model or a link to them, existing or not."""
    if not target.strip():
        raise InvalidInput(f"{option}: the folder name is empty; give a folder")
    if target == "-":
        raise InvalidInput(f"{option}: '-' (standard output) cannot receive several chart files; give a folder")
    refuse_owned(target, option, settings, "folder")
    try:
        mode = os.stat(target).st_mode
    except (OSError, ValueError):
        mode = None
    if mode is not None and not stat.S_ISDIR(mode):
        raise InvalidInput(f"{option}: {target!r} exists and is not a folder; give a folder (created when missing)")
    if mode is None and not Path(os.path.abspath(target)).parent.is_dir():
        raise InvalidInput(f"{option}: the folder of {target!r} does not exist")
    return Path(target)


def planned_charts(folder: Path, option: str, report: Report, settings: Settings,
                   page: str | None = None) -> list[tuple[str, str]]:
    """(path, standalone SVG) of every chart file, each checked as `--out` is (never the database, the read
    model, a SQLite file or a folder) and against the report's page `page`, before any file is written;
    InvalidInput names the option and the path."""
    files = [(str(folder / name), text) for name, text in chart_files(report)]
    taken = os.path.realpath(page) if page is not None and page.strip() not in ("", "-") else None
    if taken is not None and os.path.realpath(folder) == taken:
        raise InvalidInput(f"{option}: {str(folder)!r} is the report page --out writes; give another folder")
    for path, _ in files:
        if taken is not None and os.path.realpath(path) == taken:
            raise InvalidInput(f"{option}: {path!r} is the report page --out writes; give another folder or page")
        if folder.is_dir():
            output_target(path, option, settings)
    return files


def write_charts(folder: Path, option: str, files: list[tuple[str, str]], settings: Settings) -> list[str]:
    """Write the planned chart files (see `planned_charts`) into `folder` (created if missing), each replaced
    whole once complete. Returns the paths written; OutputNotWritten when the folder cannot be created."""
    try:
        folder.mkdir(exist_ok=True)
    except OSError as error:
        why = "the disk is full" if error.errno == errno.ENOSPC else f"cannot create it ({error.strerror})"
        raise OutputNotWritten(f"{option}: {why}; {str(folder)!r} was not written (nothing was written)") from None
    for path, text in files:
        with text_output(output_target(path, option, settings)) as handle:
            handle.write(text)
    return [path for path, _ in files]
