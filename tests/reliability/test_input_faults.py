"""Issue 10, end to end: what is stored reads back, one number one id, messages name the place in the file,
escape what they echo, speak no Python, and output is UTF-8 whatever the locale."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

EXE = str(Path(sys.executable).parent / "stratlog")
SOURCE = {"title": "Press release"}
PYTHON_TALK = ("datetime.", "Decimal(", "instance of", "Input should", "--value.bool", "function-after", "^https?",
               "Traceback", "[a-z]{2,3}", "<object")


@pytest.fixture
def acme_db(db, stratlog):
    assert stratlog("--db", db, "record", "brand-registered", "acme", "--name", "Acme").code == 0
    return db


def events(stratlog, db: str) -> list[dict]:
    result = stratlog("--db", db, "events", "--json")
    assert result.code == 0, result.err
    return json.loads(result.out)


def write(tmp_path: Path, name: str, text: str) -> str:
    (tmp_path / name).write_text(text, encoding="utf-8")
    return name  # the CLI fixture runs in tmp_path: files are named as an analyst names them


# -- 1. an unquoted YAML timestamp ------------------------------------------------------------
@pytest.mark.parametrize("statement, message", [
    ("{kind: model-planned, brand: acme, model: X, planned_for: 2025-06-01 00:00:00}",
     "f.yaml statement 1 (line 3), brand acme, model-planned: planned_for: '2025-06-01 00:00:00' is a date and time; "
     "write 2025-06-01"),
    ("{kind: model-planned, brand: acme, model: X, planned_for: 2025, announced_on: 2024-03-01 09:30:00}",
     "announced_on: '2024-03-01 09:30:00' is a date and time; write 2024-03-01"),
])
def test_an_unquoted_timestamp_is_refused_with_the_fix_and_every_command_still_runs(acme_db, stratlog, tmp_path,
                                                                                     statement, message):
    path = write(tmp_path, "f.yaml", f"defaults: {{announced_on: 2024-03, source: {{title: T}}}}\nstatements:\n"
                                     f"  - {statement}\n")
    refused = stratlog("--db", acme_db, "import", path)
    assert refused.code == 2 and message in refused.err
    assert len(events(stratlog, acme_db)) == 1
    for command in (["timeline", "--brand", "acme"], ["kpis"], ["state", "acme"], ["export"], ["projections", "verify"]):
        assert stratlog("--db", acme_db, *command).code == 0, command


# -- 2. numbers: exact, canonical, one id -----------------------------------------------------
AMOUNT = "123456789012345678.5"


def test_the_same_statement_from_yaml_json_and_the_cli_gets_one_id(acme_db, stratlog, tmp_path):
    yaml_file = write(tmp_path, "m.yaml", f"- {{kind: valuation-updated, brand: acme, value: {{amount: {AMOUNT}, "
                                          f"currency: EUR}}, announced_on: 2024, source: {{title: T}}}}\n")
    json_file = write(tmp_path, "m.json", f'[{{"kind": "valuation-updated", "brand": "acme", "value": {{"amount": {AMOUNT},'
                                          f' "currency": "EUR"}}, "announced_on": "2024", "source": {{"title": "T"}}}}]')
    assert stratlog("--db", acme_db, "import", yaml_file).out.startswith("1 new statements")
    assert stratlog("--db", acme_db, "import", json_file).out.startswith("0 new statements, 1 already recorded")
    cli = stratlog("--db", acme_db, "record", "valuation-updated", "acme", "--value", f"{AMOUNT} EUR",
                   "--announced-on", "2024", "--source-title", "T")
    assert cli.code == 0 and cli.out.endswith("(already recorded; nothing new)\n")
    stored = [e for e in events(stratlog, acme_db) if e["kind"] == "valuation-updated"]
    assert len(stored) == 1 and stored[0]["value"] == {"amount": AMOUNT, "currency": "EUR"}


@pytest.mark.parametrize("spelling", ["1e5", "100000.0", "100_000"])
def test_a_number_however_written_on_the_command_line_is_one_statement(acme_db, stratlog, spelling):
    args = ["record", "target-set", "acme", "--kpi", "annual-sales", "--unit", "vehicles", "--comparator", "at-least",
            "--deadline", "2030", "--announced-on", "2024", "--source-title", "T", "--value"]
    first = stratlog("--db", acme_db, *args, "100000")
    again = stratlog("--db", acme_db, *args, spelling)
    assert again.out == first.out.strip() + " (already recorded; nothing new)\n"


def test_a_yaml_file_with_two_statements_blocks_is_refused_not_half_read(acme_db, stratlog, tmp_path):
    path = write(tmp_path, "two.yaml", "statements:\n  - {kind: brand-registered, brand: b, name: B}\n"
                                       "statements:\n  - {kind: brand-registered, brand: c, name: C}\n")
    refused = stratlog("--db", acme_db, "import", path)
    assert refused.code == 2 and "two.yaml line 3: the key 'statements' is written twice in one mapping" in refused.err
    assert len(events(stratlog, acme_db)) == 1


# -- 3. terminal injection and unbounded echo -------------------------------------------------
@pytest.mark.parametrize("args", [
    ["import", "FILE"],
    ["record", "target-set", "acme", "--kpi", "\x1b]0;pwned\x07\x1b[2J", "--value", "1", "--unit", "u",
     "--comparator", "at-least", "--deadline", "2030", "--announced-on", "2024", "--source-title", "T"],
    ["timeline", "--brand", "acme\x1b[2J"],
    ["no-such-command-\x1b]0;pwned\x07"],
    ["record", "model-planned", "acme", "X\x9b2J", "--planned-for", "2025\u202e", "--announced-on", "2024",
     "--source-title", "T"],
])
def test_no_message_can_send_escapes_to_the_terminal(acme_db, stratlog, tmp_path, args):
    write(tmp_path, "FILE", json.dumps([{"kind": "\x1b]0;pwned\x07\x1b[2J", "brand": "acme"}]))
    result = stratlog("--db", acme_db, *args)
    assert result.code in (1, 2)
    assert not any(c in result.err for c in "\x1b\x07\x9b\u202e"), result.err
    assert "\\x1b" in result.err or "\\x9b" in result.err or "\\u202e" in result.err


def test_any_error_message_is_escaped_and_bounded_before_it_is_printed(acme_db, stratlog, monkeypatch):
    from stratlog.domain.errors import StratlogError

    def refuse(*args, **kwargs):
        raise StratlogError("first line \x1b]0;title\x07\x1b[2J " + "y" * 1_000_000 + "\nsecond line\r")

    monkeypatch.setattr("stratlog.infrastructure.config.settings", refuse)
    result = stratlog("--db", acme_db, "events")
    assert result.code == 1
    assert result.err.startswith("Error: first line \\x1b]0;title\\x07\\x1b[2J yyy")
    assert result.err.endswith("…\nsecond line\\x0d\n") and len(result.err) < 2100


@pytest.mark.parametrize("statement", [{"kind": "k" * 1_000_000, "brand": "acme"},
                                       {"kind": "brand-registered", "brand": "acme", "name": "A", "f" * 1_000_000: 1},
                                       {"kind": "brand-registered", "brand": "a" * 1_000_000, "name": "A"}],
                         ids=["kind", "field name", "brand"])
def test_a_megabyte_value_is_echoed_in_at_most_a_few_hundred_characters(acme_db, stratlog, tmp_path, statement):
    refused = stratlog("--db", acme_db, "import", write(tmp_path, "big.json", json.dumps([statement])))
    assert refused.code == 2 and len(refused.err) < 1500 and "…" in refused.err


# -- 4. refusals name the place, all of them, without Python ---------------------------------
RULES = """defaults: {announced_on: 2025-02, source: {title: T}}
statements:
  - {kind: target-set, brand: acme, kpi: annual-sales, value: 100000, unit: vehicles, comparator: at-least,
     deadline: 2030, announced_on: 2023-06}
  - {kind: target-revised, brand: acme, kpi: annual-sales, deadline: 2030, value: 5, announced_on: 2022}
  - {kind: model-planned, brand: ghost, model: X, planned_for: 2025}
  - {kind: target-revised, brand: acme, kpi: revenue, deadline: 2030, value: 5}
