"""Hostile and malformed input at every entry point: a clear message naming the field and the value,
exit 2 (1 for a domain refusal), no traceback, and nothing written."""

from __future__ import annotations

import json
import resource
import subprocess
import sys
from pathlib import Path

import pytest

EXE = str(Path(sys.executable).parent / "stratlog")
SRC = ["--source-title", "Press release"]
SOURCE = {"title": "Press release"}
TARGET = {"kind": "target-set", "brand": "acme", "kpi": "annual-sales", "value": 100000, "unit": "vehicles",
          "comparator": "at-least", "deadline": "2030", "announced_on": "2023-06", "source": SOURCE}
TARGET_YAML = ("{kind: target-set, brand: acme, kpi: annual-sales, value: 100000, unit: vehicles, "
               "comparator: at-least, deadline: 2030, announced_on: 2023-06, source: {title: T}}")


def count_events(stratlog, db: str) -> int:
    result = stratlog("--db", db, "events", "--json")
    assert result.code == 0, result.err
    return len(json.loads(result.out))


def refused(result, code: int, *fragments: str) -> None:
    assert result.code == code, (result.code, result.out, result.err)
    assert "Traceback" not in result.err and "Traceback" not in result.out
    for fragment in fragments:
        assert fragment in result.err, f"{fragment!r} not in {result.err!r}"


@pytest.fixture
def acme_db(db, stratlog):
    assert stratlog("--db", db, "record", "brand-registered", "acme", "--name", "Acme").code == 0
    return db


def json_text(*statements: dict) -> str:
    return json.dumps(list(statements))


