"""A read model built by an older fold is refolded by itself on first use, and then verifies."""

from __future__ import annotations

import sqlite3

from stratlog.application.fold_version import PROJECTION_VERSION


def stored_version(db: str) -> str | None:
    conn = sqlite3.connect(db)
    try:
        row = conn.execute("SELECT value FROM stratlog_meta WHERE key='projection_version'").fetchone()
    finally:
        conn.close()
    return row and row[0]


def fold_it_as_an_older_fold_would(db: str) -> None:
    """An older fold's rows: an old version number, and a row the current fold would never write."""
    conn = sqlite3.connect(db)
    with conn:
        conn.execute("UPDATE stratlog_meta SET value=? WHERE key='projection_version'", (str(PROJECTION_VERSION - 1),))
        conn.execute("DELETE FROM rm_items WHERE rowid % 2 = 0")
    conn.close()


def test_a_database_folded_by_this_code_stores_its_projection_version(alpine_db):
    assert stored_version(alpine_db) == str(PROJECTION_VERSION)


def test_a_read_model_of_an_older_fold_is_refolded_by_the_first_query_and_then_verifies(alpine_db, stratlog):
    expected = stratlog("--db", alpine_db, "kpis", "--as-of", "2023-06", "--json").out
    fold_it_as_an_older_fold_would(alpine_db)

    answer = stratlog("--db", alpine_db, "kpis", "--as-of", "2023-06", "--json")

    assert (answer.code, answer.out) == (0, expected)
    assert stored_version(alpine_db) == str(PROJECTION_VERSION)
    verified = stratlog("--db", alpine_db, "projections", "verify")
    assert (verified.code, verified.out.splitlines()[-1]) == (0, "OK: the read model equals the fold.")


def test_without_the_version_check_the_older_fold_would_fail_verify(alpine_db, stratlog):
    fold_it_as_an_older_fold_would(alpine_db)
    conn = sqlite3.connect(alpine_db)
    with conn:
        conn.execute("UPDATE stratlog_meta SET value=? WHERE key='projection_version'", (str(PROJECTION_VERSION),))
    conn.close()

    assert stratlog("--db", alpine_db, "projections", "verify").code == 1
