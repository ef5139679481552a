"""The report's charts: the required path and observed trend, labels that never overlap on a busy brand,
one compact number format, styles inside each SVG, yes/no targets as rows, and `report --charts DIR`."""

from __future__ import annotations

import json
import re
import sqlite3
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest

from stratlog.infrastructure.report_chart_style import BOLD, TEXT_SIZES
from stratlog.infrastructure.report_format import compact, compact_number, per_year
from stratlog.infrastructure.report_labels import Labels, Spot, box_of
from tests.conftest import write

KPIS = (("annual-sales", "vehicles", 20000), ("revenue", "EUR", 900_000_000), ("ebit-margin", "percent", 4),
        ("deliveries", "vehicles", 15000), ("profitability", "yes/no", None))
SCOPES = (None, "US", "CN", "EU", "UK", "JP", "KR", "IN")
GROWTH = """
defaults: {source: {title: "Alpine results", url: "https://example.com/results"}}
statements:
  - {kind: actual-reported, brand: alpine, kpi: annual-sales, period: 2023, value: 4000, unit: vehicles, announced_on: 2024-01}
  - {kind: actual-reported, brand: alpine, kpi: annual-sales, period: 2024, value: 4585, unit: vehicles, announced_on: 2025-01}
  - {kind: actual-reported, brand: alpine, kpi: revenue, period: 2023, value: {amount: 600000000, currency: EUR},
     unit: EUR, announced_on: 2024-01}
  - {kind: actual-reported, brand: alpine, kpi: revenue, period: 2024, value: {amount: 900000000, currency: EUR},
     unit: EUR, announced_on: 2025-01}
"""


def busy_brand() -> str:
    """A made-up brand with 25 models (plans, slips, reveals, launches, cancellations) and 40 targets (every
    KPI and scope, deadlines 2026-2032, raises, deadline moves, withdrawals, five years of actuals)."""
    lines = ['defaults: {source: {title: "Busy Motors annual report", url: "https://example.com/busy"}}',
             "statements:", "  - {kind: brand-registered, brand: busy, name: Busy Motors, parent: Busy Group}"]
    for i in range(25):
        model, year = f"Model {i + 1:02d} Grand Tourer" if i % 4 == 0 else f"M{i + 1:02d}", 2024 + i % 6
        lines.append(f"  - {{kind: model-planned, brand: busy, model: {model}, planned_for: {year}, announced_on: 2023-03}}")
        if i % 3 == 0:
            lines.append(f"  - {{kind: model-rescheduled, brand: busy, model: {model}, planned_for: {year + 1}-Q2, "
                         f"announced_on: 2023-11}}")
        if i % 5 == 1 and year <= 2025:
            lines.append(f"  - {{kind: model-revealed, brand: busy, model: {model}, revealed_on: {year}-03-10, "
                         f"announced_on: {year}-03-10}}")
            lines.append(f"  - {{kind: model-launched, brand: busy, model: {model}, launched_on: {year}-05-20, "
                         f"announced_on: {year}-05-20}}")
        if i % 7 == 6:
            lines.append(f"  - {{kind: model-cancelled, brand: busy, model: {model}, cancelled_on: 2024-08-01, "
                         f"announced_on: 2024-08}}")
    for i in range(40):
        kpi, unit, base = KPIS[i % 5]
        scope, deadline = SCOPES[i % 8], 2026 + i % 7
        where = f", scope: {scope}" if scope else ""
        lines.append(f"  - {{kind: target-set, brand: busy, kpi: {kpi}{where}, deadline: {deadline}, "
                     f"value: {_value(kpi, base, 3) if base else 'true'}, unit: {unit}, "
                     f"comparator: {'at-least' if base else 'exactly'}, announced_on: 2023-03}}")
        if i % 3 == 0 and base:
            lines.append(f"  - {{kind: target-revised, brand: busy, kpi: {kpi}{where}, deadline: {deadline}, "
                         f"value: {_value(kpi, base, 4)}, announced_on: 2024-03}}")
        if i % 5 == 2:
            lines.append(f"  - {{kind: target-revised, brand: busy, kpi: {kpi}{where}, deadline: {deadline}, "
                         f"new_deadline: {deadline + 1}, announced_on: 2024-09}}")
        if i % 11 == 10:
            lines.append(f"  - {{kind: target-withdrawn, brand: busy, kpi: {kpi}{where}, "
                         f"deadline: {deadline + (1 if i % 5 == 2 else 0)}, announced_on: 2025-02}}")
        for year in range(2021, 2026) if base else ():
            lines.append(f"  - {{kind: actual-reported, brand: busy, kpi: {kpi}{where}, period: {year}, "
                         f"value: {_value(kpi, base, 1.2 ** (year - 2021))}, unit: {unit}, announced_on: {year + 1}-02}}")
    return "\n".join(lines) + "\n"


