"""`report`'s outputs: never a folder over the database's own files, every target checked before anything is
written, and fiscal years shown as written (`FY2026`, never the stored `FY2026/03`) in the page and chart files."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest

from stratlog.infrastructure.report_charts import slug
from stratlog.infrastructure.report_format import esc, visible


@pytest.fixture
def demo_db(db, stratlog):
    assert stratlog("demo", "--db", db).code == 0
    return db


@pytest.fixture
def fiscal_db(db, stratlog):
    """A brand whose fiscal year ends in March, with a target and a plant planned for FY2026."""
    source = ("--announced-on", "2024-06", "--source-title", "s")
    for args in (("brand-registered", "fyb", "--name", "FY Brand", "--fiscal-year-end", "3"),
                 ("target-set", "fyb", "--kpi", "annual-sales", "--value", "1000", "--unit", "vehicles",
                  "--comparator", "at-least", "--deadline", "FY2026", *source),
                 ("plant-planned", "fyb", "Works", "--planned-for", "FY2026", *source)):
        result = stratlog("--db", db, "record", *args)
        assert result.code == 0, result.err
    return db


def listing(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


@pytest.mark.parametrize("target, whose", [
    ("stratlog.db-journal", "the -journal file of the database 'stratlog.db'"),
    ("stratlog.db-wal", "the -wal file of the database 'stratlog.db'"),
    ("stratlog.db-shm", "the -shm file of the database 'stratlog.db'"),
    ("stratlog.db", "the database 'stratlog.db'")])
def test_a_charts_folder_named_as_the_database_or_its_companions_is_refused(demo_db, stratlog, tmp_path, target, whose):
    before = listing(tmp_path)
    result = stratlog("--db", "stratlog.db", "report", "--brand", "alpine", "--charts", target,
                      "--out", "r.html")
    assert result.code == 2
    assert f"--charts: '{target}' is {whose}; writing there would destroy it: choose another folder" in result.err
    assert "Traceback" not in result.err
    assert listing(tmp_path) == before
    assert stratlog("--db", "stratlog.db", "timeline", "--brand", "alpine").code == 0  # still readable


def test_an_existing_shm_file_and_a_link_to_a_journal_not_yet_made_are_refused_as_the_databases(
        demo_db, stratlog, tmp_path):
    (tmp_path / "stratlog.db-shm").write_bytes(b"")
    os.symlink("stratlog.db-journal", tmp_path / "charts-link")
    before = listing(tmp_path)
    shm = stratlog("--db", demo_db, "report", "--charts", "stratlog.db-shm")
    assert shm.code == 2 and "'stratlog.db-shm' is the -shm file of the database" in shm.err
    link = stratlog("--db", demo_db, "report", "--charts", "charts-link")
    assert link.code == 2 and "'charts-link' is the -journal file of the database" in link.err
    assert "(through a link)" in link.err
    assert listing(tmp_path) == before and not (tmp_path / "stratlog.db-journal").exists()


def test_a_folder_where_a_chart_file_goes_refuses_before_the_page_is_written(demo_db, stratlog, tmp_path):
    (tmp_path / "charts" / "alpine-timeline.svg").mkdir(parents=True)
    result = stratlog("--db", demo_db, "report", "--out", "r.html", "--charts", "charts")
    assert result.code == 2 and "'charts/alpine-timeline.svg' is a folder" in result.err
    assert not (tmp_path / "r.html").exists()
    assert listing(tmp_path / "charts") == ["alpine-timeline.svg"]


def test_a_sqlite_file_where_a_chart_goes_refuses_before_the_page_is_written(demo_db, stratlog, tmp_path):
    (tmp_path / "charts").mkdir()
    sqlite3.connect(tmp_path / "charts" / "alpine-timeline.svg").execute("CREATE TABLE t (x)").connection.commit()
    result = stratlog("--db", demo_db, "report", "--out", "r.html", "--charts", "charts")
    assert result.code == 2 and "is a SQLite database" in result.err
    assert not (tmp_path / "r.html").exists()


@pytest.mark.parametrize("out, charts", [("charts", "charts"), ("charts/alpine-timeline.svg", "charts")])
def test_a_page_that_is_the_charts_folder_or_one_of_its_files_is_refused(demo_db, stratlog, tmp_path, out, charts):
    (tmp_path / "charts").mkdir(exist_ok=out != charts)
    if out == charts:
        (tmp_path / "charts").rmdir()
    before = listing(tmp_path)
    result = stratlog("--db", demo_db, "report", "--out", out, "--charts", charts)
    assert result.code == 2 and "is the report page --out writes" in result.err
    assert listing(tmp_path) == before


def test_fiscal_years_are_shown_as_written_in_the_page_and_the_chart_files(fiscal_db, stratlog, tmp_path):
    result = stratlog("--db", fiscal_db, "report", "--brand", "fyb", "--as-of", "2026-04-30",
                      "--out", "fy.html", "--charts", "charts")
    assert result.code == 0, result.err
    assert listing(tmp_path / "charts") == ["fyb-annual-sales-fy2026.svg", "fyb-timeline.svg"]
    texts = [(tmp_path / "fy.html").read_text(encoding="utf-8")] + [
        p.read_text(encoding="utf-8") for p in (tmp_path / "charts").iterdir()]
    assert all("FY2026/03" not in text for text in texts)
    page = texts[0]
    assert "annual-sales FY2026" in page and "planned for FY2026" in page and "deadline FY2026" in page


def test_a_fiscal_deadline_is_drawn_at_its_stored_span(fiscal_db, stratlog, tmp_path):
    """FY2026 of a March year end spans 2025-04..2026-03: the deadline band is drawn where that span is,
    the same place as a target whose deadline is that span written out."""
    span = ("--kpi", "revenue", "--value", "1000", "--unit", "vehicles", "--comparator", "at-least",
            "--deadline", "2025-04..2026-03", "--announced-on", "2024-06", "--source-title", "s")
    assert stratlog("--db", fiscal_db, "record", "target-set", "fyb", *span).code == 0
    assert stratlog("--db", fiscal_db, "report", "--brand", "fyb", "--as-of", "2026-04-30",
                    "--charts", "charts").code == 0
    fiscal = (tmp_path / "charts" / "fyb-annual-sales-fy2026.svg").read_text(encoding="utf-8")
    spelled = (tmp_path / "charts" / "fyb-revenue-2025-04-2026-03.svg").read_text(encoding="utf-8")
    band = 'class="deadline-period"'
    assert band in fiscal and fiscal.split(band)[1].split(">")[0] == spelled.split(band)[1].split(">")[0]


def test_shown_text_and_file_names_use_the_fiscal_year_as_written():
    assert visible("annual-sales FY2026/03") == "annual-sales FY2026"
    assert esc("deadline FY2030/09 <b>") == "deadline FY2030 &lt;b&gt;"
    assert slug("annual-sales FY2026/03") == "annual-sales-fy2026"
    assert visible("2025-04..2026-03") == "2025-04..2026-03"
