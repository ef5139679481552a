"""`record` takes the announcement date and source from an earlier statement (--like) or the environment.

Options given always win; --like beats the environment (which is then not read at all); the quote
is never inherited, since each statement quotes its own words.
"""

from __future__ import annotations

import json

import pytest

ENVIRONMENT = {"STRATLOG_ANNOUNCED_ON": "2024-02", "STRATLOG_SOURCE_TITLE": "Capital markets day",
               "STRATLOG_SOURCE_URL": "https://example.com/cmd", "STRATLOG_SOURCE_PUBLISHER": "Alpine",
               "STRATLOG_SOURCE_SPEAKER": "Philippe Krief", "STRATLOG_SOURCE_LANGUAGE": "en"}


@pytest.fixture
def earlier(alpine_db, stratlog) -> dict:
    """The A290 plan of the bundled scenario (announced 2023-06, with a French quote)."""
    rows = json.loads(stratlog("--db", alpine_db, "events", "--json").out)
    return next(r for r in rows if r["kind"] == "model-planned" and r["model"] == "A290")


def shown(stratlog, db: str, statement_id: str) -> dict:
    return json.loads(stratlog("--db", db, "show", statement_id, "--json").out)


def count(stratlog, db: str) -> int:
    return len(json.loads(stratlog("--db", db, "events", "--json").out))


def test_like_reuses_the_announcement_and_the_source_but_not_the_quote(alpine_db, stratlog, earlier):
    recorded = stratlog("--db", alpine_db, "record", "model-planned", "alpine", "A390", "--planned-for", "2025",
                        "--like", earlier["statement_id"][:8], "--quote", "un GT crossover")
    assert recorded.code == 0, recorded.err
    card = shown(stratlog, alpine_db, recorded.out.strip())
    assert card["announced_on"] == earlier["announced_on"] == "2023-06"
    assert card["source"] == {**{k: v for k, v in earlier["source"].items() if k != "quote"}, "quote": "un GT crossover"}


def test_options_given_win_over_like(alpine_db, stratlog, earlier):
    recorded = stratlog("--db", alpine_db, "record", "model-planned", "alpine", "A390", "--planned-for", "2025",
                        "--like", earlier["statement_id"], "--announced-on", "2023-07", "--speaker", "Luca de Meo")
    card = shown(stratlog, alpine_db, recorded.out.strip())
    assert (card["announced_on"], card["source"]["speaker"]) == ("2023-07", "Luca de Meo")
    assert card["source"]["title"] == earlier["source"]["title"]


def test_like_takes_the_source_as_corrected(alpine_db, stratlog, earlier):
    assert stratlog("--db", alpine_db, "correct", earlier["statement_id"], "--source-title", "Le Figaro").code == 0
    recorded = stratlog("--db", alpine_db, "record", "model-planned", "alpine", "A390", "--planned-for", "2025",
                        "--like", earlier["statement_id"])
    assert shown(stratlog, alpine_db, recorded.out.strip())["source"]["title"] == "Le Figaro"


def test_the_environment_fills_the_options_not_given(alpine_db, stratlog, monkeypatch):
    for name, value in ENVIRONMENT.items():
        monkeypatch.setenv(name, value)
    recorded = stratlog("--db", alpine_db, "record", "model-planned", "alpine", "A390", "--planned-for", "2025",
                        "--publisher", "Reuters")
    card = shown(stratlog, alpine_db, recorded.out.strip())
    assert card["announced_on"] == "2024-02"
    assert card["source"] == {"title": "Capital markets day", "url": "https://example.com/cmd", "publisher": "Reuters",
                              "speaker": "Philippe Krief", "language": "en"}


def test_like_beats_the_environment_which_is_then_not_read(alpine_db, stratlog, monkeypatch, earlier):
    for name, value in ENVIRONMENT.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("STRATLOG_ANNOUNCED_ON", "not a date")
    recorded = stratlog("--db", alpine_db, "record", "model-planned", "alpine", "A390", "--planned-for", "2025",
                        "--like", earlier["statement_id"])
    assert recorded.code == 0, recorded.err
    card = shown(stratlog, alpine_db, recorded.out.strip())
    assert card["announced_on"] == "2023-06" and "url" not in card["source"]


def test_a_bad_environment_value_names_its_variable_and_writes_nothing(alpine_db, stratlog, monkeypatch):
    before = count(stratlog, alpine_db)
    monkeypatch.setenv("STRATLOG_ANNOUNCED_ON", "2024-13")
    monkeypatch.setenv("STRATLOG_SOURCE_TITLE", "Capital markets day")
    monkeypatch.setenv("STRATLOG_SOURCE_LANGUAGE", "NO")
    refused = stratlog("--db", alpine_db, "record", "model-planned", "alpine", "A390", "--planned-for", "2025")
    assert refused.code == 2
    assert refused.err.strip() == ("Error: $STRATLOG_ANNOUNCED_ON: '2024-13' is not a real date (month must be in "
                                   "1..12); $STRATLOG_SOURCE_LANGUAGE: 'NO' is not a language code (e.g. fr, en, pt-BR)")
    assert count(stratlog, alpine_db) == before


def test_like_of_a_fix_or_an_unknown_id_is_refused_naming_the_option(alpine_db, stratlog, earlier):
    fix = stratlog("--db", alpine_db, "correct", earlier["statement_id"], "--planned-for", "2024-06").out.strip()
    before = count(stratlog, alpine_db)
    refused = stratlog("--db", alpine_db, "record", "model-planned", "alpine", "A390", "--like", fix)
    assert refused.code == 2
    assert refused.err.strip() == (f"Error: --like: {fix} is a statement-corrected, which has no announced_on or "
                                   f"source to reuse; name a statement")
    unknown = stratlog("--db", alpine_db, "record", "model-planned", "alpine", "A390", "--like", "ffffffff")
    assert (unknown.code, unknown.err.strip()) == (1, "Error: --like: no statement has an id starting with 'ffffffff'")
    assert count(stratlog, alpine_db) == before
