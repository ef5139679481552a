"""The /-/stratlog pages inside Datasette (in process): the CLI's answers, the CLI's refusals, read-only, escaped."""

from __future__ import annotations

import asyncio
import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pytest

from stratlog.infrastructure.config import settings
from stratlog.infrastructure.datasette_server import datasette_for
from stratlog.infrastructure.serve_snapshot import snapshot_source, take_snapshot
from tests.conftest import write

HOSTILE = """
statements:
  - {kind: model-planned, brand: alpine, model: "A<script>x</script>", planned_for: 2026, announced_on: 2024-02,
     source: {title: "Rossi \\"quote\\" <img src=x onerror=alert(1)>", url: "https://example.com/a?b=1&c=2"}}
  - {kind: actual-reported, brand: alpine, kpi: annual-sales, period: 2023, value: 4328, unit: vehicles,
     announced_on: 2024-01, source: {title: "Alpine 2023 sales"}}
"""
# (web path, the same question to the CLI)
SAME_QUESTIONS = [
    ("timeline.json?brand=alpine&as_of=2024-Q3", ["timeline", "--brand", "alpine", "--as-of", "2024-Q3"]),
    ("kpis.json?brand=alpine&as_of=2023-06", ["kpis", "--brand", "alpine", "--as-of", "2023-06"]),
    ("kpis.json?as_of=2024&live=1", ["kpis", "--as-of", "2024", "--live"]),
    ("kpis.json?as_of=2024&live=off", ["kpis", "--as-of", "2024"]),
    ("audit.json?brand=alpine&kpi=annual-sales&deadline=2030", ["audit", "alpine", "annual-sales", "--deadline", "2030"]),
    ("state.json?brand=alpine&as_of=2024-09", ["state", "alpine", "--as-of", "2024-09"]),
    ("diff.json?brand=alpine&from=2023-05&to=2024", ["diff", "--brand", "alpine", "--from", "2023-05", "--to", "2024"]),
    ("checks.json?as_of=2030&known_at=2030", ["checks", "--as-of", "2030", "--known-at", "2030"]),
    ("timeline.json?brand=alpine&as_of=2024&known_at=2000", ["timeline", "--brand", "alpine", "--as-of", "2024",
                                                             "--known-at", "2000"]),
]
BAD_QUESTIONS = [
    ("kpis.json?brand=alpine&as_of=2024-13", ["kpis", "--brand", "alpine", "--as-of", "2024-13"]),
    ("kpis.json?brand=nope&as_of=2024-09", ["kpis", "--brand", "nope", "--as-of", "2024-09"]),
    ("timeline.json?known_at=yesterday", ["timeline", "--known-at", "yesterday"]),
    ("diff.json?from=2023", ["diff", "--from", "2023"]),
    ("diff.json?from=2023&to=2023-14", ["diff", "--from", "2023", "--to", "2023-14"]),
    ("state.json?as_of=2024", ["state", "--as-of", "2024"]),
    ("audit.json?brand=alpine&deadline=soon", ["audit", "alpine", "--deadline", "soon"]),
    ("checks.json?as_of=99999", ["checks", "--as-of", "99999"]),
    ("kpis.json?known_at=never&as_of=2024-13", ["kpis", "--known-at", "never", "--as-of", "2024-13"]),
    ("diff.json?known_at=never&to=2023-14&from=2023", ["diff", "--known-at", "never", "--to", "2023-14", "--from", "2023"]),
    ("audit.json?brand=nope&deadline=soon", ["audit", "nope", "--deadline", "soon"]),
]


@pytest.fixture
def served(alpine_db, stratlog, tmp_path):
    """Datasette with stratlog's plugin on a snapshot of the Alpine example plus hostile text."""
    assert stratlog("--db", alpine_db, "import", write(tmp_path, "hostile.yaml", HOSTILE)).code == 0
    folder = tmp_path / "snapshot"
    folder.mkdir()
    datasette = datasette_for(take_snapshot(settings(alpine_db), folder, snapshot_source(settings(alpine_db))))
    asyncio.run(datasette.invoke_startup())
    return datasette


def fetch(datasette, *paths: str, method: str = "get"):
    """Responses to the paths, asked in one event loop."""
    async def ask():
        return [await getattr(datasette.client, method)(path) for path in paths]
    return asyncio.run(ask())


@pytest.mark.parametrize("path, args", SAME_QUESTIONS, ids=[p for p, _ in SAME_QUESTIONS])
def test_every_view_answers_json_byte_for_byte_as_the_cli(served, alpine_db, stratlog, path, args):
    cli = stratlog("--db", alpine_db, *args, "--format", "json")
    assert cli.code == 0, cli.err
    [web] = fetch(served, f"/-/stratlog/{path}")
    assert web.status_code == 200 and web.headers["content-type"].startswith("application/json")
    assert web.text == cli.out


