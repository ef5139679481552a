"""A record on a long targets unit costs what it changes: the catch-up folds on from the unit's checkpoint
(infrastructure/fold_checkpoints.py) and decodes only what was recorded since, leaving the rows a rebuild
makes; a checkpoint that does not fit (a statement sorting earlier, a fix) or that is not ours is ignored."""

from __future__ import annotations

import os
import pickle
import sqlite3
import zlib

import pytest

from stratlog.domain.errors import StratlogError
from stratlog.domain.fixes import StatementCorrected, StatementRetracted
from stratlog.infrastructure.event_source import EventSource
from tests.application.test_record_cost import assert_rows_of_a_rebuild, registered
from tests.builders import statement

SALES = {"kpi": "annual-sales", "unit": "vehicles"}


def target(kind: str, day: str, **fields):
    return statement(kind, brand="acme", announced_on=day, source={"title": f"t-{day}"}, **fields)


def long_unit(runtime, revisions: int = 40) -> list[str]:
    """A 2030 sales target set in 2020 and revised once a week after, recorded in one command."""
    said = [target("target-set", "2020-01-01", deadline="2030", value=100000, comparator="at-least", **SALES)]
    said += [target("target-revised", f"2020-{1 + n // 4:02d}-{2 + 7 * (n % 4):02d}", kpi="annual-sales",
                    deadline="2030", value=100000 + n) for n in range(revisions)]
    result = runtime.ledger.record(said)
    runtime.catch_up()
    return result.new


def record_and_catch_up(runtime, folded: list, records: list) -> tuple:
    """Record `records` and catch up: the record's result, and whether a targets unit was folded from its first
    entry (rather than on from its checkpoint)."""
    folded.clear()
    result = runtime.ledger.record(records)
    runtime.catch_up()
    return result, any(group.startswith("targets:") for group in folded)


LATER = [target("target-revised", "2022-01-01", kpi="annual-sales", deadline="2030", value=5)]


@pytest.fixture
def watched(tmp_path, monkeypatch):
    """A registered brand's runtime, with the groups folded from their first entry and the versions decoded
    (by the rules' check and by the catch-up)."""
    import stratlog.infrastructure.read_model as read_model
    from stratlog.infrastructure import fold_checkpoints
    monkeypatch.setattr(fold_checkpoints, "CHECKPOINT_FROM", 1)  # every unit keeps one (see the last test)
    runtime = registered(str(tmp_path / "s.db"))
    folded, decoded = [], []
    real_rows = read_model.item_rows
    monkeypatch.setattr(read_model, "item_rows", lambda group, *a, **k: folded.append(group) or real_rows(group, *a, **k))
    real_events = EventSource.events_of
    monkeypatch.setattr(EventSource, "events_of", lambda self, subject, versions: decoded.extend(versions) or
                        real_events(self, subject, versions))
    yield runtime, folded, decoded
    runtime.close()


def test_statements_announced_after_a_long_unit_are_folded_from_its_checkpoint(watched):
    runtime, folded, decoded = watched
    long_unit(runtime)
    in_order = [
        [target("target-revised", "2021-02-01", kpi="annual-sales", deadline="2030", value=150000)],
        [target("target-reaffirmed", "2021-03-01", kpi="annual-sales", deadline="2030")],
        [target("target-revised", "2021-04-01", kpi="annual-sales", deadline="2030", new_deadline="2031")],
        [target("target-set", "2021-05-01", deadline="2030", value=90000, comparator="about", **SALES),
         target("target-revised", "2021-05-02", kpi="annual-sales", deadline="2031", low=1, high=3)],
        [target("target-withdrawn", "2021-06-01", kpi="annual-sales", deadline="2030")],
        [target("target-set", "2021-06-15", deadline="2032", value=5, comparator="at-least", **SALES)],
        [target("guidance-withdrawn", "2021-07-01", kpis=["annual-sales"])],
    ]
    for records in in_order:
        decoded.clear()
        assert not record_and_catch_up(runtime, folded, records)[1], records[0].KIND
        if records[0].KIND != "guidance-withdrawn":  # its check reads every targets unit's audit (what it matches)
            assert len(decoded) <= len(records), records[0].KIND  # the new events at most, never the unit's history
    assert_rows_of_a_rebuild(runtime)


