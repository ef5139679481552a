"""Any statement import accepts reads back, exports, re-imports into a fresh database and folds to the
same answers: nothing that validates on the way in fails or changes on the way out."""

from __future__ import annotations

import json
import uuid
from datetime import date
from decimal import Decimal

import yaml
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

AS_OF = "2100-12-31"
HOSTILE = ["NO", "yes", "on", "off", "~", "null", "010", "0x4E20", "0b101", "1:30", "1e5", ".inf", "2025-06-01",
           "2025-06-01 00:00:00", "- x", "a: b", "#c", "&a", "*a", "!tag", "'", '"', "{x}", "[x]", "%", "@", "`",
           "|", ">", "?", "=", "<<", "\\", "Citroën", "北京", "🚗", "a\u202eb", "\x1b[31mred"]
YEARS = st.integers(1990, 2060)

printable = st.text(st.characters(categories=["L", "N", "P", "S", "Zs"]), min_size=1, max_size=20)
names = (printable | st.sampled_from(HOSTILE[:-2])).filter(lambda s: s.strip())
texts = (st.text(st.characters(exclude_categories=["Cs"]), min_size=1, max_size=40) | st.sampled_from(HOSTILE)) \
    .filter(lambda s: s.strip())
partial_dates = st.one_of(
    YEARS.map(str), st.tuples(YEARS, st.integers(1, 4)).map(lambda t: f"{t[0]}-Q{t[1]}"),
    st.tuples(YEARS, st.integers(1, 12)).map(lambda t: f"{t[0]}-{t[1]:02d}"),
    st.dates(min_value=date(1990, 1, 1), max_value=date(2060, 12, 31)).map(lambda d: d.isoformat()))
amounts = st.integers(0, 12).flatmap(lambda places: st.decimals(
    min_value=0, max_value=Decimal("99999999999999999"), places=places, allow_nan=False))


def _plain_numbers(places: int) -> st.SearchStrategy:
    """Plain numbers the importer accepts: whole ones below 10^17, ones with decimals within the 15
    significant digits that answers show exactly (more is refused as input, exit 2: not a rule)."""
    largest = Decimal("99999999999999999") if places == 0 else Decimal(10) ** (15 - places) - Decimal(1).scaleb(-places)
    return st.decimals(min_value=-largest, max_value=largest, places=places, allow_nan=False)


numbers = st.integers(0, 12).flatmap(_plain_numbers)
money = st.fixed_dictionaries({"amount": amounts, "currency": st.sampled_from(["EUR", "USD", "CNY", "JPY"])})
markets = st.sampled_from(["US", "FR", "CN", "EU", "DE"])
source = st.fixed_dictionaries({"title": texts}, optional={"quote": texts, "speaker": names, "language": st.just("fr"),
                                                          "published_on": partial_dates})


def stated(kind: str, **fields) -> st.SearchStrategy:
    optional = fields.pop("optional", {})
    return st.fixed_dictionaries({"kind": st.just(kind), "brand": st.just("b"), "announced_on": partial_dates,
                                  "source": source, **fields}, optional={"note": texts, **optional})


target_values = st.one_of(
    st.fixed_dictionaries({"value": numbers, "unit": st.sampled_from(["vehicles", "percent"])}),
    st.fixed_dictionaries({"value": money}), st.fixed_dictionaries({"value": st.booleans()}))
statements = st.one_of(
    stated("valuation-updated", value=money, optional={"valued_on": partial_dates, "basis": texts}),
    st.tuples(stated("target-set", kpi=st.sampled_from(["annual-sales", "revenue", "profitability"]),
                     comparator=st.sampled_from(["at-least", "at-most", "about", "exactly"]), deadline=partial_dates,
                     optional={"horizon": st.sampled_from(["by", "in"]), "scope": markets}), target_values)
    .map(lambda pair: {**pair[0], **pair[1]}),
    stated("actual-reported", kpi=st.just("annual-sales"), period=partial_dates, value=numbers,
           unit=st.just("vehicles")),
    stated("model-planned", model=names, planned_for=partial_dates,
           optional={"segment": texts, "markets": st.lists(markets, max_size=3)}),
    stated("model-launched", model=names, optional={"launched_on": partial_dates}),
    stated("market-entered", market=markets, entered_on=partial_dates),
    stated("dealer-talks-started", dealer=names, market=markets),
    stated("ipo-considered", stance=st.sampled_from(["considered", "potential", "listed"]), optional={"by": names}),
)
files = st.tuples(st.lists(statements, min_size=1, max_size=6), names, st.sampled_from(["yaml", "json"]))


class _Dumper(yaml.SafeDumper):
    """Numbers as a file holds them: integers plain, decimals with their digits (never through a float)."""


_Dumper.add_representer(Decimal, lambda dumper, value: dumper.represent_scalar(
    "tag:yaml.org,2002:int" if value == value.to_integral_value() else "tag:yaml.org,2002:float",
    format(value.quantize(1), "f") if value == value.to_integral_value() else format(value, "f")))


def file_text(document: dict, fmt: str) -> str:
    if fmt == "json":
        return _exact_json(document)
    return yaml.dump(document, Dumper=_Dumper, allow_unicode=True, sort_keys=False)


def _exact_json(value) -> str:
    """JSON with each Decimal written digit for digit (json.dumps would go through a float)."""
    if isinstance(value, dict):
        return "{" + ", ".join(f"{json.dumps(k)}: {_exact_json(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_exact_json(v) for v in value) + "]"
    if isinstance(value, Decimal):
        return format(value, "f")
    return json.dumps(value, ensure_ascii=False)


def answers(stratlog, db: str) -> tuple[str, str]:
    timeline = stratlog("--db", db, "timeline", "--brand", "b", "--as-of", AS_OF, "--json")
    kpis = stratlog("--db", db, "kpis", "--brand", "b", "--as-of", AS_OF, "--json")
    assert timeline.code == 0 and kpis.code == 0, (timeline.err, kpis.err)
    return json.loads(timeline.out), json.loads(kpis.out)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow])
@given(files)
def test_whatever_import_accepts_reads_back_exports_and_refolds_to_the_same_answers(stratlog, tmp_path, example):
    statements, brand_name, fmt = example
    run = uuid.uuid4().hex[:8]
    document = {"statements": [{"kind": "brand-registered", "brand": "b", "name": brand_name}, *statements]}
    path = tmp_path / f"{run}.{fmt}"
    path.write_text(file_text(document, fmt), encoding="utf-8")
    first, second, export = (str(tmp_path / f"{run}-{name}") for name in ("first.db", "second.db", "export.jsonl"))
    imported = stratlog("--db", first, "import", str(path))
    assert "Traceback" not in imported.err
    if imported.code != 0:  # a rule of the ledger (e.g. a model launched twice): named, with its place
        assert imported.code == 1 and f"{run}.{fmt} statement" in imported.err, imported.err
        event("refused by a rule")
        return
    event("accepted")
    logged = stratlog("--db", first, "events", "--format", "json")
    assert logged.code == 0
    written = {Decimal(s["value"]["amount"]) for s in statements if s["kind"] == "valuation-updated"}
    read = {Decimal(e["value"]["amount"]) for e in json.loads(logged.out) if e["kind"] == "valuation-updated"}
    assert read == written  # exactly, digit for digit
    assert stratlog("--db", first, "export", "--out", export).code == 0
    assert stratlog("--db", second, "import", export).code == 0
    assert answers(stratlog, first) == answers(stratlog, second)
