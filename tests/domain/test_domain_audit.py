"""The audit of a brand's targets (DESIGN.md §5 audit): the brand's revisions vs our own fixes."""

import pytest

from stratlog.domain.groups import fold_group, grouped
from stratlog.domain.history import Entry, apply_fixes
from stratlog.domain.views import audit
from tests.builders import RECORDED, SOURCE, fix, statement


def target_set(value=100000, deadline=2030, announced_on="2023-06", kpi="annual-sales", unit="vehicles"):
    return statement("target-set", kpi=kpi, deadline=deadline, value=value, unit=unit, comparator="at-least",
                     announced_on=announced_on)


def change(kind, announced_on, deadline=2030, kpi="annual-sales", **fields):
    return statement(kind, kpi=kpi, deadline=deadline, announced_on=announced_on, **fields)


def audit_of(*recorded, **filters):
    entries = [Entry(s.statement_id(), n, RECORDED, s) for n, s in enumerate(recorded, 1)]
    members = grouped(apply_fixes(entries))
    groups = [g for name, es in members.items() if (g := fold_group(name, es, None))]
    return audit(groups, "alpine", **filters)


def changes(rows):
    return [row["change"] for row in rows]


LIFE = (
    target_set(100000, announced_on="2023-06"),
    change("target-revised", "2024-01", value=120000),
    change("target-revised", "2024-06", value=110000),
    change("target-revised", "2025", new_deadline=2031),
    change("target-reaffirmed", "2026", deadline=2031),
    change("target-withdrawn", "2027", deadline=2031, reason="strategy reset"),
)


def test_a_target_s_life_reads_set_raised_lowered_deadline_moved_reaffirmed_withdrawn():
    assert changes(audit_of(*LIFE)) == ["set", "raised", "lowered", "deadline-moved", "reaffirmed", "withdrawn"]


def test_each_audit_row_shows_the_old_and_new_value_and_deadline():
    rows = [(r["old_value"], r["new_value"], r["old_deadline"], r["new_deadline"]) for r in audit_of(*LIFE)]

    assert rows == [
        (None, 100000, None, "2030"),
        (100000, 120000, "2030", "2030"),
        (120000, 110000, "2030", "2030"),
        (110000, 110000, "2030", "2031"),
        (110000, 110000, "2031", "2031"),
        (110000, None, "2031", "2031"),
    ]


def test_each_audit_row_says_when_and_where_it_was_stated():
    row = audit_of(*LIFE)[1]

    assert (row["brand"], row["kpi"], row["deadline"]) == ("alpine", "annual-sales", "2030")
    assert (row["announced_on"], row["statement_id"], row["source"]) == ("2024-01", LIFE[1].statement_id(), SOURCE["title"])
    assert row["recorded_at"] == "2024-01-15T09:00:00.000000Z"


def test_a_deadline_moved_together_with_the_value_is_a_deadline_move():
    rows = audit_of(target_set(), change("target-revised", "2024", value=150000, new_deadline=2032))

    assert [(r["change"], r["new_value"], r["new_deadline"]) for r in rows][1] == ("deadline-moved", 150000, "2032")


def test_a_non_numeric_change_is_a_revision():
    rows = audit_of(target_set(True, deadline=2026, kpi="profitability", unit="yes/no"),
                    change("target-revised", "2024", deadline=2026, kpi="profitability", value=False))

    assert changes(rows) == ["set", "revised"]


@pytest.mark.parametrize("value, kind", [(100000, "reaffirmed"), (130000, "raised"), (90000, "lowered")])
def test_a_target_set_again_at_the_same_deadline_reads_as_a_revision_of_it(value, kind):
    assert changes(audit_of(target_set(), target_set(value, announced_on="2024"))) == ["set", kind]


def test_the_audit_is_in_fold_order_not_recording_order():
    revision_dated_2023 = change("target-revised", "2023", value=120000)

    rows = audit_of(revision_dated_2023, target_set(announced_on="2023-06"))

    assert [(r["change"], r["announced_on"]) for r in rows] == [("set", "2023-06"), ("raised", "2023")]


