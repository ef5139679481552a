"""Fiscal years resolved at input (DESIGN §1 r2): `FY2026/03` keeps its span in its text, shows as FY2026."""

from datetime import date, datetime, timezone

import pytest

from stratlog.domain.dates import PartialDate, shown_text
from stratlog.domain.fiscal_years import date_fields, fiscal_year_end, resolved, resolved_fields
from stratlog.domain.history import Entry
from tests.builders import fix, statement

AT = datetime(2025, 1, 1, tzinfo=timezone.utc)


@pytest.mark.parametrize(("text", "stored", "start", "end"), [
    ("FY2026/03", "FY2026/03", date(2025, 4, 1), date(2026, 3, 31)),
    ("FY2026/3", "FY2026/03", date(2025, 4, 1), date(2026, 3, 31)),
    ("FY2025/06", "FY2025/06", date(2024, 7, 1), date(2025, 6, 30)),
    ("FY2026/12", "FY2026/12", date(2026, 1, 1), date(2026, 12, 31)),
    ("FY2026", "FY2026", date(2026, 1, 1), date(2026, 12, 31)),
])
def test_a_fiscal_year_with_its_last_month_is_a_self_contained_span_shown_as_fy_and_year(text, stored, start, end):
    parsed = PartialDate.parse(text)

    assert (parsed.text, parsed.start, parsed.end, parsed.shown, parsed.is_annual) == (stored, start, end, text[:6], True)


@pytest.mark.parametrize("text", ["FY2026/13", "FY2026/00", "FY2026/123", "FY2026/", "FY2026/3a"])
def test_a_fiscal_year_with_a_month_that_is_not_one_is_refused_naming_it(text):
    with pytest.raises(ValueError, match=r"is not a (fiscal year|date)"):
        PartialDate.parse(text)


def test_fiscal_years_ending_in_different_months_differ_but_order_by_their_span():
    march, december = PartialDate.parse("FY2026/03"), PartialDate.parse("FY2026")

    assert march != december and hash(march) != hash(december)
    assert march < december and sorted([december, march]) == [march, december]
    assert march == PartialDate.parse("FY2026/3")


def test_answers_show_a_resolved_fiscal_year_as_written_also_inside_a_subject_name():
    assert shown_text("FY2026/03") == "FY2026"
    assert shown_text("deliveries EU FY2026/03") == "deliveries EU FY2026"
    assert [shown_text(t) for t in ("2026-03", "2025-04..2026-03", None, "FY2026")] == [
        "2026-03", "2025-04..2026-03", None, "FY2026"]


def test_a_statement_resolves_every_bare_fiscal_year_among_its_dates_and_its_id_follows():
    said = statement("target-set", announced_on="FY2025", kpi="deliveries", deadline="FY2026", value=100, comparator="at-least",
                     unit="vehicles", baseline="2024", note="FY2026 as said")

    march = resolved(said, 3)

    assert (march.deadline.text, march.announced_on.text, march.baseline.text, march.note) == (
        "FY2026/03", "FY2025/03", "2024", "FY2026 as said")
    assert march.statement_id() != said.statement_id()
    assert resolved(said, 12) is said and resolved(said, None) is said


def test_a_correction_resolves_only_the_date_fields_it_names():
    fields = {"deadline": "FY2027", "reason": "FY2027", "value": 5}
    revised = type(statement("target-revised", announced_on="2024", kpi="k", deadline="2026", value=1))

    assert resolved_fields(revised, fields, 3) == {"deadline": "FY2027/03", "reason": "FY2027", "value": 5}
    assert resolved_fields(revised, fields, 12) is fields
    assert {"deadline", "new_deadline", "baseline", "announced_on"} <= date_fields(revised)


def entry(position, st):
    return Entry(st.statement_id(), position, AT, st)


def test_the_fiscal_year_end_is_the_latest_stated_by_the_registrations_in_fold_order_fixes_applied():
    first = statement("brand-registered", source=None, name="Volvo", fiscal_year_end=3)
    restated = statement("brand-registered", name="Volvo Cars", announced_on="2021")  # carries March over
    moved = statement("brand-registered", name="Volvo Cars", announced_on="2023", fiscal_year_end=6)

    assert fiscal_year_end([]) is None
    assert fiscal_year_end([entry(1, first), entry(2, restated)]) == 3
    assert fiscal_year_end([entry(1, first), entry(3, moved), entry(2, restated)]) == 6
    corrected = fix("statement-corrected", corrects=moved.statement_id(), fields={"fiscal_year_end": 9})
    assert fiscal_year_end([entry(1, first), entry(2, moved), entry(3, corrected)]) == 9
    retracted = fix("statement-retracted", retracts=moved.statement_id(), reason="wrong brand")
    assert fiscal_year_end([entry(1, first), entry(2, moved), entry(3, retracted)]) == 3