def _value(kpi: str, base: float, factor: float) -> str:
    number = round(base * factor) if kpi != "ebit-margin" else round(base * factor, 1)
    return f"{{amount: {number}, currency: EUR}}" if kpi == "revenue" else str(number)


def report(stratlog, db: str, tmp_path: Path, *args: str) -> str:
    out = tmp_path / "report.html"
    result = stratlog("--db", db, "report", *args, "--out", str(out))
    assert result.code == 0, result.err
    return out.read_text(encoding="utf-8")


def charts_of(page: str) -> list[ElementTree.Element]:
    """Every chart of a page, parsed as XML (the legend's icons left out)."""
    return [ElementTree.fromstring(svg) for svg in re.findall(r'<svg class="chart (?!key).*?</svg>', page, re.DOTALL)]


def estimated_boxes(chart: ElementTree.Element) -> list[tuple[str, object]]:
    out = []
    for text in chart.iter("text"):
        css = text.get("class").split()[0]
        out.append((text.text, box_of(text.text, float(text.get("x")), float(text.get("y")), text.get("text-anchor"),
                                      TEXT_SIZES[css], css in BOLD)))
    return out


@pytest.fixture
def busy_db(db, stratlog, tmp_path):
    assert stratlog("--db", db, "import", write(tmp_path, "busy.yaml", busy_brand())).code == 0
    return db


@pytest.fixture
def demo_db(db, stratlog, tmp_path):
    assert stratlog("demo", "--db", db).code == 0
    assert stratlog("--db", db, "import", write(tmp_path, "growth.yaml", GROWTH)).code == 0
    return db


def test_the_busy_brand_has_25_models_and_40_targets(busy_db, stratlog):
    kpis = json.loads(stratlog("--db", busy_db, "kpis", "--brand", "busy", "--as-of", "2025-06-30", "--json").out)
    timeline = json.loads(stratlog("--db", busy_db, "timeline", "--brand", "busy", "--as-of", "2025-06-30", "--json").out)
    assert len(kpis) == 40
    assert len([r for r in timeline if r["subject_type"] == "model"]) == 25


def test_no_two_labels_of_a_busy_brands_charts_overlap_by_their_estimated_boxes(busy_db, stratlog, tmp_path):
    charts = charts_of(report(stratlog, busy_db, tmp_path, "--brand", "busy", "--as-of", "2025-06-30"))
    assert len(charts) == 1 + 32  # the timeline and one chart per numeric target (8 are yes/no)
    overlaps = [(chart.get("aria-label"), a, b) for chart in charts
                for i, (a, box_a) in enumerate(estimated_boxes(chart))
                for b, box_b in estimated_boxes(chart)[i + 1:] if box_a.hits(box_b, gap=0)]
    assert overlaps == []
    timeline = estimated_boxes(charts[0])
    assert len(timeline) > 100  # names, statuses, slips, milestones, 32 deadline labels: staggered, not dropped
    assert sum(1 for text, _ in timeline if " · " in text and text.split(" · ")[1] in (
        "on-track", "at-risk", "off-track", "pending", "withdrawn", "achieved", "missed", "overdue")) >= 30


def test_a_label_with_no_free_spot_is_left_out_and_the_first_free_spot_is_taken():
    labels = Labels(200, 100)
    first = labels.place("launched 2024-05", [Spot(10, 20)], "actual-label", 10)
    assert first.startswith('<text class="actual-label" x="10" y="20"')
    assert labels.place("revealed 2024-03", [Spot(12, 22)], "actual-label", 10) == ""
    moved = labels.place("revealed 2024-03", [Spot(12, 22), Spot(12, 40)], "actual-label", 10, tip="A290: revealed")
    assert 'y="40"' in moved and "<title>A290: revealed</title>" in moved
    assert labels.place("a label far too wide for this chart", [Spot(150, 80)], "actual-label", 10) == ""


def test_a_label_is_measured_and_written_as_shown_with_markup_escaped_and_bidi_characters_spelled_out():
    placed = Labels(400).place("<b>\u202eA290", [Spot(10, 20)], "actual-label", 10)
    assert ">&lt;b&gt;\\u202eA290</text>" in placed
    labels = Labels(400)
    labels.place("<b>\u202eA290", [Spot(10, 20)], "actual-label", 10)
    assert labels.boxes[0].right - labels.boxes[0].left > 10 * 12 * 0.5  # the 12 characters shown, not 8


