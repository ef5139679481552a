"""Rules and re-statements of models, markets and dealer agreements (DESIGN.md §4, §5 status words)."""

import re
import pytest

from stratlog.domain.dealer_agreement import DealerAgreement
from stratlog.domain.errors import ModelLaunchedTwice
from stratlog.domain.groups import fold_group
from stratlog.domain.history import apply_fixes
from stratlog.domain.market import Market
from stratlog.domain.model import Model
from stratlog.domain.statement import subject_id
from tests.builders import RECORDED, item, statement



def planned(planned_for=2024, announced_on="2023-06"):
    return statement("model-planned", model="A290", planned_for=planned_for, announced_on=announced_on)


def launched(announced_on="2024-06", markets=None, launched_on=None):
    return statement("model-launched", model="A290", announced_on=announced_on, markets=markets,
                     launched_on=launched_on)


def a290(*statements):
    return Model.start(subject_id("model", "alpine", "A290"), [item(planned()), *(item(s) for s in statements)])


def view(subject, group):
    return fold_group(group, apply_fixes(subject.entries), None)


def test_a_model_launched_twice_in_the_same_market_is_refused_naming_both_launches():
    first = launched(announced_on="2024-06", markets=["FR"])
    model = a290(first)
    second = launched(announced_on="2024-09", markets=["FR", "DE"])

    with pytest.raises(ModelLaunchedTwice, match=re.escape(
            f"A290 is launched in FR by both model-launched {first.statement_id()[:8]} (announced 2024-06) "
            f"and model-launched {second.statement_id()[:8]} (announced 2024-09)")):
        model.record([item(second)])


def test_a_model_launched_in_different_markets_is_accepted():
    model = a290(launched(announced_on="2024-06", markets=["FR"]))

    assert len(model.record([item(launched(announced_on="2025-03", markets=["US"]))])) == 1
    assert view(model, "model")["status"] == "launched"


def test_a_model_launched_twice_with_no_market_named_is_refused():
    model = a290(launched(announced_on="2024-06"))

    with pytest.raises(ModelLaunchedTwice, match="A290 is launched overall by both"):
        model.record([item(launched(announced_on="2024-09"))])


def test_a_second_launch_announced_earlier_than_the_first_is_refused_too():
    model = a290(launched(announced_on="2024-06", markets=["FR"]))

    with pytest.raises(ModelLaunchedTwice, match=r"\(announced 2024-03\) and model-launched \w{8} \(announced 2024-06\)"):
        model.record([item(launched(announced_on="2024-03", markets=["FR"]))])


def test_a_refused_launch_leaves_the_model_unchanged():
    model = a290(launched(announced_on="2024-06"))
    before = (model.version, len(model.entries), view(model, "model"))

    with pytest.raises(ModelLaunchedTwice):
        model.record([item(launched(announced_on="2024-09"))])

    assert (model.version, len(model.entries), view(model, "model")) == before
    assert [type(e).__name__ for e in model.collect_events()] == ["ModelPlanned", "ModelLaunched"]


def test_a_launch_event_carries_the_statement_and_its_recording_instant():
    launch = launched(launched_on="2024-06-15", markets=["FR"])
    model = a290(launch)

    event = model.collect_events()[-1]
    assert type(event).__name__ == "ModelLaunched"
    assert (event.statement, event.statement_id, event.recorded_at) == (launch, launch.statement_id(), RECORDED)
    assert event.originator_id == subject_id("model", "alpine", "a290")


def test_planning_a_model_again_with_the_same_date_is_a_re_statement_not_an_error():
    model = a290()

    assert len(model.record([item(planned(planned_for=2024, announced_on="2023-09"))])) == 1
    assert (view(model, "model")["status"], view(model, "model")["date"]) == ("planned", "2024")


def test_planning_a_model_again_with_a_new_date_reads_as_a_reschedule():
    model = a290()

    model.record([item(planned(planned_for=2025, announced_on="2023-09"))])

    assert (view(model, "model")["status"], view(model, "model")["date"]) == ("rescheduled", "2025")


def test_a_rescheduled_model_is_dated_by_its_new_plan_and_keeps_its_plan_history():
    model = a290(statement("model-rescheduled", model="A290", planned_for="2025", announced_on="2024-01"))

    shown = view(model, "model")
    assert (shown["status"], shown["date"]) == ("rescheduled", "2025")
    assert [p["planned_for"] for p in shown["planned_history"]] == ["2024", "2025"]


def test_a_renamed_model_keeps_its_old_name_as_an_alias():
    model = a290(statement("model-renamed", model="A290", new_name="A290 Beta", announced_on="2024-01"))

    shown = view(model, "model")
    assert (shown["subject"], shown["aliases"]) == ("A290 Beta", ["A290"])


def test_a_market_entry_postponed_without_a_date_has_no_date_any_more():
    key = subject_id("market", "alpine", "US")
    market = Market.start(key, [item(statement("market-entry-planned", market="US", planned_for="2027",
                                               announced_on="2023-06")),
                                item(statement("market-entry-postponed", market="US", announced_on="2024"))])

    shown = view(market, "market")
    assert (shown["status"], shown["date"]) == ("postponed", None)


def test_dealer_talks_are_dated_by_their_announcement_and_a_signature_by_its_date():
    key = subject_id("dealer-agreement", "alpine", "AutoNation", "US")
    talks = statement("dealer-talks-started", dealer="AutoNation", market="US", announced_on="2023-06")
    agreement = DealerAgreement.start(key, [item(talks)])
    assert (view(agreement, "dealer-agreement")["status"], view(agreement, "dealer-agreement")["date"]) == ("talks", "2023-06")

    agreement.record([item(statement("dealer-agreement-signed", dealer="AutoNation", market="US",
                                     signed_on="2024-03-02", announced_on="2024-03"))])

    assert (view(agreement, "dealer-agreement")["status"], view(agreement, "dealer-agreement")["date"]) == ("signed", "2024-03-02")
