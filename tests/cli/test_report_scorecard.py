"""The report opens with the scorecard: the track record, what changed since the previous quarter, stale
plans; with several brands, a table of contents and their records side by side first. Read back from the HTML."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from tests.cli.test_track_record import VELA
from tests.conftest import write

HOSTILE = """
defaults: {announced_on: 2023-06, source: {title: "s"}}
statements:
  - {kind: brand-registered, brand: acme, name: "Acme <b>Cars</b>"}
  - {kind: model-planned, brand: acme, model: "\\"><script>alert(1)</script>", planned_for: 2024}
"""


@pytest.fixture
def vela_db(db, stratlog, tmp_path) -> str:
    assert stratlog("--db", db, "import", write(tmp_path, "vela.yaml", VELA)).code == 0
    return db


def page(stratlog, db: str, tmp_path: Path, *args: str) -> str:
    out = tmp_path / "report.html"
    done = stratlog("--db", db, "report", *args, "--out", str(out))
    assert done.code == 0, done.err
    return out.read_text(encoding="utf-8")


def text(fragment: str) -> str:
    """What a reader sees of an HTML fragment: tags dropped, entities read, spaces collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def section(report: str, css_class: str) -> str:
    start = report.index(f"<section class='{css_class}'")
    return report[start:report.index("</section>", start)]


def figures(fragment: str, brand: str | None = None) -> dict[str, str]:
    where = f" data-brand='{brand}'" if brand else ""
    return {name: html.unescape(value) for name, value in
            re.findall(rf"<td class='num'{where} data-figure='(\w+)'>([^<]*)</td>", fragment)}


def test_the_report_opens_with_the_brands_track_record_as_of_its_date(vela_db, stratlog, tmp_path):
    report = page(stratlog, vela_db, tmp_path, "--brand", "vela", "--as-of", "2024-03-31")
    card = section(report, "scorecard")
    assert report.index("<section class='scorecard'") < report.index("Timeline: planned and actual dates")
    # As of 2024-03-31: T1 achieved; T2 lowered and T3 moved later (2 cuts), T5 raised in 2024-03 (1 raise);
    # Nova on time, Rigel late by 9 months, US overdue by 3 (2023-12-31 → 2024-03-31): mean (9 + 3) / 2 = 6.0.
    assert figures(card) == {"targets_judged": "1", "achieved": "1", "missed": "0", "withdrawn": "0", "overdue": "0",
                             "kept_rate": "100.0 %", "cuts": "2", "raises": "1", "plans_delivered": "2",
                             "on_time": "1", "late": "1", "cancelled": "0", "plans_overdue": "1",
                             "mean_slip_months": "6.0 months"}
    assert "Kept 1 of 1 targets judged (100.0 %), 0 overdue; 2 cut(s), 1 raise(s)." in text(card)


def test_the_scorecard_says_what_changed_since_the_previous_quarter_and_flags_stale_plans(vela_db, stratlog, tmp_path):
    card = text(section(page(stratlog, vela_db, tmp_path, "--brand", "vela", "--as-of", "2024-03-31"), "scorecard"))
    assert "Targets cut or raised since 2023-12-31 raise: annual-sales EU 2027 — raised 30,000 → 40,000 " \
           "(announced 2024-03)" in card
    assert "US (market): now overdue — planned for 2023, passed" in card
    assert "Vega (model): rescheduled later — 2024-Q1 → 2025-H2" in card
    assert "New statements since 2023-12-31: 5" in card and "target-revised annual-sales EU 2027 (2024-03)" in card
    assert "US planned for 2023, nothing stated since, as of 2024-03-31" in card


def test_several_brands_get_a_table_of_contents_and_their_records_side_by_side_first(vela_db, stratlog, tmp_path):
    report = page(stratlog, vela_db, tmp_path, "--as-of", "2025-06-30")
    side = section(report, "side")
    assert report.index("<section class='toc'") < report.index("<section class='side'") < report.index(
        "<section class='scorecard'")
    assert re.findall(r"<li><a href='#(brand-\w+)'>([^<]*)</a></li>", section(report, "toc")) == [
        ("brand-orbis", "Orbis"), ("brand-vela", "Vela Motors")]
    assert "id='brand-orbis'" in report and "id='brand-vela'" in report
    assert figures(side, "vela")["kept_rate"] == "33.3 %" and figures(side, "vela")["mean_slip_months"] == "10.0 months"
    assert figures(side, "orbis")["missed"] == "1" and figures(side, "orbis")["mean_slip_months"] == "—"


def test_brands_named_several_times_are_compared_and_one_brand_alone_is_not(vela_db, stratlog, tmp_path):
    both = page(stratlog, vela_db, tmp_path, "--brand", "vela", "--brand", "orbis", "--as-of", "2025-06-30")
    alone = page(stratlog, vela_db, tmp_path, "--brand", "vela", "--as-of", "2025-06-30")
    assert "<section class='side'" in both and both.count("<section class='scorecard'") == 2
    assert "<section class='side'" not in alone and alone.count("<section class='scorecard'") == 1


def test_hostile_names_in_the_scorecard_are_escaped_text(db, stratlog, tmp_path):
    assert stratlog("--db", db, "import", write(tmp_path, "hostile.yaml", HOSTILE)).code == 0
    report = page(stratlog, db, tmp_path, "--as-of", "2025-02-15")
    card = section(report, "scorecard")
    assert "&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt; (model): now overdue" in card
    assert "Acme &lt;b&gt;Cars&lt;/b&gt;" in card
    assert "<script" not in report and "<b>" not in report
