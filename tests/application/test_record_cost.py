"""A record costs what it changes: a subject is resumed from the fold units it touches (never replayed when
the read model is current), and statements recorded one by one leave the rows a rebuild makes."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stratlog.domain.errors import StratlogError
from stratlog.domain.fixes import StatementCorrected, StatementRetracted
from stratlog.domain.statement import subject_id
from stratlog.infrastructure.config import settings as stratlog_settings
from stratlog.infrastructure.runtime import Runtime
from tests.application.test_read_model_equals_fold import statements
from tests.builders import statement


@pytest.fixture(autouse=True)
def every_unit_keeps_a_checkpoint(monkeypatch):
    """Units here are short: let every one keep a fold checkpoint, so records fold on from them too."""
    from stratlog.infrastructure import fold_checkpoints
    monkeypatch.setattr(fold_checkpoints, "CHECKPOINT_FROM", 1)



def item_rows_of(read_model) -> list[tuple]:
    """Every rm_items row as the fold wrote it (texts, canonical JSON), with its unit's brand, subject and group."""
    return sorted((brand, subject, grp, *row) for unit, brand, subject, grp in read_model.conn.execute(
        "SELECT unit, g.brand, su.subject_id, grp FROM rm_groups g JOIN rm_subjects su ON su.id = g.subject").fetchall()
        for row in read_model.stored_rows("i.unit=?", (unit,)))


def registered(db: str) -> Runtime:
    runtime = Runtime(stratlog_settings(db), writing=True)
    runtime.ledger.record([statement("brand-registered", brand="acme", source=None, name="Acme", fiscal_year_end=3)])
    runtime.catch_up()
    return runtime


def valuation(day: str, amount: int = 1):
    return statement("valuation-updated", brand="acme", announced_on=day, valued_on=day, basis="market cap",
                     value={"amount": amount * 10**8, "currency": "EUR"}, source={"title": f"s-{day}"})


def test_a_record_on_a_current_read_model_does_not_replay_the_subject(tmp_path, monkeypatch):
    runtime = registered(str(tmp_path / "s.db"))
    try:
        runtime.ledger.record([valuation(f"2024-01-{day:02d}") for day in range(1, 20)])
        runtime.catch_up()
        monkeypatch.setattr(runtime.ledger.repository, "get", lambda *a, **k: (_ for _ in ()).throw(
            AssertionError("the whole subject was replayed")))
        result = runtime.ledger.record([valuation("2024-02-01"), valuation("2024-01-05", 2)])
        assert len(result.new) == 2
        runtime.catch_up()
        again = runtime.ledger.record([valuation("2024-02-01")])
        assert again.existing == [valuation("2024-02-01").statement_id()] and not again.new
    finally:
        runtime.close()


def test_a_lagging_read_model_makes_the_record_replay_the_subject(tmp_path):
    runtime = registered(str(tmp_path / "s.db"))
    try:
        runtime.ledger.record([valuation("2024-01-01")])  # not caught up: the read model is behind the log
        loaded = []
        get = runtime.ledger.repository.get
        runtime.ledger.repository.get = lambda *a, **k: loaded.append(a) or get(*a, **k)
        runtime.ledger.record([valuation("2024-01-02")])
        assert loaded and loaded[0][0] == subject_id("brand", "acme")
    finally:
        runtime.close()


def test_fixes_and_earlier_statements_on_a_long_unit_leave_the_rows_of_a_rebuild(tmp_path):
    runtime = registered(str(tmp_path / "s.db"))
    try:
        runtime.ledger.record([valuation(f"2023-{month:02d}-{day:02d}", day) for month in range(1, 13)
                               for day in (1, 15)])
        runtime.catch_up()
        first = valuation("2023-01-01", 1).statement_id()
        for records in ([valuation("2024-01-01", 3)], [valuation("2022-06-01", 4)],
                        [StatementCorrected(corrects=first, fields={"announced_on": "2023-02"}, note="n")],
                        [StatementRetracted(retracts=valuation("2023-03-15", 15).statement_id(), reason="r")]):
            runtime.ledger.record(records)
            runtime.catch_up()
        assert_rows_of_a_rebuild(runtime)
    finally:
        runtime.close()


def members_of(conn) -> list[tuple]:
    """Every rm_members row with its subject's hex id (subjects are numbered in folding order)."""
    return conn.execute("SELECT su.subject_id, grp, version FROM rm_members JOIN rm_subjects su ON su.id = subject "
                        "ORDER BY 1,2,3").fetchall()


def assert_rows_of_a_rebuild(runtime: Runtime) -> None:
    conn = runtime.read_model.conn
    before = item_rows_of(runtime.read_model)
    members = members_of(conn)
    runtime.read_model.rebuild(runtime.log)
    assert item_rows_of(runtime.read_model) == before
    assert members_of(conn) == members


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(said=st.lists(statements(), min_size=1, max_size=12), fixes=st.lists(
    st.tuples(st.sampled_from(["correct", "retract"]), st.integers(0, 10**6)), max_size=3))