@pytest.mark.parametrize("value, unit, shown", [
    (4585, "vehicles", "4,585"), (125000, "vehicles", "125k"), (12500, None, "12.5k"), (999_999, None, "1 M"),
    ({"amount": "1200000000", "currency": "EUR"}, "EUR", "1.2 bn EUR"), (40, "percent", "40 %"),
    ({"low": 150000, "high": 200000}, "vehicles", "150k–200k"), (True, "yes/no", "yes"), (2.5, None, "2.5"),
    ({"amount": "500000000", "currency": "EUR"}, "EUR", "500 M EUR"), (None, None, "")])
def test_one_compact_number_format(value, unit, shown):
    assert compact(value, unit) == shown


def test_growth_rates_are_signed_percent_per_year():
    assert (per_year(25.74), per_year(-3.0), per_year(None), compact_number(-12345)) == ("+25.7 %/yr", "-3 %/yr", "", "-12.3k")


def test_a_live_target_shows_the_path_it_requires_beside_the_observed_trend(demo_db, stratlog, tmp_path):
    page = report(stratlog, demo_db, tmp_path, "--brand", "alpine", "--as-of", "2025-06-30")
    sales = next(c for c in charts_of(page) if c.get("aria-label") == "annual-sales 2030")
    lines = {p.get("class"): p for p in sales.iter("polyline")}
    assert set(lines) == {"actual-line", "required", "observed off-track"}
    words = [t.text for t in sales.iter("text")]
    assert "needs +67.2 %/yr" in words and "observed +14.6 %/yr" in words
    required = [tuple(map(float, xy.split(","))) for xy in lines["required"].get("points").split()]
    ring = next(c for c in sales.iter("circle") if c.get("class") == "goal-mark")
    assert required[-1] == (float(ring.get("cx")), float(ring.get("cy")))  # the path ends on the target
    observed = [float(xy.split(",")[1]) for xy in lines["observed off-track"].get("points").split()]
    assert observed[-1] > required[-1][1]  # below the target (y grows down): off track, visibly


def test_the_kpi_table_shows_the_observed_growth_beside_the_required(demo_db, stratlog, tmp_path):
    page = report(stratlog, demo_db, tmp_path, "--brand", "alpine", "--as-of", "2025-06-30")
    table = page[page.index("<h2>KPI status"):]
    assert "<th>needs %/yr</th><th>observed %/yr</th>" in table
    rows = {re.sub("<[^>]+>", "|", row) for row in re.findall(r"<tr>(.*?)</tr>", table)}
    assert any("|annual-sales|" in r and "|+67.2|" in r and "|+14.6|" in r and "|4,585|" in r for r in rows)
    assert any("|revenue|" in r and "|2026|" in r and "|+49.1|" in r and "|+50|" in r and "|900 M EUR|" in r for r in rows)
    assert any("|new-models|" in r and "|||" in r for r in rows)  # nothing reported: both rates empty


def test_yes_no_targets_are_table_rows_not_empty_chart_cards(demo_db, stratlog, tmp_path):
    page = report(stratlog, demo_db, tmp_path, "--brand", "alpine", "--as-of", "2023-06-30")
    assert "Not a number, so no chart" not in page
    assert "<h3>Yes/no targets</h3>" in page
    assert "<td><strong>profitability 2026</strong></td><td>exactly yes in 2026</td>" in page
    assert "profitability 2026" not in [c.get("aria-label") for c in charts_of(page)]


def test_each_chart_carries_its_own_styles_without_page_variables(demo_db, stratlog, tmp_path):
    charts = charts_of(report(stratlog, demo_db, tmp_path, "--brand", "alpine", "--as-of", "2025-06-30"))
    styles = [c.find("style") for c in charts]
    assert len(charts) == 6 and all(s is not None and ".chart text{" in s.text for s in styles)
    assert not any("var(" in s.text for s in styles)


def test_the_time_axis_is_clamped_to_the_data_and_a_far_as_of_date_marked_at_its_edge(demo_db, stratlog, tmp_path):
    charts = charts_of(report(stratlog, demo_db, tmp_path, "--brand", "alpine", "--as-of", "2045-06-30"))
    years = [int(t.text) for t in charts[0].iter("text") if t.get("class") == "year"]
    assert (min(years), max(years)) == (2024, 2030)
    assert "as of 2045-06-30 →" in [t.text for t in charts[0].iter("text")]


