"""A deterministic synthetic history: hundreds of brands, revised targets, rescheduled models, actuals.

Every statement is valid under the ledger's rules; the output order is shuffled (statements are
out of chronological order, as analysts back-fill). `python -m benchmarks.generate 100000 out.jsonl`.
"""

from __future__ import annotations

import json
import random
import sys
from itertools import count
from typing import Iterable, Iterator

STATEMENTS_PER_BRAND = 3300
KPIS = (("annual-sales", "vehicles"), ("revenue", None), ("ev-share", "percent"), ("new-models", "models"))
REGIONS = ("EU", "US", "CN", "JP", "KR", "IN", "BR", "GB", "DE", "FR", "IT", "ES", "MX", "CA", "AU")
SOURCE_TITLES = ("Investor day", "Annual report", "Press release", "Results call", "Interview", "Motor show")


def _day(rng: random.Random, year: int) -> str:
    kind = rng.random()
    if kind < 0.2:
        return str(year)
    if kind < 0.35:
        return f"{year}-Q{rng.randint(1, 4)}"
    if kind < 0.7:
        return f"{year}-{rng.randint(1, 12):02d}"
    return f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"


def _source(rng: random.Random, brand: str, year: int) -> dict:
    title = f"{brand.title()} {rng.choice(SOURCE_TITLES)} {year}"
    return {"title": title, "publisher": f"{brand.title()} Media", "url": f"https://example.org/{brand}/{year}/{rng.randint(1, 10**6)}"}


def _value(kpi: str, rng: random.Random, scale: float = 1.0):
    if kpi == "revenue":
        return {"amount": int(rng.randint(5, 400) * 10**8 * scale), "currency": "EUR"}
    if kpi == "ev-share":
        return rng.randint(5, 100)
    if kpi == "new-models":
        return rng.randint(1, 12)
    return int(rng.randint(2, 200) * 1000 * scale)


def brand_history(index: int, rng: random.Random) -> Iterator[dict]:
    brand = f"brand-{index:04d}"
    yield {"kind": "brand-registered", "brand": brand, "name": f"Brand {index}", "parent": f"Group {index % 40}"}
    count = 1
    for generate in (_targets, _actuals, _models, _markets, _valuations, _dealers):
        for statement in generate(brand, rng):
            yield statement
            count += 1
            if count >= STATEMENTS_PER_BRAND:
                return


def _say(kind: str, brand: str, rng: random.Random, year: int, **fields) -> dict:
    return {"kind": kind, "brand": brand, "announced_on": _day(rng, year), "source": _source(rng, brand, year), **fields}


def _targets(brand: str, rng: random.Random) -> Iterator[dict]:
    for kpi, unit in KPIS:
        for scope in (None,) + REGIONS[:2]:
            for deadline in range(2025, 2041, 5):
                year = rng.randint(2015, 2020)
                base = {"kpi": kpi, **({"scope": scope} if scope else {})}
                comparator = "at-most" if kpi == "ev-share" and rng.random() < 0.1 else "at-least"
                yield _say("target-set", brand, rng, year, **base, deadline=str(deadline), value=_value(kpi, rng),
                           comparator=comparator, **({"unit": unit} if unit else {}))
                current = str(deadline)
                for step in range(rng.randint(1, 7)):
                    year += 1
                    roll = rng.random()
                    if roll < 0.4:
                        yield _say("target-revised", brand, rng, year, **base, deadline=current, value=_value(kpi, rng))
                    elif roll < 0.6 and int(current) < deadline + 2:
                        current = str(int(current) + 1)
                        yield _say("target-revised", brand, rng, year, **base, deadline=str(int(current) - 1),
                                   new_deadline=current)
                    else:
                        yield _say("target-reaffirmed", brand, rng, year, **base, deadline=current)