def test_refusals_from_a_checkpoint_are_those_of_the_whole_history(watched):
    """The rules checked from a checkpoint refuse what they refuse on the whole unit, naming the same statements."""
    runtime, _, decoded = watched
    long_unit(runtime)
    runtime.ledger.record([target("target-set", "2020-06-01", deadline="2031", value=5, comparator="at-least", **SALES)])
    runtime.catch_up()
    refused = [
        [target("target-revised", "2021-01-01", kpi="annual-sales", deadline="2029", value=1)],  # no such target
        [target("target-revised", "2021-01-01", kpi="annual-sales", deadline="2030", new_deadline="2031")],  # taken
    ]
    for records in refused:
        decoded.clear()
        with pytest.raises(StratlogError) as resumed:
            runtime.ledger.record(records)
        assert len(decoded) <= len(records)
        runtime.ledger.units = None  # the whole subject replayed, every rule on every member
        with pytest.raises(StratlogError) as replayed:
            runtime.ledger.record(records)
        runtime.ledger.units = runtime.units
        assert (type(resumed.value), str(resumed.value)) == (type(replayed.value), str(replayed.value))


def test_a_statement_sorting_earlier_or_a_fix_folds_the_unit_again_and_the_next_record_resumes(watched):
    runtime, folded, _ = watched
    ids = long_unit(runtime)
    for records in ([target("target-revised", "2020-02-20", kpi="annual-sales", deadline="2030", value=7)],
                    [StatementCorrected(corrects=ids[5], fields={"value": 123456}, note="typo")],
                    [StatementRetracted(retracts=ids[7], reason="wrong brand")]):
        assert record_and_catch_up(runtime, folded, records)[1]
    assert not record_and_catch_up(runtime, folded, LATER)[1]  # a unit with fixes resumes too
    assert_rows_of_a_rebuild(runtime)


class _Planted:
    """What a hostile database could store as a checkpoint: a pickle that runs a command when loaded."""

    def __init__(self, marker: str):
        self.marker = marker

    def __reduce__(self):
        return (os.system, (f"touch {self.marker}",))


def _reaching_through(module: str, name: str, argument: bytes) -> bytes:
    """A protocol-4 pickle calling `module`.`name`(argument), `name` dotted (a module's own import)."""
    def text(value: str) -> bytes:
        return b"\x8c" + bytes([len(value)]) + value.encode()
    return b"\x80\x04" + text(module) + text(name) + b"\x93" + b"C" + bytes([len(argument)]) + argument + b"\x85R."


@pytest.mark.parametrize("state", ["a function", "a dotted name", "not a checkpoint", "garbage", "not compressed"])
def test_a_checkpoint_that_is_not_a_fold_state_is_ignored_whatever_it_holds(watched, tmp_path, state):
    """The unpickler takes classes defined in stratlog's domain only (never os.system, nor
    `date_fold.pickle.loads`, a module's import), and only a FoldCheckpoint: anything else is ignored (the
    unit folded from its first entry), never run, by record and verify alike. Each state is compressed as a
    checkpoint is, so that it reaches the unpickler (but the last)."""
    from stratlog.application.verification import verify_read_model
    runtime, folded, _ = watched
    long_unit(runtime)
    marker = tmp_path / "ran"
    runs = pickle.dumps(_Planted(str(marker)))
    planted = {"a function": zlib.compress(runs),
               "a dotted name": zlib.compress(_reaching_through("stratlog.domain.date_fold", "pickle.loads", runs)),
               "not a checkpoint": zlib.compress(pickle.dumps(5)), "garbage": zlib.compress(b"\x80\x05garbage"),
               "not compressed": runs}[state]
    runtime.read_model.conn.execute("UPDATE rm_checkpoints SET state=?", (planted,))
    runtime.read_model.conn.commit()
    assert verify_read_model(runtime.ledger, runtime.fresh_read_model()).problems == []
    assert record_and_catch_up(runtime, folded, LATER)[1]
    assert not marker.exists()
    assert_rows_of_a_rebuild(runtime)


