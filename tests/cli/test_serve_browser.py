"""`stratlog serve` end to end: a real server on the Alpine example, its pages loaded in headless Chromium."""

from __future__ import annotations

import json
import subprocess
import urllib.error
import urllib.request
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tests.cli.serve_process import STRATLOG, start_serve, stop_serve
from tests.cli.test_report_browser import chromium
from tests.conftest import ALPINE

# (view, query string, the same question to the CLI)
EVERY_VIEW = [
    ("timeline", "brand=alpine&as_of=2024-Q3", ["timeline", "--brand", "alpine", "--as-of", "2024-Q3"]),
    ("kpis", "brand=alpine&as_of=2023-06", ["kpis", "--brand", "alpine", "--as-of", "2023-06"]),
    ("audit", "brand=alpine&kpi=revenue", ["audit", "alpine", "revenue"]),
    ("state", "brand=alpine&as_of=2024", ["state", "alpine", "--as-of", "2024"]),
    ("diff", "brand=alpine&from=2023-05&to=2023-06", ["diff", "--brand", "alpine", "--from", "2023-05", "--to", "2023-06"]),
    ("checks", "as_of=2030", ["checks", "--as-of", "2030"]),
]


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """`stratlog serve` on a database holding the Alpine example; stopped (and checked stopped) afterwards."""
    folder = tmp_path_factory.mktemp("serve")
    db = str(folder / "alpine.db")
    loaded = subprocess.run([str(STRATLOG), "--db", db, "import", str(ALPINE)], capture_output=True, text=True,
                            timeout=120)
    assert loaded.returncode == 0, loaded.stderr
    server = start_serve(db, folder)
    server.db = db
    yield server
    assert stop_serve(server) == 0, server.output()[1][-2000:]


def cli_json(db: str, *args: str) -> str:
    done = subprocess.run([str(STRATLOG), "--db", db, *args, "--format", "json"], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout


def dump_dom(url: str, profile: Path) -> str:
    """The page's DOM after Chromium loaded it (a GET, as the form submits)."""
    done = subprocess.run([chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                           "--disable-background-networking", "--disable-component-update", "--disable-sync",
                           f"--user-data-dir={profile}", "--dump-dom", url],
                          capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


class Page(HTMLParser):
    """The parts of a page the tests read: the form's fields, and each table's cells by data-column."""

    def __init__(self, html: str):
        super().__init__()
        self.form: dict = {}
        self.fields: dict[str, str] = {}
        self.tables: dict[str, list[dict]] = {}
        self.text: list[str] = []
        self._table = self._cell = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("id") == "stratlog-form":
            self.form = attrs
        elif tag == "input" and self.form and "name" in attrs:
            self.fields[attrs["name"]] = attrs.get("type", "text")
        elif tag == "table" and attrs.get("id"):
            self._table = self.tables.setdefault(attrs["id"], [])
        elif tag == "tr" and self._table is not None:
            self._table.append({})
        elif tag == "td" and self._table is not None and "data-column" in attrs:
            self._cell = [attrs["data-column"], json.loads(attrs["data-value"]), ""]

    def handle_endtag(self, tag):
        if tag == "td" and self._cell:
            column, value, text = self._cell
            self._table[-1][column] = (value, text)
            self._cell = None
        elif tag == "table":
            self._table = None

    def handle_data(self, data):
        self.text.append(data)
        if self._cell:
            self._cell[2] += data


def test_the_kpis_page_has_a_get_form_with_brand_as_of_and_known_at(served, tmp_path):
    page = Page(dump_dom(f"{served.url}/-/stratlog/kpis", tmp_path / "profile"))
    assert (page.form["method"], page.form["action"]) == ("get", "/-/stratlog/kpis")
    assert page.fields == {"brand": "text", "as_of": "text", "known_at": "text", "live": "checkbox"}


def test_submitting_alpine_and_2023_06_shows_exactly_the_clis_kpis(served, tmp_path):
    page = Page(dump_dom(f"{served.url}/-/stratlog/kpis?brand=alpine&as_of=2023-06&known_at=",
                         tmp_path / "profile"))
    shown = [row for row in page.tables["rows"] if row]
    expected = json.loads(cli_json(served.db, "kpis", "--brand", "alpine", "--as-of", "2023-06"))
    assert [{column: value for column, (value, _) in row.items()} for row in shown] == expected
    assert [row["status"][1] for row in shown] == [row["status"] for row in expected] == ["pending"] * 6
    assert [row["value"][1] for row in shown][:2] == ["yes", "2,000,000,000 EUR"]


@pytest.mark.parametrize("view, query, args", EVERY_VIEW, ids=[v for v, _, _ in EVERY_VIEW])
def test_every_views_json_equals_the_clis_json(served, view, query, args):
    with urllib.request.urlopen(f"{served.url}/-/stratlog/{view}.json?{query}", timeout=30) as response:
        assert response.status == 200
        assert response.read().decode("utf-8") == cli_json(served.db, *args)


def test_a_post_is_refused_and_sql_cannot_write(served):
    for path in ("/-/stratlog/kpis", "/stratlog/statements", "/stratlog", "/-/logout"):
        request = urllib.request.Request(f"{served.url}{path}", data=b"brand=alpine", method="POST")
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(request, timeout=30)
        assert refused.value.code == 405
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(f"{served.url}/stratlog.json?sql=delete+from+stored_events", timeout=30)
    assert refused.value.code == 400


def test_the_statements_view_shows_text_and_facets_not_blobs(served, tmp_path):
    html = dump_dom(f"{served.url}/stratlog/statements", tmp_path / "profile")
    text = "".join(Page(html).text)
    assert "Binary" not in text and "blob" not in text.lower()
    assert '{"model":"A290","planned_for":"2024","segment":"city sports car"}' in text
    assert "Alpine. Laurent Rossi mise gros sur le marché américain" in text
    assert all(f'id="facet-{column}"' in html for column in ("brand", "kind", "status"))
