"""The reference fold's clocks (DESIGN.md §1 three clocks, §4 corrections, §5): counting, order, fixes."""

import re
from datetime import date, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from stratlog.domain.brand import Brand
from stratlog.domain.errors import AlreadyRetracted, DependencyAnnouncedLater, InvalidInput, StatementNotFound, TargetNotFound
from stratlog.domain.groups import fold_group
from stratlog.domain.history import Entry, apply_fixes, counted
from stratlog.domain.statement import subject_id
from tests.builders import fix, statement

JAN = datetime(2024, 1, 15, 9, 0, tzinfo=timezone.utc)
FEB = datetime(2024, 2, 15, 9, 0, tzinfo=timezone.utc)
MAR = datetime(2024, 3, 15, 9, 0, tzinfo=timezone.utc)


def entries(*recorded):
    """Entries in recording order from (statement, recorded_at) pairs."""
    return [Entry(s.statement_id(), n, at, s) for n, (s, at) in enumerate(recorded, 1)]


def ipo(stance, announced_on):
    return statement("ipo-considered", stance=stance, announced_on=announced_on)


def target_set(value=100000, announced_on="2023-06"):
    return statement("target-set", kpi="annual-sales", deadline=2030, value=value, unit="vehicles",
                     comparator="at-least", announced_on=announced_on)


def revised(value=120000, announced_on="2024"):
    return statement("target-revised", kpi="annual-sales", deadline=2030, value=value, announced_on=announced_on)


def stances(known):
    return [e.statement.stance for e in counted(known, None)]


# ---- counting by announced_on ----------------------------------------------------------------

def test_a_statement_dated_june_2023_is_not_counted_as_of_mid_june():
    (entry,) = entries((ipo("potential", "2023-06"), JAN))

    assert counted([entry], date(2023, 6, 15)) == []
    assert counted([entry], date(2023, 6, 30)) == [entry]


def test_a_statement_dated_2023_is_counted_only_from_the_last_day_of_2023():
    (entry,) = entries((ipo("potential", "2023"), JAN))

    assert counted([entry], date(2023, 12, 30)) == []
    assert counted([entry], date(2023, 12, 31)) == [entry]


_texts = st.one_of(
    st.dates(min_value=date(1990, 1, 1), max_value=date(2060, 12, 31)).map(date.isoformat),
    st.builds("{}-{:02d}".format, st.integers(1990, 2060), st.integers(1, 12)),
    st.builds("{}-Q{}".format, st.integers(1990, 2060), st.integers(1, 4)),
    st.integers(1990, 2060).map(str),
)


@given(_texts)
def test_any_statement_is_counted_from_the_end_of_its_announced_period_and_not_a_day_before(announced_on):
    (entry,) = entries((ipo("potential", announced_on), JAN))

    assert counted([entry], entry.end) == [entry]
    assert counted([entry], entry.end - timedelta(days=1)) == []


def test_a_brand_registration_is_counted_at_every_date():
    (entry,) = entries((statement("brand-registered", name="Alpine"), JAN))

    assert counted([entry], date(1900, 1, 1)) == [entry]


def test_the_fold_orders_by_announced_start_then_by_recording():
    june, april, june_again = ipo("potential", "2023-06"), ipo("considered", "2023-04"), ipo("planned", "2023-06")

    assert stances(entries((june, JAN), (april, FEB), (june_again, MAR))) == ["considered", "potential", "planned"]


def test_the_last_word_in_fold_order_is_the_ipo_stance_whatever_the_recording_order():
    group = fold_group("ipo", entries((ipo("potential", "2023-06"), JAN), (ipo("considered", "2023-04"), FEB)),
                       date(2023, 6, 30))

    assert group["stance"] == "potential"


def test_a_revision_dated_2023_of_a_target_set_in_june_2023_waits_until_the_end_of_2023():
    known = entries((target_set(announced_on="2023-06"), JAN), (revised(announced_on="2023"), FEB))

    assert fold_group("targets:annual-sales:", known, date(2023, 6, 30))["targets"][0]["value"] == 100000
    assert fold_group("targets:annual-sales:", known, date(2023, 12, 31))["targets"][0]["value"] == 120000


