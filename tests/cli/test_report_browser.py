"""The report in a real browser: headless Chromium loads it offline, logs no error, draws a real page, lays out
a busy brand's charts with no two labels intersecting, and prints it to PDF."""

from __future__ import annotations

import json
import os
import re
import shutil
import struct
import subprocess
import zlib
from html import unescape
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


MEASURE = """<script>
const charts = [...document.querySelectorAll("svg.chart:not(.key)")].map(svg => ({
  label: svg.getAttribute("aria-label"),
  texts: [...svg.querySelectorAll("text")].map(t => {
    const b = t.getBBox();
    return {text: t.firstChild.nodeValue, cls: t.getAttribute("class"), x: b.x, y: b.y, w: b.width, h: b.height};
  })}));
const out = document.createElement("pre");
out.id = "measured";
out.textContent = JSON.stringify(charts);
document.body.appendChild(out);
</script>"""


@pytest.fixture
def busy_page(tmp_path, db, stratlog):
    """The report of a made-up brand with 25 models and 40 targets (see test_report_charts.busy_brand)."""
    from tests.cli.test_report_charts import busy_brand
    assert stratlog("--db", db, "import", write(tmp_path, "busy.yaml", busy_brand())).code == 0
    page = tmp_path / "busy.html"
    assert stratlog("--db", db, "report", "--brand", "busy", "--as-of", "2025-06-30", "--out", str(page)).code == 0
    return page


def measured_text_boxes(browser: str, page: Path, tmp_path: Path) -> list[dict]:
    """Every chart's text boxes as Chromium lays them out (getBBox, in the chart's own units), measured on a
    copy of the page that carries a script (the report itself has none, and its policy forbids one)."""
    html = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", page.read_text(encoding="utf-8"))
    copy = tmp_path / "measure.html"
    copy.write_text(html.replace("</body>", MEASURE + "</body>"), encoding="utf-8")
    done = subprocess.run([browser, *FLAGS, f"--user-data-dir={tmp_path / 'profile'}", "--dump-dom", copy.as_uri()],
                          capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr[-2000:]
    found = re.search(r'<pre id="measured">(.*?)</pre>', done.stdout, re.DOTALL)
    assert found, done.stdout[-2000:]
    return json.loads(unescape(found.group(1)))


def overlapping(texts: list[dict]) -> list[tuple[str, str]]:
    return [(a["text"], b["text"]) for i, a in enumerate(texts) for b in texts[i + 1:]
            if min(a["x"] + a["w"], b["x"] + b["w"]) - max(a["x"], b["x"]) > 0.01
            and min(a["y"] + a["h"], b["y"] + b["h"]) - max(a["y"], b["y"]) > 0.01]


def test_no_two_text_boxes_of_a_busy_brands_charts_intersect_in_chromium(busy_page, tmp_path):
    charts = measured_text_boxes(chromium(), busy_page, tmp_path)
    assert len(charts) == 33 and sum(len(c["texts"]) for c in charts) > 600
    assert all(t["w"] > 0 for c in charts for t in c["texts"])  # really laid out, with a font
    assert {c["label"]: overlapping(c["texts"]) for c in charts} == {c["label"]: [] for c in charts}


def test_the_label_estimate_is_never_narrower_than_what_chromium_draws(busy_page, tmp_path):
    from stratlog.infrastructure.report_chart_style import BOLD, TEXT_SIZES
    from stratlog.infrastructure.report_labels import text_width
    charts = measured_text_boxes(chromium(), busy_page, tmp_path)
    narrow = [(t["text"], round(t["w"], 1), round(text_width(t["text"], TEXT_SIZES[css], css in BOLD), 1))
              for c in charts for t in c["texts"] for css in [t["cls"].split()[0]]
              if t["w"] > text_width(t["text"], TEXT_SIZES[css], css in BOLD) + 0.5]
    assert narrow == []


def test_the_printed_busy_report_has_a4_pages_and_a_drawn_first_page(busy_page, tmp_path):
    import pypdfium2 as pdfium  # the test extra: a PDF renderer in a wheel, nothing to install beside Chromium
    pdf = tmp_path / "busy.pdf"
    done = subprocess.run([chromium(), *FLAGS, f"--user-data-dir={tmp_path / 'profile'}", f"--print-to-pdf={pdf}",
                           "--no-pdf-header-footer", busy_page.as_uri()], capture_output=True, text=True, timeout=180)
    assert done.returncode == 0 and pdf.exists(), done.stderr[-2000:]
    document = pdfium.PdfDocument(str(pdf))
    assert len(document) >= 4
    width, height = document[0].get_size()
    assert (round(width), round(height)) == (595, 842)  # A4 portrait, in points, as the print stylesheet asks
    for index in (0, len(document) // 2):
        bitmap = document[index].render(scale=1)
        pixels, channels = bytes(bitmap.buffer), bitmap.n_channels
        sample = [pixels[row * bitmap.stride + x * channels:][:3]
                  for row in range(0, bitmap.height, 7) for x in range(0, bitmap.width, 5)]
        inked = sum(1 for p in sample if sum(p) < 600)
        assert len(set(sample)) > 30 and inked > len(sample) // 100, index  # text and charts, not a blank page
    text = "".join(document[i].get_textpage().get_text_range() for i in range(len(document)))
    assert "Busy Motors" in text and "Yes/no targets" in text and "KPI status as of 2025-06-30" in text