def test_a_checkpoint_left_on_another_unit_is_ignored(watched):
    """Two brands' targets units last written at one instant; their unit ids renumbered under the checkpoints
    (what a rebuild by an older stratlog, which keeps this table, leaves): each is ignored, not folded on."""
    runtime, folded, _ = watched
    runtime.ledger.record([statement("brand-registered", brand="beta", source=None, name="Beta")])
    runtime.ledger.record([target("target-set", "2020-01-01", deadline="2030", value=100, comparator="at-least", **SALES),
                           statement("target-set", brand="beta", announced_on="2020-01-01", source={"title": "b"},
                                     deadline="2029", value=200, comparator="at-least", **SALES)])
    runtime.catch_up()
    conn: sqlite3.Connection = runtime.read_model.conn
    units = [unit for (unit,) in conn.execute("SELECT unit FROM rm_checkpoints ORDER BY unit")]
    assert len(units) == 2 and len({k for (k,) in conn.execute("SELECT latest_known FROM rm_checkpoints")}) == 1
    conn.execute("UPDATE rm_checkpoints SET unit = -unit")
    conn.execute("UPDATE rm_checkpoints SET unit = ? WHERE unit = ?", (units[1], -units[0]))
    conn.execute("UPDATE rm_checkpoints SET unit = ? WHERE unit = ?", (units[0], -units[1]))
    conn.commit()
    beta = statement("target-revised", brand="beta", announced_on="2021-01-01", source={"title": "r"},
                     kpi="annual-sales", deadline="2029", value=7000)
    recorded, refolded = record_and_catch_up(runtime, folded, [beta])
    assert recorded.new == [beta.statement_id()] and refolded  # beta's own target, found
    assert_rows_of_a_rebuild(runtime)


def test_a_checkpoint_taken_at_another_instant_is_ignored(watched):
    runtime, folded, _ = watched
    long_unit(runtime)
    conn: sqlite3.Connection = runtime.read_model.conn
    conn.execute("UPDATE rm_checkpoints SET latest_known = latest_known - 1")
    conn.commit()
    assert record_and_catch_up(runtime, folded, LATER)[1]
    assert_rows_of_a_rebuild(runtime)


def test_a_unit_folded_again_decodes_its_history(watched):
    """The counterpart of the first test: what `decoded` counts when a unit is folded from its first entry."""
    runtime, _, decoded = watched
    long_unit(runtime)
    decoded.clear()
    runtime.ledger.record([target("target-revised", "2020-02-20", kpi="annual-sales", deadline="2030", value=7)])
    runtime.catch_up()
    assert len(decoded) > 40


def test_verify_names_a_checkpoint_that_says_something_else_than_the_fold(watched):
    """A checkpoint that loads and counts (its instant is the unit's) but holds another target value is what
    the next record would fold on from: verify compares it with a plain fold of the unit and names it."""
    from stratlog.application.verification import verify_read_model
    from stratlog.infrastructure.fold_checkpoints import save_checkpoint, unit_checkpoint
    from stratlog.infrastructure.item_codec import latest_known
    runtime, _, _ = watched
    long_unit(runtime)
    assert verify_read_model(runtime.ledger, runtime.fresh_read_model()).problems == []
    conn: sqlite3.Connection = runtime.read_model.conn
    unit, subject, group, latest = conn.execute(
        "SELECT unit, subject_id, grp, latest_known FROM rm_checkpoints").fetchone()
    checkpoint = unit_checkpoint(conn, subject, group)
    checkpoint.folder.targets[0].item = None
    checkpoint.folder.targets[0].seq = 7  # what a tampered or stale state could hold
    save_checkpoint(conn, unit, subject, group, latest_known(latest), checkpoint)
    conn.commit()
    problems = verify_read_model(runtime.ledger, runtime.fresh_read_model()).unit_problems
    assert len(problems) == 1 and problems[0].startswith("acme targets:annual-sales: (subject ")
    assert problems[0].endswith("its fold checkpoint differs from the fold (targets); run 'stratlog projections rebuild'")


def test_a_unit_keeps_a_checkpoint_once_it_is_long(watched, monkeypatch):
    """A short unit folds in a few milliseconds: it keeps no checkpoint (a few KB) until it holds CHECKPOINT_FROM
    members."""
    from stratlog.infrastructure import fold_checkpoints
    monkeypatch.setattr(fold_checkpoints, "CHECKPOINT_FROM", 10)
    runtime, _, _ = watched
    conn: sqlite3.Connection = runtime.read_model.conn
    runtime.ledger.record([target("target-set", "2020-01-01", deadline="2030", value=1, comparator="at-least", **SALES)])
    runtime.catch_up()
    for day in range(2, 10):
        assert conn.execute("SELECT COUNT(*) FROM rm_checkpoints").fetchone()[0] == 0
        runtime.ledger.record([target("target-revised", f"2020-01-{day:02d}", kpi="annual-sales", deadline="2030",
                                      value=day)])
        runtime.catch_up()
    assert conn.execute("SELECT COUNT(*) FROM rm_checkpoints").fetchone()[0] == 0  # 9 members
    runtime.ledger.record([target("target-revised", "2020-01-10", kpi="annual-sales", deadline="2030", value=10)])
    runtime.catch_up()
    assert conn.execute("SELECT COUNT(*) FROM rm_checkpoints").fetchone()[0] == 1
    assert_rows_of_a_rebuild(runtime)