# ---- our corrections and retractions ---------------------------------------------------------

def test_a_statement_recorded_after_the_known_at_instant_is_not_known_then():
    known = entries((ipo("considered", "2023-04"), JAN), (ipo("potential", "2023-06"), FEB))

    assert stances(apply_fixes(known, known_at=JAN)) == ["considered"]
    assert stances(apply_fixes(known, known_at=FEB)) == ["considered", "potential"]


def test_a_correction_shows_from_its_recorded_at_and_the_original_before():
    setting = target_set(value=10000)
    correction = fix("statement-corrected", corrects=setting.statement_id(), fields={"value": 100000},
                     note="misread the article")
    known = entries((setting, JAN), (correction, FEB))

    assert [e.statement.value for e in apply_fixes(known, known_at=JAN)] == [10000]
    assert [e.statement.value for e in apply_fixes(known, known_at=FEB)] == [100000]
    assert [e.statement.value for e in apply_fixes(known)] == [100000]


def test_a_correction_applies_to_every_as_of_date_even_before_it_was_recorded():
    setting = target_set(value=10000, announced_on="2023-06")
    known = entries((setting, JAN),
                    (fix("statement-corrected", corrects=setting.statement_id(), fields={"value": 100000}), MAR))

    assert fold_group("targets:annual-sales:", apply_fixes(known), date(2023, 6, 30))["targets"][0]["value"] == 100000


def test_a_corrected_announced_on_moves_the_statement_in_time():
    potential = ipo("potential", "2023-06")
    known = entries((potential, JAN),
                    (fix("statement-corrected", corrects=potential.statement_id(), fields={"announced_on": "2023-04"}), FEB))

    assert counted(apply_fixes(known), date(2023, 4, 30))[0].statement.stance == "potential"
    assert counted(apply_fixes(known, known_at=JAN), date(2023, 4, 30)) == []


def test_a_correction_keeps_the_statement_id_of_the_statement_it_corrects():
    setting = target_set(value=10000)
    known = entries((setting, JAN), (fix("statement-corrected", corrects=setting.statement_id(), fields={"value": 1}), FEB))

    assert [e.statement_id for e in apply_fixes(known)] == [setting.statement_id()]


def test_a_retracted_statement_drops_out_from_its_recorded_at():
    wrong, right = ipo("listed", "2023-06"), ipo("potential", "2023-04")
    known = entries((right, JAN), (wrong, JAN),
                    (fix("statement-retracted", retracts=wrong.statement_id(), reason="never said"), FEB))

    assert stances(apply_fixes(known, known_at=JAN)) == ["potential", "listed"]
    assert stances(apply_fixes(known)) == ["potential"]


def test_correcting_a_retracted_statement_is_refused():
    wrong = ipo("listed", "2023-06")
    retraction = fix("statement-retracted", retracts=wrong.statement_id(), reason="never said")
    known = entries((wrong, JAN), (retraction, FEB),
                    (fix("statement-corrected", corrects=wrong.statement_id(), fields={"stance": "potential"}), MAR))

    with pytest.raises(AlreadyRetracted, match=re.escape(
            f"statement {wrong.statement_id()[:8]} was retracted by {retraction.statement_id()[:8]}; "
            "it cannot be corrected again")):
        apply_fixes(known)


def test_a_fix_naming_no_recorded_statement_is_refused_naming_the_id():
    known = entries((ipo("potential", "2023-06"), JAN), (fix("statement-retracted", retracts="0badc0de", reason="x"), FEB))

    with pytest.raises(StatementNotFound, match="statement-retracted names statement '0badc0de', which does not exist"):
        apply_fixes(known)


def test_a_correction_that_makes_its_statement_invalid_is_refused_with_the_reason():
    setting = target_set()
    known = entries((setting, JAN), (fix("statement-corrected", corrects=setting.statement_id(),
                                         fields={"comparator": "more-than"}), FEB))

    with pytest.raises(InvalidInput, match=rf"makes statement {setting.statement_id()[:8]} invalid: comparator: should be "
                                           rf"'at-least', 'at-most', 'about' or 'exactly'"):
        apply_fixes(known)


# ---- fixes go through the same rules on the aggregate ----------------------------------------

