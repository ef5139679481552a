"""Every kind of the catalogue, end to end: its CLI example is recorded, shows in every answer, verifies,
and survives an export imported into a fresh database (DESIGN.md §3: one catalogue drives every layer)."""

from __future__ import annotations

import json
import shlex

import pytest

from stratlog.domain.catalogue import BY_KIND, STATEMENT_CLASSES, SUBJECTS
from stratlog.domain.catalogue import example as cli_example
from tests.builders import EXAMPLES, example

KINDS = [cls.KIND for cls in STATEMENT_CLASSES]
SUBJECT_OF = {cls.KIND: subject for subject in SUBJECTS for cls in subject.statements}
BRAND_STATE = {  # where the brand's own kinds show in `state` (a subject's show in its list)
    "brand-registered": lambda s: s["name"] == "Alpine" and s["parent"] == "Renault Group",
    "valuation-updated": lambda s: s["valuation"] == {"amount": "500000000", "currency": "EUR", "valued_on": "2023"},
    "ipo-considered": lambda s: s["ipo"]["stance"] == "potential",
    "target-set": lambda s: [t["deadline"] for t in s["targets"]] == ["2030"],
    "target-revised": lambda s: [t["deadline"] for t in s["targets"]] == ["2031"],
    "target-reaffirmed": lambda s: [t["status"] for t in s["targets"]] == ["pending"],
    "target-withdrawn": lambda s: [t["status"] for t in s["targets"]] == ["withdrawn"],
    "guidance-withdrawn": lambda s: [t["status"] for t in s["targets"]] == ["withdrawn"],
    "actual-reported": lambda s: [(t["actual"], t["actual_period"]) for t in s["targets"]] == [(4585, "2024")],
}


def answers(stratlog, db: str, brand: str) -> tuple[list, dict]:
    timeline = stratlog("--db", db, "timeline", "--brand", brand, "--json")
    state = stratlog("--db", db, "state", brand, "--json")
    assert timeline.code == state.code == 0, timeline.err + state.err
    return json.loads(timeline.out), json.loads(state.out)


def record(stratlog, db: str, kind: str) -> str:
    result = stratlog("--db", db, "record", *shlex.split(cli_example(BY_KIND[kind])))
    assert result.code == 0, f"stratlog record {cli_example(BY_KIND[kind])}: {result.err}"
    return result.out.strip()


@pytest.mark.parametrize("kind", KINDS)
def test_the_cli_example_of_every_kind_is_recorded_answered_verified_and_restored(kind, db, stratlog, tmp_path):
    said, shown = example(kind), EXAMPLES[kind].row
    if kind != "brand-registered":
        assert stratlog("--db", db, "record", "brand-registered", said.brand, "--name", "Alpine", "--parent",
                        "Renault Group").code == 0
    for before in EXAMPLES[kind].before:
        record(stratlog, db, before)

    statement_id = record(stratlog, db, kind)

    assert statement_id == said.statement_id()  # the CLI example records just what the builder builds
    last = json.loads(stratlog("--db", db, "events", "--format", "json").out)[-1]
    assert {**said.model_dump(mode="json", exclude_none=True), "statement_id": statement_id}.items() <= last.items()
    timeline, state = answers(stratlog, db, said.brand)
    if shown is not None:
        row = next(r for r in timeline if (r["subject_type"], r["subject"]) == shown[:2])
        assert (row["date"], row["status"], row["statement_id"]) == (*shown[2:], statement_id)
    subject = SUBJECT_OF[kind]
    if subject.state is not None:
        assert [r["status"] for r in state[subject.state.key]] == [shown[3]]
    else:
        assert BRAND_STATE[kind](state), state
    verified = stratlog("--db", db, "projections", "verify")
    assert verified.code == 0 and "OK: the read model equals the fold" in verified.out

    backup, copy = str(tmp_path / "backup.jsonl"), str(tmp_path / "copy.db")
    assert stratlog("--db", db, "export", "--out", backup).code == 0
    assert stratlog("--db", copy, "import", backup).code == 0
    assert answers(stratlog, copy, said.brand) == (timeline, state)
