"""Recording through the CLI: every kind, clear refusals with exit codes, nothing written on error."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

import pytest

from stratlog.cli.main import COMMANDS
from stratlog.domain.catalogue import STATEMENT_CLASSES, example, summary
from tests.conftest import ALPINE

SRC = ["--source-title", "Press release"]
def count_events(stratlog, db) -> int:
    return len(json.loads(stratlog("--db", db, "events", "--json").out or "[]"))


@pytest.fixture
def acme_db(db, stratlog):
    assert stratlog("record", "brand-registered", "acme", "--name", "Acme", "--db", db).code == 0
    return db


def test_recording_the_same_statement_twice_says_so_and_records_nothing(acme_db, stratlog):
    args = ["--db", acme_db, "record", "market-entered", "acme", "CN", "--entered-on", "2025",
            "--announced-on", "2025-01", *SRC]
    first, second = stratlog(*args), stratlog(*args)
    assert "already recorded" in second.out and first.out.strip() in second.out
    assert count_events(stratlog, acme_db) == 2


@pytest.mark.parametrize("args, message", [
    (["target-set", "acme", "--kpi", "annual-sales", "--value", "1", "--unit", "cars", "--comparator", "at-least",
      "--deadline", "2030-13"], "--deadline: '2030-13' is not a real date"),
    (["valuation-updated", "acme", "--value", "-5 EUR"], "--value: the amount should be greater than or equal to 0 (got '-5')"),
    (["valuation-updated", "acme", "--value", "5 EURO"], "currency 'EURO' is not an ISO 4217 code"),
    (["valuation-updated", "acme", "--value", "five euros please"], "--value: 'five euros please' is not money"),
    (["valuation-updated", "acme", "--value", "500000000"], "--value: '500000000' is not money (write an amount and a "
                                                            "currency, e.g. '500000000 EUR')"),
    (["market-entered", "acme", "U.S.", "--entered-on", "2024"], "MARKET: 'U.S.' is not a country or region code"),
])
def test_invalid_options_exit_2_naming_the_option_and_value_and_write_nothing(acme_db, stratlog, args, message):
    result = stratlog("--db", acme_db, "record", *args, "--announced-on", "2024", *SRC)
    assert result.code == 2
    assert message in result.err and "Traceback" not in result.err
    assert count_events(stratlog, acme_db) == 1


def test_a_statement_without_a_source_is_refused(acme_db, stratlog):
    result = stratlog("--db", acme_db, "record", "market-entered", "acme", "CN", "--entered-on", "2025",
                      "--announced-on", "2025")
    assert result.code == 2 and "source is required" in result.err


def test_a_model_of_an_unregistered_brand_is_refused_with_exit_1(db, stratlog):
    result = stratlog("--db", db, "record", "model-planned", "ghost", "X1", "--planned-for", "2025",
                      "--announced-on", "2024", *SRC)
    assert result.code == 1 and "brand 'ghost' is not registered" in result.err


def test_an_unknown_kind_is_a_usage_error(acme_db, stratlog):
    result = stratlog("--db", acme_db, "record", "model-exploded", "acme")
    assert result.code == 2 and "No such command 'model-exploded'" in result.err


def test_a_second_launch_in_the_same_market_is_refused_naming_both_statements(acme_db, stratlog):
    launch = ["--db", acme_db, "record", "model-launched", "acme", "A290", "--markets", "FR", *SRC]
    first = stratlog(*launch, "--launched-on", "2024-06", "--announced-on", "2024-06")
    second = stratlog(*launch, "--launched-on", "2024-09", "--announced-on", "2024-09")
    assert first.code == 0 and second.code == 1
    assert "A290 is launched in FR by both" in second.err and first.out.strip()[:8] in second.err


def record_with_ids(db: str, lines: list[dict]) -> None:
    """Record statements under chosen ids through the application, which trusts a restore's ids (an import
    file cannot forge them: each id must be its content's, and ids sharing 8 characters are not found by hashing)."""
    from stratlog.application.ledger import Restored
    from stratlog.domain.catalogue import RECORD_ADAPTER
    from stratlog.infrastructure.config import settings
    from stratlog.infrastructure.runtime import Runtime
    runtime = Runtime(settings(db), writing=True)
    try:
        records = [RECORD_ADAPTER.validate_python({k: v for k, v in line.items() if k != "statement_id"})
                   for line in lines]
        at = datetime(2024, 1, 1, tzinfo=timezone.utc)
        result = runtime.ledger.record(records, [Restored(line["statement_id"], at) for line in lines])
        runtime.catch_up(result.events)
    finally:
        runtime.close()