def test_the_deadline_filter_matches_a_target_s_earlier_deadline():
    assert changes(audit_of(*LIFE, deadline="2030")) == changes(audit_of(*LIFE))
    assert len(audit_of(*LIFE, deadline="2031")) == 6
    assert audit_of(*LIFE, deadline="2029") == []


def test_the_kpi_filter_keeps_one_kpi():
    rows = audit_of(*LIFE, target_set(2000000000, deadline=2026, kpi="revenue", unit="EUR"), kpi="revenue")

    assert [(r["kpi"], r["change"]) for r in rows] == [("revenue", "set")]


# ---- our fixes are flagged, never the brand's revisions --------------------------------------

def test_a_correction_of_a_target_is_flagged_and_not_counted_as_a_revision():
    setting = target_set(10000)
    correction = fix("statement-corrected", corrects=setting.statement_id(), fields={"value": 100000},
                     note="an extra zero was lost")

    rows = audit_of(setting, correction)

    assert [(r["change"], r["flagged"]) for r in rows] == [("set", False), ("corrected", True)]
    assert rows[0]["new_value"] == 100000
    assert (rows[1]["statement_id"], rows[1]["note"]) == (correction.statement_id(), "an extra zero was lost")


def test_a_corrected_revision_keeps_the_brand_s_change_with_the_corrected_value():
    revision = change("target-revised", "2024", value=120000)
    correction = fix("statement-corrected", corrects=revision.statement_id(), fields={"value": 125000})

    rows = audit_of(target_set(), revision, correction)

    assert [(r["change"], r["new_value"], r["flagged"]) for r in rows] == [
        ("set", 100000, False), ("raised", 125000, False), ("corrected", 125000, True)]


def test_a_correction_row_shows_the_value_it_replaced():
    setting = target_set(10000)
    correction = fix("statement-corrected", corrects=setting.statement_id(), fields={"value": 100000})

    corrected = audit_of(setting, correction)[1]

    assert (corrected["old_value"], corrected["new_value"]) == (10000, 100000)


def test_a_retracted_revision_is_flagged_and_no_longer_counted():
    revision = change("target-revised", "2024", value=120000)
    retraction = fix("statement-retracted", retracts=revision.statement_id(), reason="another brand's target")

    rows = audit_of(target_set(), revision, retraction)

    assert [(r["change"], r["flagged"]) for r in rows] == [("set", False), ("retracted", True)]
    assert (rows[1]["old_value"], rows[1]["statement_id"]) == (120000, retraction.statement_id())
    assert rows[1]["note"] == "another brand's target"


def test_a_retracted_revision_no_longer_changes_the_target():
    revision = change("target-revised", "2024", value=120000)
    retraction = fix("statement-retracted", retracts=revision.statement_id(), reason="misread")
    entries = [Entry(s.statement_id(), n, RECORDED, s) for n, s in enumerate((target_set(), revision, retraction), 1)]

    group = fold_group("targets:annual-sales:", apply_fixes(entries), None)

    assert [t["value"] for t in group["targets"]] == [100000]


def restated(announced_on, deadline=2022, kpi="production", **terms):
    return statement("target-set", kpi=kpi, deadline=deadline, announced_on=announced_on, unit="vehicles",
                     **{"comparator": "at-least", **terms})


def test_a_range_cut_to_a_lower_range_reads_lowered_not_reaffirmed():
    rows = audit_of(restated("2022-02", low=12000, high=14000), restated("2022-08-03", low=6000, high=7000))

    assert changes(rows) == ["set", "lowered"]
    old_and_new = [rows[1][f"{side}_{column}"] for side in ("old", "new") for column in ("value", "low", "high")]
    assert old_and_new == [None, 12000, 14000, None, 6000, 7000]


def test_a_number_becoming_a_lower_range_reads_lowered():
    rows = audit_of(restated("2022-02", value=290000), restated("2022-10", low=155000, high=165000))

    assert changes(rows) == ["set", "lowered"]


def test_a_change_of_comparator_or_horizon_alone_reads_revised():
    rows = audit_of(restated("2022-02", value=2026), restated("2022-10", value=2026, comparator="about", horizon="in"))

    assert changes(rows) == ["set", "revised"]