"""


def test_every_rule_a_file_breaks_is_named_by_file_statement_line_brand_and_kind(acme_db, stratlog, tmp_path):
    refused = stratlog("--db", acme_db, "import", write(tmp_path, "rules.yaml", RULES))
    assert refused.code == 1
    assert refused.err.splitlines() == [
        "Error: nothing was imported:",
        "rules.yaml statement 2 (line 5), brand acme, target-revised: target-revised (announced 2022) depends on "
        "target-set (statement 1, line 3, announced 2023-06), which was announced after it",
        "rules.yaml statement 3 (line 6), brand ghost, model-planned: brand 'ghost' is not registered "
        "(record brand-registered ghost first)",
        "rules.yaml statement 4 (line 7), brand acme, target-revised: target-revised (announced 2025-02) names no live "
        "target revenue 2030",
    ]
    assert len(events(stratlog, acme_db)) == 1


def test_a_file_breaking_many_rules_lists_the_first_twenty_in_file_order(acme_db, stratlog, tmp_path):
    lines = [f"  - {{kind: target-reaffirmed, brand: acme, kpi: kpi-{i:02d}, deadline: 2030}}" for i in range(1, 26)]
    path = write(tmp_path, "many.yaml", "defaults: {announced_on: 2025, source: {title: T}}\nstatements:\n"
                 + "\n".join(lines) + "\n")
    refused = stratlog("--db", acme_db, "import", path).err.splitlines()
    assert len(refused) == 22 and refused[-1] == "(checking stopped after 20 refused statements)"
    assert refused[1] == ("many.yaml statement 1 (line 3), brand acme, target-reaffirmed: target-reaffirmed "
                          "(announced 2025) names no live target kpi-01 2030")
    assert [line.split(" ")[2] for line in refused[1:21]] == [str(n) for n in range(1, 21)]


def test_a_rule_broken_against_a_recorded_statement_names_both(acme_db, stratlog, tmp_path):
    assert stratlog("--db", acme_db, "record", "target-set", "acme", "--kpi", "annual-sales", "--value", "100000",
                    "--unit", "vehicles", "--comparator", "at-least", "--deadline", "2030", "--announced-on", "2023-06",
                    "--source-title", "T").code == 0
    recorded = [e["statement_id"] for e in events(stratlog, acme_db) if e["kind"] == "target-set"][0]
    path = write(tmp_path, "late.yaml", "- {kind: target-revised, brand: acme, kpi: annual-sales, deadline: 2030, "
                                        "value: 5, announced_on: 2022, source: {title: T}}\n")
    refused = stratlog("--db", acme_db, "import", path)
    assert refused.code == 1
    assert (f"late.yaml statement 1 (line 1), brand acme, target-revised: target-revised (announced 2022) depends on "
            f"target-set {recorded[:8]} (announced 2023-06)") in refused.err


BAD = [
    {"kind": "valuation-updated", "brand": "acme", "announced_on": "2025-02-07", "value": {"amount": 5, "currency": "EUR"}},
    {"kind": "valuation-updated", "brand": "acme", "announced_on": "2025", "source": SOURCE, "value": "5 EUR"},
    {"kind": "valuation-updated", "brand": "acme", "announced_on": "2025", "source": {"url": "ftp://x"},
     "value": {"amount": 5, "currency": "EUR"}},
    {"kind": "target-set", "brand": "acme", "kpi": "k", "value": "lots", "unit": "u", "comparator": "at-least",
     "deadline": "2030", "announced_on": "2025", "source": SOURCE},
    {"kind": "valuation-updated", "brand": "acme", "announced_on": "2025", "source": {"title": "T", "language": "en; rm"},
     "value": {"amount": 5, "currency": "EUR"}},
    {"kind": "statement-corrected", "corrects": "0123456789", "fields": {"value": [1, {"a": None}]}},
]


@pytest.mark.parametrize("statement", BAD, ids=["no source", "money as text", "ftp url", "word value", "language",
                                                "correction"])
def test_no_message_speaks_python(acme_db, stratlog, tmp_path, statement):
    result = stratlog("--db", acme_db, "import", write(tmp_path, "bad.json", json.dumps([statement])))
    assert result.code in (1, 2) and "bad.json statement 1" in result.err
    assert not [talk for talk in PYTHON_TALK if talk in result.err], result.err


def test_a_word_for_a_kpi_value_on_the_command_line_says_what_it_should_be(acme_db, stratlog):
    result = stratlog("--db", acme_db, "record", "target-set", "acme", "--kpi", "k", "--value", "{}", "--unit", "u",
                      "--comparator", "at-least", "--deadline", "2030", "--announced-on", "2024", "--source-title", "T")
    assert result.code == 2 and "--value: '{}' is not a number, money ('2000000000 EUR') or true/false" in result.err


# -- 5. UTF-8 whatever the locale -------------------------------------------------------------
def run(db: str, *args: str, **env: str) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("LC_", "LANG", "PYTHONIO"))}
    return subprocess.run([EXE, "--db", db, *args], capture_output=True, env={**environment, **env}, timeout=60)


@pytest.mark.parametrize("env", [{"LC_ALL": "C", "PYTHONCOERCECLOCALE": "0", "PYTHONUTF8": "0"},
                                 {"PYTHONIOENCODING": "latin-1"}, {"PYTHONIOENCODING": "ascii"}],
                         ids=["C locale", "latin-1", "ascii"])
def test_output_is_utf8_and_tables_use_ascii_rules_when_the_stream_could_not_show_boxes(acme_db, env):
    recorded = run(acme_db, "record", "model-planned", "acme", "Citroën ë-C4", "--planned-for", "2025",
                   "--announced-on", "2024", "--source-title", "Le marché", **env)
    assert recorded.returncode == 0, recorded.stderr.decode()
    exported = run(acme_db, "export", **env)
    assert exported.returncode == 0 and "Le marché".encode() in exported.stdout
    table = run(acme_db, "timeline", "--brand", "acme", **env)
    text = table.stdout.decode("utf-8")
    assert table.returncode == 0 and "Citroën ë-C4" in text and "─" not in text and "-----" in text