def test_an_ambiguous_id_prefix_is_refused_listing_the_candidates(tmp_path, db, stratlog):
    record_with_ids(db, [
        {"statement_id": "aaaaaaaa-0000-5000-8000-000000000001", "kind": "brand-registered", "brand": "acme",
         "name": "Acme"},
        {"statement_id": "aaaaaaaa-0000-5000-8000-000000000002", "kind": "market-entered", "brand": "acme",
         "market": "US", "entered_on": "2023", "announced_on": "2023", "source": {"title": "T"}},
    ])
    result = stratlog("--db", db, "retract", "aaaaaaaa", "--reason", "x")
    assert result.code == 2
    assert "matches 2 statements" in result.err and "aaaaaaaa-0000-5000-8000-000000000002" in result.err
    short = stratlog("--db", db, "retract", "aaaa", "--reason", "x")
    assert short.code == 2 and "at least 8 characters" in short.err
    assert count_events(stratlog, db) == 2


def test_import_reads_standard_input_and_a_second_import_records_nothing(tmp_path):
    exe = str(Path(sys.executable).parent / "stratlog")
    db = str(tmp_path / "s.db")
    text = ALPINE.read_text(encoding="utf-8")
    first = subprocess.run([exe, "--db", db, "import", "-"], input=text, capture_output=True, text=True)
    second = subprocess.run([exe, "--db", db, "import", str(ALPINE)], capture_output=True, text=True)
    assert first.returncode == 0 and first.stdout.startswith("18 new statements, 0 already recorded")
    assert second.stdout.startswith("0 new statements, 18 already recorded")


def test_a_half_valid_file_imports_nothing_and_names_the_bad_statements_place(tmp_path, db, stratlog):
    bad = tmp_path / "half.yaml"
    text = ALPINE.read_text(encoding="utf-8")
    bad.write_text(text + "  - {kind: target-set, brand: alpine, kpi: x, deadline: 2031}\n")
    result = stratlog("--db", db, "import", str(bad))
    line = len(text.splitlines()) + 1
    assert result.code == 2
    assert f"half.yaml statement 19 (line {line}), brand alpine, target-set: comparator: is required" in result.err
    assert not Path(db).exists()


def test_every_command_has_help_with_an_example(stratlog):
    for name in COMMANDS:
        result = stratlog(name, "--help")
        assert result.code == 0 and "Example" in result.out, name
    for cls in STATEMENT_CLASSES:
        shown = " ".join(stratlog("record", cls.KIND, "--help").out.split())
        assert f"{cls.KIND}: {summary(cls)}." in shown and f"stratlog record {example(cls)}" in shown, cls.KIND


def test_schema_describes_every_statement_kind(stratlog):
    schema = json.loads(stratlog("schema").out)
    kinds = {d["properties"]["kind"]["const"] for d in schema["$defs"].values() if "kind" in d.get("properties", {})}
    assert {"model-launched", "market-entered", "valuation-updated", "ipo-considered", "statement-corrected"} <= kinds


def test_shell_completion_offers_commands_kinds_and_options(tmp_path):
    exe = str(Path(sys.executable).parent / "stratlog")

    def complete(words: str, index: int) -> str:
        env = {"_STRATLOG_COMPLETE": "bash_complete", "COMP_WORDS": words, "COMP_CWORD": str(index), "PATH": ""}
        return subprocess.run([exe], env=env, capture_output=True, text=True, cwd=tmp_path).stdout

    assert "plain,record" in complete("stratlog rec", 1)
    assert "plain,model-launched" in complete("stratlog record model-l", 2)
    assert "plain,--as-of" in complete("stratlog kpis --as", 2)


@pytest.mark.parametrize(("value", "reason"), [
    ("1e30", "value: 1E+30 is out of range"), ("-5 EUR", "value.amount: should be greater than or equal to 0"),
    ("nan", "value: should be a finite number"), ("5 XXX", "currency 'XXX' is not an ISO 4217 code")])
def test_a_correction_refused_by_a_value_rule_names_that_rule_not_a_union_alternative(alpine_db, stratlog, value,
                                                                                        reason):
    target = next(e for e in json.loads(stratlog("--db", alpine_db, "events", "--kind", "target-set", "--json").out)
                  if e["kpi"] == "revenue")

    done = stratlog("--db", alpine_db, "correct", target["statement_id"], "--value", value)

    assert done.code == 2 and reason in done.err, done.err
    assert "bool" not in done.err and "instance of" not in done.err


@pytest.mark.parametrize(("kind", "value", "problem"), [
    ("target-set", "nan", "value: should be a finite number (got 'nan')"),
    ("target-set", "-5 EUR", "value.amount: should be greater than or equal to 0 (got '-5')"),
    ("target-set", "1e30", "(got '1e30')"),
    ("valuation-updated", "-5 EUR", "value.amount: should be greater than or equal to 0 (got '-5')")])
def test_a_correction_to_a_bad_value_names_the_value_given(alpine_db, stratlog, kind, value, problem):
    statement = json.loads(stratlog("--db", alpine_db, "events", "--kind", kind, "--json").out)[-1]["statement_id"]

    done = stratlog("--db", alpine_db, "correct", statement[:8], "--value", value)

    assert done.code == 2 and problem in done.err and "Traceback" not in done.err, done.err

