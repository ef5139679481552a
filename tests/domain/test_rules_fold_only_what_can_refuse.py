"""The rules fold a unit without building its view, and skip the units that refuse nothing: the same refusals."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from stratlog.domain.errors import RuleViolation
from stratlog.domain.groups import fold_group, grouped, refuses
from stratlog.domain.history import Entry, apply_fixes
from stratlog.domain.rules import _strict_fold
from tests.builders import RECORDED, statement

YEARS = st.sampled_from(["2022", "2023", "2023-06", "2024", "2025-03"])
DEADLINES = st.sampled_from(["2028", "2030"])


@st.composite
def brand_statements(draw):
    """Target, guidance and last-word statements of one brand, in any order: many of them break a rule."""
    kind = draw(st.sampled_from(["target-set", "target-revised", "target-reaffirmed", "target-withdrawn",
                                 "guidance-withdrawn", "actual-reported", "valuation-updated", "ipo-considered"]))
    said = {"announced_on": draw(YEARS)}
    if kind == "target-set":
        return statement(kind, kpi="annual-sales", deadline=draw(DEADLINES), value=draw(st.integers(1, 9)) * 1000,
                         unit="cars", comparator="at-least", **said)
    if kind == "target-revised":
        return statement(kind, kpi="annual-sales", deadline=draw(DEADLINES), value=draw(st.integers(1, 9)) * 1000,
                         **({"new_deadline": "2031"} if draw(st.booleans()) else {}), **said)
    if kind in ("target-reaffirmed", "target-withdrawn"):
        return statement(kind, kpi="annual-sales", deadline=draw(DEADLINES), **said)
    if kind == "guidance-withdrawn":
        return statement(kind, **said)
    if kind == "actual-reported":
        return statement(kind, kpi="annual-sales", period=draw(YEARS), value=draw(st.integers(1, 9)), unit="cars", **said)
    if kind == "valuation-updated":
        return statement(kind, value={"amount": draw(st.integers(1, 9)), "currency": "EUR"}, **said)
    return statement(kind, stance=draw(st.sampled_from(["considered", "planned"])), **said)


@st.composite
def model_statements(draw):
    kind = draw(st.sampled_from(["model-planned", "model-revealed", "model-launched", "model-rescheduled",
                                 "model-cancelled"]))
    said = {"announced_on": draw(YEARS), "model": "A290"}
    if kind == "model-planned":
        return statement(kind, planned_for=draw(YEARS), **said)
    if kind == "model-revealed":
        return statement(kind, revealed_on=draw(YEARS), **said)
    if kind == "model-launched":
        return statement(kind, markets=draw(st.sampled_from([None, ["FR"], ["FR", "DE"]])), **said)
    if kind == "model-rescheduled":
        return statement(kind, planned_for=draw(YEARS), **said)
    return statement(kind, **said)


def outcome(fold) -> str | None:
    try:
        fold()
    except RuleViolation as error:
        return f"{type(error).__name__}: {error}"
    return None


@settings(max_examples=150, deadline=None)
@given(st.lists(brand_statements(), min_size=1, max_size=10) | st.lists(model_statements(), min_size=1, max_size=8))
def test_every_unit_refuses_the_same_with_or_without_its_view_and_a_unit_that_cannot_refuse_never_does(statements):
    entries = apply_fixes([Entry(s.statement_id(), n, RECORDED, s) for n, s in enumerate(statements, 1)])
    for group, members in grouped(entries).items():
        whole = outcome(lambda: fold_group(group, members, None, strict=True))
        assert outcome(lambda: _strict_fold(group, members)) == whole
        if not refuses(group):
            assert whole is None


def test_a_targets_unit_folded_for_the_rules_builds_no_audit_rows_but_still_revises_its_targets():
    from stratlog.domain.groups import make_folder
    said = [statement("target-set", kpi="annual-sales", deadline="2030", value=1000, unit="cars",
                      comparator="at-least", announced_on="2023"),
            statement("target-revised", kpi="annual-sales", deadline="2030", value=2000, announced_on="2024")]
    entries = apply_fixes([Entry(s.statement_id(), n, RECORDED, s) for n, s in enumerate(said, 1)])
    (group, members), = grouped(entries).items()
    viewed, for_rules = make_folder(group, strict=True), make_folder(group, strict=True)
    for_rules.without_view()
    for folder in (viewed, for_rules):
        for entry in members:
            folder.apply(entry)
    assert len(viewed.audit) == 2 and for_rules.audit == {} and for_rules.new_audit == []
    assert [t.terms for t in for_rules.targets] == [t.terms for t in viewed.targets]