def _actuals(brand: str, rng: random.Random) -> Iterator[dict]:
    for kpi, unit in KPIS:
        for scope in (None,) + REGIONS[:2]:
            level = _value(kpi, rng, 0.2)
            for period in range(2010, 2026):
                extra = {"unit": unit} if unit else {}
                yield _say("actual-reported", brand, rng, period + 1, kpi=kpi, period=str(period), value=level,
                           **({"scope": scope} if scope else {}), **extra)


def _models(brand: str, rng: random.Random, numbers: Iterable[int] = range(120)) -> Iterator[dict]:
    for number in numbers:
        model, year = f"M{number:03d}", rng.randint(2012, 2030)
        planned = year + rng.randint(1, 3)
        yield _say("model-planned", brand, rng, year, model=model, planned_for=str(planned), segment=rng.choice(("SUV", "city car", "sedan")))
        if rng.random() < 0.4:
            planned += 1
            yield _say("model-rescheduled", brand, rng, year + 1, model=model, planned_for=str(planned), reason="supply")
        if rng.random() < 0.6:
            yield _say("model-revealed", brand, rng, planned - 1, model=model, revealed_on=str(planned - 1))
            yield _say("model-launched", brand, rng, planned, model=model, launched_on=_day(rng, planned),
                       markets=[rng.choice(REGIONS)])


def _markets(brand: str, rng: random.Random) -> Iterator[dict]:
    for region in REGIONS:
        year = rng.randint(2012, 2030)
        yield _say("market-entry-planned", brand, rng, year, market=region, planned_for=str(year + 2))
        yield _say("market-entered", brand, rng, year + 2, market=region, entered_on=str(year + 2))


def _valuations(brand: str, rng: random.Random) -> Iterator[dict]:
    for year in range(2010, 2027):
        yield _say("valuation-updated", brand, rng, year, value=_value("revenue", rng), valued_on=str(year), basis="market cap")
        yield _say("ipo-considered", brand, rng, year, stance=rng.choice(("considered", "potential", "planned")))


def _dealers(brand: str, rng: random.Random, numbers: Iterable[int] = range(60)) -> Iterator[dict]:
    for number in numbers:
        year = rng.randint(2012, 2030)
        dealer, market = f"Dealer {number}", rng.choice(REGIONS)
        yield _say("dealer-talks-started", brand, rng, year, dealer=dealer, market=market)
        yield _say("dealer-agreement-signed", brand, rng, year + 1, dealer=dealer, market=market, signed_on=str(year + 1))


def generate(size: int, seed: int = 2023) -> list[dict]:
    """`size` statements over as many brands as it takes (at least 3), shuffled deterministically."""
    rng = random.Random(seed)
    statements: list[dict] = []
    index = 0
    while len(statements) < size or index < 3:
        statements.extend(brand_history(index, rng))
        index += 1
    registrations = [s for s in statements if s["kind"] == "brand-registered"]
    rest = [s for s in statements if s["kind"] != "brand-registered"][: size - len(registrations)]
    rest = registrations + rest
    rng.shuffle(rest)
    return rest


def one_brand(size: int, seed: int = 2023) -> list[dict]:
    """`size` statements about one brand: a brand's usual history, then ever more models and dealers
    (each with its own name), shuffled deterministically like `generate`."""
    rng = random.Random(seed)
    brand = "brand-0000"
    history = [{"kind": "brand-registered", "brand": brand, "name": "Brand 0", "parent": "Group 0"}]
    for generate_part in (_targets, _actuals, _markets, _valuations):
        history.extend(generate_part(brand, rng))
    more = (s for n in count(120, 2) for s in [*_models(brand, rng, [n, n + 1]), *_dealers(brand, rng, [n // 2])])
    while len(history) < size:
        history.append(next(more))
    rest = history[1:size]
    rng.shuffle(rest)
    return history[:1] + rest


def write_jsonl(statements: list[dict], path: str) -> None:
    with open(path, "w", encoding="utf-8") as out:
        for statement in statements:
            out.write(json.dumps(statement, ensure_ascii=False, separators=(",", ":")) + "\n")


if __name__ == "__main__":
    write_jsonl(generate(int(sys.argv[1])), sys.argv[2])
