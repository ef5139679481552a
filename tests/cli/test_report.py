"""`stratlog report`: one self-contained HTML file, offline, with every piece of data text escaped."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.conftest import write

HOSTILE = """
defaults:
  announced_on: 2023-06
  source: {title: "<script>alert(1)</script>", publisher: "Evil & Co", url: "https://evil.example/?a=1&b=2"}
statements:
  - {kind: brand-registered, brand: acme, name: "Acme <b>Cars</b>"}
  - {kind: model-planned, brand: acme, model: "\\"><img src=x onerror=alert(1)>", planned_for: 2025}
  - {kind: target-set, brand: acme, kpi: annual-sales, value: 1000, unit: vehicles, comparator: at-least, deadline: 2027}
"""
SLIPS = """
defaults: {source: {title: "Alpine results", publisher: "Renault Group", url: "https://example.com/results"}}
statements:
  - {kind: model-rescheduled, brand: alpine, model: A390, planned_for: 2025-Q4, announced_on: 2024-03}
  - {kind: model-revealed, brand: alpine, model: A290, revealed_on: 2024-06-13, announced_on: 2024-06-13}
  - {kind: target-revised, brand: alpine, kpi: annual-sales, deadline: 2030, value: 150000, announced_on: 2024-02}
  - {kind: actual-reported, brand: alpine, kpi: annual-sales, period: 2024, value: 4585, unit: vehicles,
     announced_on: 2025-01}
"""
NETWORK = [
    r"<script\b", r"<link\b", r"<iframe\b", r"<object\b", r"<embed\b", r"@import", r"url\(", r"\bfetch\(",
    r"XMLHttpRequest", r"<(?:img|image|audio|video|source|use)\b[^>]*\b(?:src|href)\s*=\s*[\"']?(?:https?:)?//",
]


def report(stratlog, db: str, tmp_path: Path, *args: str) -> str:
    out = tmp_path / "report.html"
    result = stratlog("--db", db, "report", *args, "--out", str(out))
    assert result.code == 0, result.err
    assert result.out.strip() == str(out)
    return out.read_text(encoding="utf-8")


@pytest.fixture
def demo_db(db, stratlog):
    assert stratlog("demo", "--db", db).code == 0
    return db


def test_the_report_of_the_alpine_demo_shows_its_models_targets_and_source(demo_db, stratlog, tmp_path):
    page = report(stratlog, demo_db, tmp_path, "--brand", "alpine", "--as-of", "2023-06-30")
    assert page.startswith("<!doctype html>") and page.rstrip().endswith("</html>")
    for subject in ("A290", "A390", "SUV 2027", "SUV 2028", "A110 E", "A110", "annual-sales 2030", "revenue 2026",
                    "profitability 2026", "AutoNation/US", "Renault Group"):
        assert f">{subject}<" in page or f">{subject} " in page, subject
    assert "Alpine. Laurent Rossi mise gros sur le marché américain" in page
    assert "30 June 2023 (2023-06-30)" in page
    assert page.count("<svg") >= 6
    assert 5_000 < len(page.encode()) < 3_000_000


def test_undated_subjects_are_listed_with_no_date_instead_of_a_marker(demo_db, stratlog, tmp_path):
    page = report(stratlog, demo_db, tmp_path, "--brand", "alpine", "--as-of", "2023-06-30")
    assert "launched, no date (on sale by 2023-06)" in page
    assert "planned, no date" in page


def test_the_report_makes_no_network_reference(demo_db, stratlog, tmp_path):
    assert stratlog("--db", demo_db, "import", write(tmp_path, "slips.yaml", SLIPS)).code == 0
    page = report(stratlog, demo_db, tmp_path, "--as-of", "2025-06-30")
    found = [pattern for pattern in NETWORK if re.search(pattern, page, re.IGNORECASE)]
    assert found == []
    assert "default-src 'none'" in page
    links = re.findall(r"<a\b[^>]*>", page)
    assert links == ['<a href="https://example.com/results" rel="noreferrer noopener" target="_blank">'] * len(links)
    assert links
    outside_links = re.sub(r"<a\b[^>]*>.*?</a>", "", page, flags=re.DOTALL)
    assert re.findall(r"(?:https?:)?//[\w.-]+", outside_links) == []


def test_a_slip_and_a_raise_are_drawn_and_listed(demo_db, stratlog, tmp_path):
    assert stratlog("--db", demo_db, "import", write(tmp_path, "slips.yaml", SLIPS)).code == 0
    page = report(stratlog, demo_db, tmp_path, "--brand", "alpine", "--as-of", "2025-06-30")
    assert "narrowed: 2025 → 2025-Q4" in page
    assert "revealed 2024-06-13" in page
    assert "raised 150k" in page
    assert "actual 2024: 4,585" in page


def test_hostile_text_from_the_data_is_shown_as_text(db, stratlog, tmp_path):
    assert stratlog("--db", db, "import", write(tmp_path, "hostile.yaml", HOSTILE)).code == 0
    page = report(stratlog, db, tmp_path, "--brand", "acme", "--as-of", "2023-06-30")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;" in page
    assert "Acme &lt;b&gt;Cars&lt;/b&gt;" in page and "Evil &amp; Co" in page
    assert 'href="https://evil.example/?a=1&amp;b=2"' in page
    for raw in ("<script", "<img", "<b>", "onerror=alert(1)>"):
        assert raw not in page


def test_the_report_as_known_at_an_earlier_instant_leaves_out_later_statements(demo_db, stratlog, tmp_path):
    assert stratlog("--db", demo_db, "import", write(tmp_path, "slips.yaml", SLIPS)).code == 0
    page = report(stratlog, demo_db, tmp_path, "--as-of", "2025-06-30", "--known-at", "2000-01-01")
    assert "No brand registered." not in page
    assert "database as known at 2000-01-01 23:59:59 UTC" in page
    assert "A290" not in page and "No model, market or target announced by this date." in page


def test_an_unknown_brand_is_refused_and_no_file_is_written(demo_db, stratlog, tmp_path):
    result = stratlog("--db", demo_db, "report", "--brand", "nope", "--out", str(tmp_path / "r.html"))
    assert result.code == 1
    assert "brand 'nope' is not registered (known brands: alpine)" in result.err
    assert not (tmp_path / "r.html").exists()


def test_the_output_file_is_required(demo_db, stratlog):
    result = stratlog("--db", demo_db, "report")
    assert result.code == 2
    assert "Missing option '--out'" in result.err


def test_our_correction_of_a_target_is_marked_as_our_fix_not_as_a_revision(demo_db, stratlog, tmp_path):
    sales = stratlog("--db", demo_db, "events", "--kind", "target-set", "--json")
    (statement_id,) = [r["statement_id"] for r in json.loads(sales.out) if r["kpi"] == "annual-sales"]
    assert stratlog("--db", demo_db, "correct", statement_id[:8], "--value", "120000", "--note", "typo").code == 0
    page = report(stratlog, demo_db, tmp_path, "--brand", "alpine", "--as-of", "2023-06-30")
    assert "corrected <span class='flag'>our fix</span>" in page
    assert "not revisions by the brand" in page