def test_statements_recorded_one_by_one_are_accepted_like_a_replay_and_fold_like_a_rebuild(tmp_path_factory, said, fixes):
    """Each statement (in random announced order) and fix is recorded alone on a current read model
    (resumed units) and on one that lags (the whole subject replayed): both accept or refuse alike, and
    the rows caught up one command at a time are those of a rebuild."""
    folder = tmp_path_factory.mktemp("one-by-one")
    resumed, replayed = registered(str(folder / "a.db")), registered(str(folder / "b.db"))
    replayed.ledger.units = None
    try:
        recorded: list[str] = []
        commands = [[s] for s in said] + [("fix", kind, pick) for kind, pick in fixes]
        for command in commands:
            if command[0] == "fix":
                if not recorded:
                    continue
                target = recorded[command[2] % len(recorded)]
                command = [StatementCorrected(corrects=target, fields={"announced_on": "2024"}, note="n")
                           if command[1] == "correct" else StatementRetracted(retracts=target, reason="r")]
            outcomes = []
            for runtime in (resumed, replayed):
                try:
                    outcomes.append(sorted(runtime.ledger.record(command).new))
                    runtime.catch_up()
                except StratlogError as error:
                    outcomes.append(str(error))
            assert outcomes[0] == outcomes[1]
            recorded += outcomes[0] if isinstance(outcomes[0], list) else []
        assert_rows_of_a_rebuild(resumed)
    finally:
        resumed.close()
        replayed.close()


def test_valuations_appended_in_order_write_only_their_items_and_match_a_rebuild(tmp_path, monkeypatch):
    """A valuation announced after every other one is caught up without folding the unit again (its
    item's row ends, a new one opens); the same valued_on restated, two in one command, and a back-dated
    one (folded again) all leave the rows of a rebuild."""
    import stratlog.infrastructure.read_model as read_model
    runtime = registered(str(tmp_path / "s.db"))
    folded = []
    real = read_model.item_rows
    monkeypatch.setattr(read_model, "item_rows", lambda group, *a, **k: folded.append(group) or real(group, *a, **k))
    try:
        runtime.ledger.record([valuation(f"2023-01-{day:02d}", day) for day in range(1, 11)])
        runtime.catch_up()
        folded.clear()
        restated = statement("valuation-updated", brand="acme", announced_on="2023-02-01", valued_on="2023-01-03",
                             basis="market cap", value={"amount": 7 * 10**8, "currency": "EUR"}, source={"title": "r"})
        for records in ([valuation("2023-01-20", 2)], [restated], [valuation("2023-03-01", 3), valuation("2023-03-02", 4)]):
            runtime.ledger.record(records)
            runtime.catch_up()
        assert "valuations" not in folded
        assert_rows_of_a_rebuild(runtime)
        folded.clear()
        runtime.ledger.record([valuation("2022-12-01", 5)])  # sorts before the others: the unit is folded again
        runtime.catch_up()
        assert "valuations" in folded
        runtime.ledger.record([valuation("2023-04-01", 6)])
        runtime.catch_up()
        assert_rows_of_a_rebuild(runtime)
    finally:
        runtime.close()


def actual(day: str, period: str, value: int, scope: str = "US"):
    return statement("actual-reported", brand="acme", announced_on=day, kpi="annual-sales", period=period,
                     value=value * 1000, unit="vehicles", scope=scope, source={"title": f"a-{day}"})


def test_actuals_appended_keep_the_header_of_their_first_statement(tmp_path, monkeypatch):
    """Actuals carry their list's header (KPI, scope as the first statement wrote it): appended ones are
    caught up without a refold and leave the rows of a rebuild."""
    import stratlog.infrastructure.read_model as read_model
    runtime = registered(str(tmp_path / "s.db"))
    folded = []
    real = read_model.item_rows
    monkeypatch.setattr(read_model, "item_rows", lambda group, *a, **k: folded.append(group) or real(group, *a, **k))
    try:
        runtime.ledger.record([actual(f"2023-0{m}-01", f"2022-0{m}", m) for m in range(1, 6)])
        runtime.catch_up()
        folded.clear()
        for records in ([actual("2023-07-01", "2022-06", 6, scope="us")], [actual("2023-08-01", "2022-01", 9)]):
            runtime.ledger.record(records)
            runtime.catch_up()
        assert not folded
        assert_rows_of_a_rebuild(runtime)
    finally:
        runtime.close()


def test_subjects_are_saved_in_the_order_a_replaying_ledger_saves_them(tmp_path):
    """A brand statement's brand is met when its registration is checked, before the command records
    subject by subject: its events come first in the log, as when that check loaded the brand."""
    runtime = registered(str(tmp_path / "s.db"))
    try:
        runtime.ledger.record([statement("brand-registered", brand="other", source=None, name="Other")])
        runtime.catch_up()
        planned = statement("model-planned", brand="other", model="B1", announced_on="2024-01", source={"title": "p"})
        result = runtime.ledger.record([planned, valuation("2024-05-01")])
        kinds = [type(event).__qualname__ for _, event in sorted(result.events, key=lambda pair: pair[0])]
        assert kinds == ["Brand.ValuationUpdated", "Model.ModelPlanned"]
    finally:
        runtime.close()