# -- import files -----------------------------------------------------------------------------
BIG_INTEGER = "1" * 5000
FILES = [
    # unsafe YAML tags never build objects
    ("tag-apply.yaml",
     "- {kind: brand-registered, brand: evil, name: !!python/object/apply:os.system ['touch PWNED']}\n",
     2, ["is not valid YAML", "python/object/apply:os.system"]),
    ("tag-name.yaml", "- !!python/name:os.system\n", 2, ["is not valid YAML", "python/name:os.system"]),
    ("tag-new.yaml", "statements:\n  - !!python/object/new:subprocess.Popen [[touch, PWNED]]\n", 2,
     ["is not valid YAML", "python/object/new:subprocess.Popen"]),
    ("tag-local.yaml", "- !include /etc/passwd\n", 2, ["is not valid YAML", "!include"]),
    # wrong types
    ("value-lots.json", json_text({**TARGET, "value": "lots"}), 2, ["statement 1, brand acme, target-set", "value", "'lots'"]),
    ("deadline-list.yaml", TARGET_YAML.replace("deadline: 2030", "deadline: [2030]").join(["- ", "\n"]), 2,
     ["deadline: [2030] is not a date"]),
    ("brand-int.json", json_text({**TARGET, "brand": 123}), 2, ["statement 1, target-set: brand: should be text (got 123)"]),
    ("value-nan.json", json.dumps([{**TARGET, "value": float("nan")}]), 2, ["statement 1, brand acme, target-set", "(got nan)"]),
    ("value-inf.json", json.dumps([{**TARGET, "value": float("inf")}]), 2, ["statement 1, brand acme, target-set", "(got inf)"]),
    ("source-text.json", json_text({**TARGET, "source": "a newspaper"}), 2, ["source", "'a newspaper'"]),
    ("restore-fields.yaml", "- {kind: brand-registered, brand: x, name: X, recorded_at: 2020-01-01}\n", 2,
     ["accepted only in the JSON Lines written by export"]),
    # missing pieces
    ("no-source.json", json_text({k: v for k, v in TARGET.items() if k != "source"}), 2,
     ["statement 1, brand acme, target-set", "source is required for target-set"]),
    ("no-kind.json", json_text({"brand": "acme"}), 2, ["kind: missing"]),
    ("empty.yaml", "", 2, ["expected a list of statements"]),
    ("no-statements.yaml", "defaults: {announced_on: 2023}\n", 2, ["expected a list of statements"]),
    # half-valid files: the valid statements are not written either
    ("half-valid.json", json_text({**TARGET, "kpi": "revenue-growth", "unit": "percent", "value": 40},
                                  {**TARGET, "deadline": "2031"}, {**TARGET, "comparator": "roughly"}), 2,
     ["statement 3, brand acme, target-set", "comparator", "'roughly'"]),
    ("half-valid.jsonl", "\n".join([json.dumps({**TARGET, "deadline": "2031"}), '{"kind": "target-set", "brand"']),
     2, ["line 2: is not valid JSON"]),
    # impossible dates
    ("feb-30.json", json_text({**TARGET, "announced_on": "2023-02-30"}), 2,
     ["announced_on: '2023-02-30' is not a real date"]),
    ("q5.json", json_text({**TARGET, "deadline": "2023-Q5"}), 2, ["deadline: '2023-Q5' is not a date"]),
    ("year-0.json", json_text({**TARGET, "deadline": "0000"}), 2, ["deadline: '0000' is not a real date"]),
    ("year-0.yaml", TARGET_YAML.replace("deadline: 2030", "deadline: 0000").join(["- ", "\n"]), 2,
     ["statement 1 (line 1), brand acme, target-set: deadline: YAML reads 0000 as the octal number 0",
      "or quote it ('0000') for text"]),
    ("year-5-digits.json", json_text({**TARGET, "announced_on": "20230"}), 2, ["announced_on: '20230' is not a date"]),
    pytest.param("feb-30.yaml", TARGET_YAML.replace("deadline: 2030", "deadline: 2023-02-30").join(["- ", "\n"]), 2,
                 ["statement 1 (line 1), brand acme, target-set: deadline: '2023-02-30' is not a real date "
                  "(day is out of range for month)"], id="feb-30-unquoted.yaml"),
    # absurd numbers and structures
    pytest.param("big-int.json", f'[{{"kind": "brand-registered", "brand": "acme", "name": {BIG_INTEGER}}}]', 2,
                 ["is not valid JSON", "4300 digits"], id="big-int.json"),
    pytest.param("big-int.yaml", f"- {{kind: brand-registered, brand: acme, name: {BIG_INTEGER}}}\n", 2,
                 ["is not valid YAML", "4300 digits"], id="big-int.yaml"),
    pytest.param("kind-list.yaml", "statements:\n  - {kind: [target-set], brand: acme}\n", 2, ["kind"],
                 id="kind-list.yaml"),
    ("deep.json", "[" * 100_000 + "]" * 100_000, 2, ["nested too deeply"]),
    ("deep.yaml", "statements: " + "[" * 5000 + "]" * 5000 + "\n", 2, ["exceeded maximum nesting depth"]),
    ("deep-objects.json", '{"statements": ' + '{"a": ' * 50_000 + "1" + "}" * 50_001, 2, ["nested too deeply"]),
    # bytes that are not text
    ("junk.yaml", bytes(range(256)) * 64, 2, ["is a binary file"]),
    ("latin-1.yaml", "- {kind: brand-registered, brand: citroen, name: Citroën}\n".encode("latin-1"), 2,
     ["is not UTF-8 text (byte 54)"]),
    ("utf-16.json", json_text({**TARGET}).encode("utf-16"), 2, ["is a binary file"]),
]


@pytest.mark.parametrize("name, content, code, fragments", FILES,
                         ids=[f[0] if isinstance(f, tuple) else None for f in FILES])
def test_a_hostile_import_file_is_refused_clearly_and_writes_nothing(acme_db, stratlog, tmp_path, name, content,
                                                                     code, fragments):
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    result = stratlog("--db", acme_db, "import", str(path))
    refused(result, code, *fragments)
    assert count_events(stratlog, acme_db) == 1
    assert not (tmp_path / "PWNED").exists()


def test_an_invalid_file_does_not_even_create_the_database(db, stratlog, tmp_path):
    path = tmp_path / "f.json"
    path.write_text(json_text({**TARGET, "deadline": "2030-13"}))
    refused(stratlog("--db", db, "import", str(path)), 2, "deadline: '2030-13' is not a real date")
    assert not Path(db).exists()