def test_report_charts_writes_each_chart_as_a_standalone_svg_file(demo_db, stratlog, tmp_path):
    folder = tmp_path / "charts"
    result = stratlog("--db", demo_db, "report", "--brand", "alpine", "--as-of", "2025-06-30",
                      "--out", str(tmp_path / "r.html"), "--charts", str(folder))
    assert result.code == 0, result.err
    names = sorted(p.name for p in folder.iterdir())
    assert names == ["alpine-annual-sales-2030.svg", "alpine-new-models-2028.svg", "alpine-revenue-2026.svg",
                     "alpine-revenue-2030.svg", "alpine-revenue-growth-2026.svg", "alpine-timeline.svg"]
    assert result.out.splitlines() == [str(tmp_path / "r.html")] + [str(folder / n) for n in (
        "alpine-timeline.svg", "alpine-revenue-2026.svg", "alpine-revenue-growth-2026.svg", "alpine-new-models-2028.svg",
        "alpine-annual-sales-2030.svg", "alpine-revenue-2030.svg")]
    svg = ElementTree.parse(folder / "alpine-annual-sales-2030.svg").getroot()
    assert svg.tag == "{http://www.w3.org/2000/svg}svg" and (svg.get("width"), svg.get("height")) == ("580", "250")
    assert svg.find("{http://www.w3.org/2000/svg}style") is not None
    inline = next(c for c in charts_of((tmp_path / "r.html").read_text()) if c.get("aria-label") == "annual-sales 2030")
    assert [t.text for t in svg.iter("{http://www.w3.org/2000/svg}text")] == [t.text for t in inline.iter("text")]


def test_report_charts_alone_writes_no_page_and_a_second_run_replaces_the_files(demo_db, stratlog, tmp_path):
    folder = tmp_path / "charts"
    for _ in range(2):
        result = stratlog("--db", demo_db, "report", "--as-of", "2025-06-30", "--charts", str(folder))
        assert result.code == 0, result.err
    assert len(result.out.splitlines()) == 6 == len(list(folder.iterdir()))
    assert not list(tmp_path.glob("*.html"))


@pytest.mark.parametrize("target, message", [
    ("stratlog.db", "--charts: 'stratlog.db' is the database "),
    ("-", "--charts: '-' (standard output) cannot receive several chart files; give a folder"),
    ("missing/charts", "--charts: the folder of 'missing/charts' does not exist"),
    ("", "--charts: the folder name is empty; give a folder")])
def test_a_charts_folder_that_cannot_be_one_is_refused_and_nothing_is_written(demo_db, stratlog, tmp_path, target, message):
    before = sorted(p.name for p in tmp_path.iterdir())
    result = stratlog("--db", demo_db, "report", "--charts", target, "--out", str(tmp_path / "r.html"))
    assert result.code == 2
    assert message in result.err and "Traceback" not in result.err
    assert sorted(p.name for p in tmp_path.iterdir()) == before


def test_a_sqlite_file_where_a_chart_would_go_refuses_every_chart(demo_db, stratlog, tmp_path):
    folder = tmp_path / "charts"
    folder.mkdir()
    sqlite3.connect(folder / "alpine-timeline.svg").execute("CREATE TABLE t (x)").connection.commit()
    result = stratlog("--db", demo_db, "report", "--charts", str(folder))
    assert result.code == 2
    assert "alpine-timeline.svg' is a SQLite database" in result.err
    assert [p.name for p in folder.iterdir()] == ["alpine-timeline.svg"]


def test_an_unknown_brand_creates_no_charts_folder(demo_db, stratlog, tmp_path):
    result = stratlog("--db", demo_db, "report", "--brand", "nope", "--charts", str(tmp_path / "charts"))
    assert result.code == 1
    assert not (tmp_path / "charts").exists()


def test_neither_out_nor_charts_is_a_usage_error(demo_db, stratlog):
    result = stratlog("--db", demo_db, "report")
    assert result.code == 2
    assert "Missing option '--out' (or '--charts DIR')" in result.err


def test_a_long_subject_name_with_markup_is_cut_to_its_column_with_the_whole_name_in_a_tooltip(db, stratlog, tmp_path):
    name = "Very Long Model Name <b>Edition</b> 2025 Grand Tourer"
    data = ("statements:\n  - {kind: brand-registered, brand: acme, name: Acme}\n"
            f"  - {{kind: model-planned, brand: acme, model: {json.dumps(name)}, planned_for: 2025, announced_on: 2023-06,"
            " source: {title: t}}\n")
    assert stratlog("--db", db, "import", write(tmp_path, "long.yaml", data)).code == 0
    page = report(stratlog, db, tmp_path, "--brand", "acme", "--as-of", "2024-06-30")
    subject = next(t for t in charts_of(page)[0].iter("text") if t.get("class") == "subject")
    assert subject.text.endswith("…") and subject.text.startswith("Very Long Model")
    assert subject.find("title").text == name
    assert "<b>Edition" not in page and "&lt;b&gt;Edition" in page
