"""Events stored with the old end-date field `on` keep loading under its new name (DESIGN.md §4 r2)."""

import json
import sqlite3

from tests.conftest import copy_fixture


def test_the_fixture_was_written_with_the_old_field_on(tmp_path):
    path = copy_fixture("r2-ends.db", tmp_path)
    bodies = [json.loads(state) for (state,) in sqlite3.connect(path).execute("SELECT state FROM stored_events")]

    ends = [b["statement"] for b in bodies if b["statement"]["kind"] in ("model-discontinued", "model-cancelled",
                                                                          "market-exited")]
    assert sorted(s["on"] for s in ends) == ["2024-05", "2025-03", "2026-06"]
    assert all(b.get("class_version") == 2 for b in bodies)


def test_events_stored_with_on_load_verify_and_show_their_end_dates(tmp_path, stratlog):
    path = copy_fixture("r2-ends.db", tmp_path)

    verified = stratlog("--db", path, "projections", "verify")
    picture = json.loads(stratlog("--db", path, "state", "alpine", "--as-of", "2026-12-31", "--json").out)
    before_end = json.loads(stratlog("--db", path, "timeline", "--brand", "alpine", "--as-of", "2026-01-31",
                                     "--json").out)

    assert verified.code == 0, verified.err
    assert "OK: the read model equals the fold" in verified.out
    models = {m["model"]: m for m in picture["models"]}
    assert (models["A110"]["status"], models["A110"]["discontinued_on"]) == ("discontinued", "2026-06")
    assert (models["A310"]["status"], models["A310"]["cancelled_on"]) == ("cancelled", "2024-05")
    (market,) = picture["markets"]
    assert (market["status"], market["exited_on"]) == ("exited", "2025-03")
    a110 = next(r for r in before_end if r["subject"] == "A110")
    assert (a110["status"], a110["scheduled"]) == ("planned", {"event": "discontinuation", "on": "2026-06"})


def test_the_upcast_renames_on_in_the_stored_body():
    from stratlog.domain.model import Model

    state = {"statement": {"kind": "model-cancelled", "on": "2024-05"}}
    Model.ModelCancelled.upcast_v2_v3(state)

    assert state["statement"] == {"kind": "model-cancelled", "cancelled_on": "2024-05"}
    assert Model.ModelCancelled.class_version >= 3  # 4: the state stores its instant once (test_timestamp_once)