def brand_with(*statements):
    registered = statement("brand-registered", name="Alpine")
    return Brand.start(subject_id("brand", "alpine"), [(s, s.statement_id(), JAN) for s in (registered, *statements)])


def test_correcting_a_retracted_statement_is_refused_by_the_brand():
    setting = target_set()
    retraction = fix("statement-retracted", retracts=setting.statement_id(), reason="wrong brand")
    brand = brand_with(setting, retraction)
    correction = fix("statement-corrected", corrects=setting.statement_id(), fields={"value": 90000})

    with pytest.raises(AlreadyRetracted, match="it cannot be corrected again"):
        brand.record([(correction, correction.statement_id(), FEB)])
    assert correction.statement_id() not in brand.statement_ids


def test_a_correction_that_dates_a_revision_before_its_target_is_refused():
    setting, revision = target_set(announced_on="2023-06"), revised(announced_on="2024")
    brand = brand_with(setting, revision)
    correction = fix("statement-corrected", corrects=revision.statement_id(), fields={"announced_on": "2022"})

    with pytest.raises(DependencyAnnouncedLater, match=r"\(announced 2022\) depends on target-set \w{8} \(announced 2023-06\)"):
        brand.record([(correction, correction.statement_id(), FEB)])


def test_retracting_a_target_that_a_revision_depends_on_is_refused():
    setting = target_set()
    brand = brand_with(setting, revised())
    retraction = fix("statement-retracted", retracts=setting.statement_id(), reason="wrong brand")

    with pytest.raises(TargetNotFound, match="names no live target annual-sales 2030"):
        brand.record([(retraction, retraction.statement_id(), FEB)])


# ---- a fix counts once its target is known (recording clocks in any order) -------------------

def test_a_correction_recorded_by_a_clock_behind_its_target_folds_at_every_instant():
    setting = target_set(value=10000)
    correction = fix("statement-corrected", corrects=setting.statement_id(), fields={"value": 100000})
    known = entries((setting, FEB), (correction, JAN))  # an older stratlog, its clock stepped back

    assert apply_fixes(known, known_at=JAN) == []  # the correction waits for its target
    assert [e.statement.value for e in apply_fixes(known, known_at=FEB)] == [100000]
    assert [e.statement.value for e in apply_fixes(known)] == [100000]


def test_a_later_fix_waits_while_an_earlier_fix_of_the_same_statement_is_not_known():
    setting = target_set(value=10000)
    first = fix("statement-corrected", corrects=setting.statement_id(), fields={"value": 20000})
    second = fix("statement-corrected", corrects=setting.statement_id(), fields={"value": 30000})
    known = entries((setting, JAN), (first, MAR), (second, FEB))

    assert [e.statement.value for e in apply_fixes(known, known_at=FEB)] == [10000]
    assert [e.statement.value for e in apply_fixes(known, known_at=MAR)] == [30000]


def test_a_retraction_known_before_its_target_never_refuses_the_fold():
    wrong = ipo("listed", "2023-06")
    retraction = fix("statement-retracted", retracts=wrong.statement_id(), reason="never said")
    known = entries((wrong, MAR), (retraction, JAN))

    assert stances(apply_fixes(known, known_at=FEB)) == []
    assert stances(apply_fixes(known, known_at=MAR)) == []


def test_the_check_before_commit_still_refuses_a_fix_naming_no_statement_at_any_instant_it_is_asked():
    known = entries((ipo("potential", "2023-06"), JAN), (fix("statement-retracted", retracts="0badc0de", reason="x"), FEB))

    assert stances(apply_fixes(known, known_at=FEB)) == ["potential"]  # a stored fold skips what it cannot place
    with pytest.raises(StatementNotFound, match="statement-retracted names statement '0badc0de', which does not exist"):
        apply_fixes(known)  # the check before commit: everything is known


def test_the_error_of_a_second_retraction_is_not_named_like_the_retraction_event():
    from stratlog.domain import errors, fixes

    assert fixes.StatementRetracted.KIND == "statement-retracted"
    assert not hasattr(errors, "StatementRetracted") and issubclass(AlreadyRetracted, errors.RuleViolation)
