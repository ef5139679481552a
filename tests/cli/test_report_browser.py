"""The report in a real browser: headless Chromium loads it offline, logs no error and draws a real page."""

from __future__ import annotations

import json
import os
import shutil
import struct
import subprocess
import zlib
from pathlib import Path

import pytest

from tests.conftest import write

SLIPS = """
defaults: {source: {title: "Alpine results <script>alert(1)</script>", url: "https://example.com/results"}}
statements:
  - {kind: model-rescheduled, brand: alpine, model: A390, planned_for: 2026, announced_on: 2024-03}
  - {kind: model-revealed, brand: alpine, model: A290, revealed_on: 2024-06-13, announced_on: 2024-06-13}
  - {kind: target-revised, brand: alpine, kpi: annual-sales, deadline: 2030, value: 150000, announced_on: 2024-02}
  - {kind: actual-reported, brand: alpine, kpi: annual-sales, period: 2024, value: 4585, unit: vehicles,
     announced_on: 2025-01}
"""
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--enable-logging=stderr", "--v=0",
         "--host-resolver-rules=MAP * ~NOTFOUND", "--window-size=1280,2000"]


def chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        if os.environ.get("CI") == "true":
            pytest.fail("chromium is not installed but CI=true (.ci/run installs Debian's chromium package)")
        pytest.skip("chromium is not installed (apt-get install chromium); CI installs it")
    return found


@pytest.fixture
def shot(tmp_path, db, stratlog):
    """The report of the Alpine demo with a slip and a raise, loaded in headless Chromium."""
    browser = chromium()
    assert stratlog("demo", "--db", db).code == 0
    assert stratlog("--db", db, "import", write(tmp_path, "slips.yaml", SLIPS)).code == 0
    page = tmp_path / "report.html"
    assert stratlog("--db", db, "report", "--brand", "alpine", "--as-of", "2025-06-30", "--out", str(page)).code == 0
    png, net_log = tmp_path / "report.png", tmp_path / "net-log.json"
    done = subprocess.run([browser, *FLAGS, f"--user-data-dir={tmp_path / 'profile'}", f"--screenshot={png}",
                           f"--log-net-log={net_log}", page.as_uri()], capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr[-2000:]
    return {"page": page, "png": png, "net_log": net_log, "stderr": done.stderr}


def test_the_page_holds_no_script_and_chromium_logs_no_console_message(shot):
    assert "<script" not in shot["page"].read_text(encoding="utf-8").lower()
    console = [line for line in shot["stderr"].splitlines() if ":CONSOLE" in line or "Uncaught" in line]
    assert console == []


def test_the_page_makes_no_network_request_when_loaded(shot):
    assert page_requests(shot["net_log"]) == []


def test_the_screenshot_shows_a_drawn_page_not_a_blank_one(shot):
    width, height, pixels = read_png(shot["png"])
    assert (width, height) == (1280, 2000)
    colours = {pixels[i] for i in range(0, len(pixels), 7)}
    assert len(colours) > 50
    greys = [sum(p[:3]) / 3 for p in pixels[::97]]
    mean = sum(greys) / len(greys)
    assert sum((g - mean) ** 2 for g in greys) / len(greys) > 500      # not one flat colour
    assert pixels[10 * width + 10][:3] == (0x23, 0x34, 0x4A)            # the navy header band was painted
    assert pixels[(height - 1) * width + 3][:3] == (0xF5, 0xF7, 0xF9)  # on the page's calm grey background


def page_requests(net_log: Path) -> list[str]:
    """URLs the page asked for: requests whose initiator is an origin (the browser's own have none)."""
    log = json.loads(net_log.read_text(encoding="utf-8"))
    start_job = log["constants"]["logEventTypes"]["URL_REQUEST_START_JOB"]
    return [e["params"]["url"] for e in log["events"] if e["type"] == start_job
            and e.get("params", {}).get("initiator", "not an origin") != "not an origin"
            and not e["params"]["url"].startswith("file:")]


def read_png(path: Path) -> tuple[int, int, list[tuple[int, ...]]]:
    """Decode an 8-bit RGB or RGBA PNG with the standard library: (width, height, pixels row by row)."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    chunks, at = {}, 8
    while at < len(data):
        (size,), kind = struct.unpack(">I", data[at:at + 4]), data[at + 4:at + 8]
        chunks.setdefault(kind, []).append(data[at + 8:at + 8 + size])
        at += 12 + size
    width, height, depth, colour = struct.unpack(">IIBB", chunks[b"IHDR"][0][:10])
    assert depth == 8 and colour in (2, 6), (depth, colour)
    channels = 3 if colour == 2 else 4
    raw = zlib.decompress(b"".join(chunks[b"IDAT"]))
    rows, previous, stride = [], bytearray(width * channels), width * channels
    for y in range(height):
        line = raw[y * (stride + 1):(y + 1) * (stride + 1)]
        previous = unfilter(line[0], bytearray(line[1:]), previous, channels)
        rows.append(bytes(previous))
    return width, height, [tuple(row[i:i + channels]) for row in rows for i in range(0, stride, channels)]


def unfilter(kind: int, line: bytearray, above: bytearray, bpp: int) -> bytearray:
    """Undo one PNG row filter (none, sub, up, average, Paeth)."""
    if kind == 2:
        return bytearray((a + b) & 255 for a, b in zip(line, above))
    for i in range(len(line)):
        left = line[i - bpp] if i >= bpp else 0
        up, corner = above[i], (above[i - bpp] if i >= bpp else 0)
        if kind == 1:
            line[i] = (line[i] + left) & 255
        elif kind == 3:
            line[i] = (line[i] + (left + up) // 2) & 255
        elif kind == 4:
            p = left + up - corner
            pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
            line[i] = (line[i] + (left if pa <= pb and pa <= pc else up if pb <= pc else corner)) & 255
    return line