def test_a_file_naming_an_unknown_brand_is_a_refusal_and_writes_none_of_its_statements(acme_db, stratlog, tmp_path):
    path = tmp_path / "f.json"
    path.write_text(json_text({**TARGET, "deadline": "2031"}, {**TARGET, "brand": "ghost"}))
    refused(stratlog("--db", acme_db, "import", str(path)), 1, "brand 'ghost' is not registered")
    assert count_events(stratlog, acme_db) == 1


def test_a_file_breaking_a_rule_half_way_writes_none_of_its_statements(acme_db, stratlog, tmp_path):
    revision = {**TARGET, "kind": "target-revised", "value": 120000, "announced_on": "2022"}
    for field in ("unit", "comparator"):
        revision.pop(field)
    path = tmp_path / "f.json"
    path.write_text(json_text({**TARGET, "kpi": "revenue-growth", "unit": "percent", "value": 40}, TARGET, revision))
    refused(stratlog("--db", acme_db, "import", str(path)), 1, "announced 2022", "announced 2023-06")
    assert count_events(stratlog, acme_db) == 1


def test_a_yaml_file_over_the_size_limit_is_refused_by_its_size(acme_db, stratlog, tmp_path):
    path = tmp_path / "huge.yaml"
    with path.open("wb") as handle:
        handle.write(b"statements:\n")
        handle.write(b"# padding padding padding padding padding padding padding padding padding padding\n" * 850_000)
    assert path.stat().st_size > 64 * 1024**2
    refused(stratlog("--db", acme_db, "import", str(path)), 2, "YAML files are limited to 64 MB")
    assert count_events(stratlog, acme_db) == 1


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (2 * 1024**3, 2 * 1024**3))