@pytest.mark.parametrize("path, args", BAD_QUESTIONS, ids=[p for p, _ in BAD_QUESTIONS])
def test_bad_input_answers_400_with_the_clis_own_message(served, alpine_db, stratlog, path, args):
    cli = stratlog("--db", alpine_db, *args)
    assert cli.code in (1, 2)
    message = cli.err.strip().splitlines()[-1].removeprefix("Error: ")
    [web, page] = fetch(served, f"/-/stratlog/{path}", "/-/stratlog/" + path.replace(".json", "", 1))
    assert (web.status_code, web.json()) == (400, {"ok": False, "error": message, "status": 400})
    assert page.status_code == 400
    assert '<p class="message-error" id="error">' in page.text and "Traceback" not in page.text


def test_the_kpis_page_shows_the_answer_in_a_table_whose_cells_hold_the_json_values(served, alpine_db, stratlog):
    [page] = fetch(served, "/-/stratlog/kpis?brand=alpine&as_of=2023-06")
    expected = json.loads(stratlog("--db", alpine_db, "kpis", "--brand", "alpine", "--as-of", "2023-06", "--json").out)
    assert page.status_code == 200
    assert '<td data-column="value" data-value="{&#34;amount&#34;: &#34;2000000000&#34;, &#34;currency&#34;: ' \
           '&#34;EUR&#34;}">2,000,000,000 EUR</td>' in page.text
    assert page.text.count('<td data-column="status"') == len(expected) == 6


def test_audit_and_state_wait_for_a_brand_before_answering(served):
    audit, state, diff = fetch(served, "/-/stratlog/audit", "/-/stratlog/state", "/-/stratlog/diff")
    assert [r.status_code for r in (audit, state, diff)] == [200, 200, 200]
    assert all('id="error"' not in r.text and 'id="stratlog-form"' in r.text for r in (audit, state, diff))


def test_untrusted_text_is_escaped_in_cells_attributes_and_error_messages(served):
    timeline, refused = fetch(served, "/-/stratlog/timeline?brand=alpine&as_of=2024",
                              '/-/stratlog/kpis?brand=%3Cscript%3Ealert(1)%3C/script%3E%22')
    assert "A&lt;script&gt;x&lt;/script&gt;" in timeline.text and "<script>x</script>" not in timeline.text
    assert "&lt;img src=x onerror=alert(1)&gt;" in timeline.text and "<img src=x" not in timeline.text
    assert refused.status_code == 400 and "<script>alert(1)" not in refused.text
    assert 'value="&lt;script&gt;alert(1)&lt;/script&gt;&#34;"' in refused.text


def test_no_request_can_write_the_server_is_immutable_and_answers_only_get(served, alpine_db):
    before = hashlib.sha256(Path(alpine_db).read_bytes()).hexdigest()
    for method in ("post", "put", "delete", "patch"):
        for path in ("/-/stratlog/kpis", "/stratlog/statements", "/stratlog", "/-/logout"):
            [refused] = fetch(served, path, method=method)
            assert refused.status_code == 405, (method, path)
            assert refused.text == "stratlog serve is read-only: only GET requests are answered"
    [delete] = fetch(served, "/stratlog.json?sql=delete+from+stored_events")
    assert delete.status_code == 400 and delete.json()["error"] == "Statement must be a SELECT"
    assert not served.get_database("stratlog").is_mutable
    assert [r.json()["rows"] for r in fetch(served, "/stratlog.json?sql=select+count(*)+from+stored_events")] == [[[20]]]
    assert hashlib.sha256(Path(alpine_db).read_bytes()).hexdigest() == before


def test_the_statements_view_is_text_with_facets_by_brand_kind_and_status(served):
    [listing] = fetch(served, "/stratlog/statements.json?_shape=objects&_size=max")
    body = listing.json()
    assert len(body["rows"]) == 20 and all(not isinstance(v, dict) or "$base64" not in v
                                           for row in body["rows"] for v in row.values())
    assert json.loads(body["rows"][0]["payload"]) == {"name": "Alpine", "parent": "Renault Group", "country": "FR"}
    assert set(body["facet_results"]) == {"brand", "kind", "status"}
    hidden = fetch(served, "/stratlog.json")[0].json()
    assert {t["name"] for t in hidden["tables"] if not t["hidden"]} == set()
    assert sorted(v["name"] for v in hidden["views"]) == ["items", "statements"]


BARE_DATASETTE = """
import asyncio, json, sys
from datasette.app import Datasette
async def ask():
    datasette = Datasette([sys.argv[1]])  # no stratlog serve: only what the installed entry points add
    name = next(iter(datasette.databases.keys() - {"_internal"}))
    response = await datasette.client.get(f"/{name}/statements.json?_shape=objects&_size=max")
    print(json.dumps([response.status_code, response.json()]))
asyncio.run(ask())
"""


def test_a_plain_datasette_in_stratlogs_environment_reads_the_statements_view(alpine_db):
    """The statements view reads packed event states through stratlog_state; the installed distribution's
    `datasette` entry point gives every Datasette connection that function (and nothing else)."""
    done = subprocess.run([sys.executable, "-c", BARE_DATASETTE, alpine_db], capture_output=True, text=True,
                          check=False, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    status, body = json.loads(done.stdout)
    assert status == 200, body
    rows = body["rows"]
    assert any(row["kind"] == "target-set" and json.loads(row["payload"])["kpi"] == "annual-sales" for row in rows)
    assert all(row["source"] for row in rows if row["kind"] not in ("brand-registered",) and not row["fixes"])