def test_a_yaml_alias_bomb_is_refused_promptly(acme_db, tmp_path):
    lines = ["defaults:", "  a0: &a0 [" + ", ".join(['"lol"'] * 10) + "]"]
    lines += [f"  a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 9)]
    lines += ["statements:", "  - {kind: brand-registered, brand: bomb, name: *a8}"]
    path = tmp_path / "bomb.yaml"
    path.write_text("\n".join(lines) + "\n")
    result = subprocess.run([EXE, "--db", acme_db, "import", str(path)], capture_output=True, text=True, timeout=4,
                            preexec_fn=_limit_memory)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "uses YAML aliases (*name); write each statement out in full" in result.stderr


@pytest.mark.parametrize("tagged", ["!!int", "!!int 0x", "!!float x", "!!timestamp x", "!!bool x"])
def test_a_standard_yaml_tag_with_a_bad_value_is_refused_as_invalid_input(acme_db, stratlog, tmp_path, tagged):
    path = tmp_path / "tagged.yaml"
    path.write_text(f"- kind: brand-registered\n  brand: tagged\n  name: {tagged}\n")
    refused(stratlog("--db", acme_db, "import", str(path)), 2, "tagged.yaml")
    assert count_events(stratlog, acme_db) == 1


@pytest.mark.parametrize("target, message", [
    ("folder", "FILE: cannot read '{path}': Is a directory"),
    ("missing.yaml", "FILE: cannot read '{path}': No such file or directory"),
])
def test_a_folder_or_a_missing_file_is_refused_naming_it(acme_db, stratlog, tmp_path, target, message):
    path = tmp_path / target
    if target == "folder":
        path.mkdir()
    refused(stratlog("--db", acme_db, "import", str(path)), 2, message.format(path=path))
    assert count_events(stratlog, acme_db) == 1


# -- record options and keys ------------------------------------------------------------------
RECORDS = [
    (["brand-registered", "ac/me", "--name", "Acme"], 2, ["BRAND: 'ac/me' is not a slug"]),
    (["brand-registered", "ac\tme", "--name", "Acme"], 2, ["BRAND: 'ac\\tme' is not a slug"]),
    (["model-planned", "acme", "A2\x1b[31m90", "--planned-for", "2025"], 2,
     ["MODEL: 'A2\\x1b[31m90' is not a usable name"]),
    (["dealer-talks-started", "acme", "Auto\u202eNation", "US"], 2,
     ["DEALER: 'Auto\\u202eNation' is not a usable name"]),
    (["model-planned", "acme", "A\nB", "--planned-for", "2025"], 2, ["MODEL: 'A\\nB' is not a usable name"]),
    (["market-entered", "acme", "U/S", "--entered-on", "2024"], 2, ["MARKET: 'U/S' is not a country or region code"]),
    (["model-planned", "acme", "X", "--planned-for", "2025", "--markets", "FR,D/E"], 2,
     ["--markets.1: 'D/E' is not a country or region code"]),
    (["model-planned", "acme", "X" * 201, "--planned-for", "2025"], 2, ["MODEL:", "is not a usable name"]),
    (["target-set", "acme", "--kpi", "annual-sales", "--value", "lots", "--unit", "vehicles", "--comparator",
      "at-least", "--deadline", "2030"], 2, ["--value: 'lots' is not a number, money"]),
    (["target-set", "acme", "--kpi", "Annual Sales", "--value", "1", "--unit", "vehicles", "--comparator",
      "at-least", "--deadline", "2030"], 2, ["--kpi: 'Annual Sales' is not a slug"]),
    (["target-set", "acme", "--kpi", "annual-sales", "--value", "1", "--unit", "vehicles", "--comparator",
      "roughly", "--deadline", "2030"], 2, ["'roughly' is not one of"]),
    (["target-set", "acme", "--kpi", "annual-sales", "--value", "1", "--unit", "vehicles", "--comparator",
      "at-least", "--deadline", "2023-02-30"], 2, ["--deadline: '2023-02-30' is not a real date"]),
    (["model-planned", "acme", "X", "--planned-for", "2023-Q5"], 2, ["--planned-for: '2023-Q5' is not a date"]),
    (["valuation-updated", "acme", "--value", "5 EUR", "--valued-on", "0000"], 2,
     ["--valued-on: '0000' is not a real date"]),
    (["valuation-updated", "acme", "--value", "NaN EUR"], 2, ["--value: the amount should be a finite number (got 'NaN')"]),
    (["valuation-updated", "acme", "--value", "5 EUR", "--source-url", "javascript:alert(1)"], 2,
     ["--source-url:", "'javascript:alert(1)'"]),
    (["valuation-updated", "acme", "--value", "5 EUR", "--language", "en; rm -rf /"], 2,
     ["--language:", "'en; rm -rf /'"]),
    (["valuation-updated", "acme", "--value", "5 EUR", "--note", "n" * 20_001], 2,
     ["--note: is 20001 characters long; at most 20,000"]),
    (["model-planned", "ghost", "X1", "--planned-for", "2025"], 1, ["brand 'ghost' is not registered"]),
    (["target-reaffirmed", "acme", "--kpi", "annual-sales", "--deadline", "2030"], 1,
     ["names no live target annual-sales 2030"]),
]


@pytest.mark.parametrize("args, code, fragments", RECORDS, ids=[" ".join(a[:2])[:40] for a, _, _ in RECORDS])
def test_a_hostile_record_command_is_refused_clearly_and_writes_nothing(acme_db, stratlog, args, code, fragments):
    clock = [] if args[0] == "brand-registered" else ["--announced-on", "2024-06", *SRC]
    refused(stratlog("--db", acme_db, "record", *args, *clock), code, *fragments)
    assert count_events(stratlog, acme_db) == 1


def test_a_model_key_with_a_slash_is_stored_as_written_and_stays_its_own_subject(acme_db, stratlog):
    for model in ("A/290", "A"):
        assert stratlog("--db", acme_db, "record", "model-planned", "acme", model, "--planned-for", "2025",
                        "--announced-on", "2024", *SRC).code == 0
    rows = json.loads(stratlog("--db", acme_db, "timeline", "--brand", "acme", "--json").out)
    assert sorted(r["subject"] for r in rows) == ["A", "A/290"]


# -- query options ----------------------------------------------------------------------------
QUERIES = [
    (["timeline", "--brand", "acme", "--as-of", "2023-02-30"], "--as-of", "'2023-02-30' is not a real date"),
    (["timeline", "--brand", "acme", "--as-of", "0000"], "--as-of", "'0000' is not a real date"),
    (["timeline", "--brand", "acme", "--as-of", "-2023"], "--as-of", "'-2023' is not a date"),
    (["kpis", "--as-of", "2023-06-30; DROP TABLE stored_events"], "--as-of", "DROP TABLE"),
    (["kpis", "--known-at", "2023-06-31T25:00"], "--known-at", "'2023-06-31T25:00' is not an ISO 8601 date-time"),
    (["kpis", "--known-at", "2024-01-01T00:00:00+25:00"], "--known-at", "'2024-01-01T00:00:00+25:00'"),
    (["kpis", "--known-at", "2023-Q5"], "--known-at", "'2023-Q5'"),
    (["diff", "--from", "x", "--to", "2024"], "--from", "'x' is not a date"),
    (["diff", "--from", "2023", "--to", "2023-13"], "--to", "'2023-13' is not a real date"),
    (["events", "--since", "garbage"], "--since", "'garbage'"),
    (["audit", "acme", "annual-sales", "--deadline", "2030-13"], "--deadline", "'2030-13' is not a real date"),
    (["replay", "--to", "soon", "--out", "r.db"], "--to", "'soon' is not a date"),
]


@pytest.mark.parametrize("args, option, fragment", QUERIES, ids=[f"{q[0][0]} {q[1]}" for q in QUERIES])
def test_a_bad_date_option_exits_2_naming_the_option_and_the_value(acme_db, stratlog, args, option, fragment):
    refused(stratlog("--db", acme_db, *args), 2, option, fragment)
    assert count_events(stratlog, acme_db) == 1


@pytest.mark.parametrize("option", ["--known-at", "--since"])
def test_an_instant_at_the_edge_of_the_calendar_is_refused_or_answered(acme_db, stratlog, option):
    command = ["events"] if option == "--since" else ["kpis", "--brand", "acme"]
    result = stratlog("--db", acme_db, *command, option, "0001-01-01T00:00:00+01:00")
    assert result.code in (0, 2) and "Traceback" not in result.err


@pytest.mark.parametrize("option", ["--as-of", "--known-at"])
def test_the_last_year_of_the_calendar_is_refused_or_answered_like_the_day_before(acme_db, stratlog, option):
    assert stratlog("--db", acme_db, "record", "market-entered", "acme", "US", "--entered-on", "2024",
                    "--announced-on", "2024", *SRC).code == 0
    last = stratlog("--db", acme_db, "timeline", "--brand", "acme", option, "9999", "--json")
    before = stratlog("--db", acme_db, "timeline", "--brand", "acme", option, "9999-12-30", "--json")
    assert before.code == 0 and json.loads(before.out) != []
    assert last.code == 2 or last.out == before.out


# -- numbers too large to handle --------------------------------------------------------------
def test_a_number_too_large_to_handle_is_refused_or_kept_answerable(acme_db, stratlog, tmp_path):
    path = tmp_path / "huge-number.json"
    path.write_text(json_text({**TARGET, "value": "1e5000"}))
    imported = stratlog("--db", acme_db, "import", str(path))
    assert "Traceback" not in imported.err
    if imported.code == 2:
        assert "value" in imported.err and "1e5000" in imported.err
        assert count_events(stratlog, acme_db) == 1
    else:
        assert imported.code == 0 and stratlog("--db", acme_db, "kpis", "--json").code == 0


def test_extreme_but_accepted_numbers_still_give_valid_json(acme_db, stratlog, tmp_path):
    actual = {**TARGET, "kind": "actual-reported", "period": "2023", "value": "1e-300", "announced_on": "2024"}
    for field in ("comparator", "deadline"):
        actual.pop(field)
    path = tmp_path / "extreme.json"
    path.write_text(json_text({**TARGET, "value": "1e300"}, actual))
    imported = stratlog("--db", acme_db, "import", str(path))
    if imported.code == 2:
        refused(imported, 2, "value")
        return
    assert imported.code == 0, imported.err
    out = stratlog("--db", acme_db, "kpis", "--brand", "acme", "--json").out
    json.loads(out, parse_constant=lambda name: pytest.fail(f"kpis --json printed {name}, which is not JSON"))
