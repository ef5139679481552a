"""What each statement field means, in one place: the CLI's option help and the import schema's descriptions.

A field means the same in every kind it appears in (a `deadline` is always a target's deadline), so
the notes are keyed by field name; a field declared with its own `Field(description=…)` keeps that.
"""

from __future__ import annotations

YAML_BOOLEANS = "yes, no, on, off, true, false (as no, No or NO)"
YAML_NOTE = (f" Quote it when it is one of {YAML_BOOLEANS}: YAML 1.1, which the importer reads, takes those "
             f"unquoted for true/false (Norway's code NO, Norwegian's no become false), and a true/false here is "
             f"refused.")
YAML_BOOLEAN_TRAPS = ("market", "markets", "country", "language", "scope")  # codes that YAML 1.1 may read as booleans

FIELD_NOTES = {
    # what every statement has
    "kind": "The kind of statement (model-planned, target-set…): it decides which fields the statement takes.",
    "brand": "The brand's slug: lowercase letters, digits and hyphens (alpine).",
    "announced_on": "When the statement was made public, a partial date (2023, 2023-06, 2023-06-14, 2026-H1, "
                    "2025-Q3, FY2026, 2023..2026). Required except for brand-registered (or given in defaults).",
    "source": "Where the statement comes from: at least a title or a url (or given in defaults).",
    "note": "Our remark on this statement (an interpretation, a choice): not part of its identity.",
    # keys
    "model": "The model's name as the brand writes it (A290, SUV 2027); a renamed model keeps its old name as an alias.",
    "market": "A country (ISO 3166 alpha-2: US, CN) or region code (EU).",
    "dealer": "The dealer group's name (AutoNation).",
    "plant": "The plant's name (Dieppe, Chengdu).",
    # the brand
    "name": "The brand's name as written.", "parent": "Its parent group.",
    "country": "Home country (ISO 3166 alpha-2 code).",
    # valuations and the IPO
    "value": "A number (100000, 40), money as {amount, currency}, or true/false for a yes/no KPI.",
    "valued_on": "The date the value refers to (a partial date).",
    "basis": "What was valued (brand value, market cap…).", "stance": "Where the brand stands on listing.",
    "venue": "Stock exchange.", "by": "Who said it.",
    # targets and actuals
    "kpi": "KPI slug: annual-sales, revenue, revenue-growth, profitability, new-models…",
    "deadline": "The target's current deadline, a partial date (2030, 2026-Q4, FY2026), or open (none given).",
    "horizon": "by (at the latest) or in (during the deadline's period).",
    "scope": "A market or segment the target is for.", "low": "Low end of a range.", "high": "High end of a range.",
    "unit": "vehicles, percent, models… (money and yes/no need none).",
    "comparator": "How the actual is judged: at-least, at-most, about, exactly.",
    "new_deadline": "The deadline the target moves to.", "reason": "Why, in the source's words.",
    "period": "The period the figure covers, a partial date (2024, 2024-Q3, FY2025).",
    "baseline": "The period a growth or cumulative target counts from (2023).",
    "condition": "The brand's own hedge, in its words.",
    "kpis": "KPI slugs (none: every KPI).",
    # models, markets, agreements
    "planned_for": "When it is planned, a partial date.",
    "segment": "Segment (city car, GT crossover…).", "body": "Body style.", "powertrain": "Powertrain.",
    "markets": "Markets: ISO 3166 alpha-2 or region codes (US, CN, EU).",
    "revealed_on": "When it was revealed.",
    "launched_on": "When it went on sale (none: on sale by the announcement).", "new_name": "The new name.",
    "cancelled_on": "When it was cancelled.", "discontinued_on": "When it went off sale.",
    "exited_on": "When the brand left the market.", "ended_on": "When the talks ended.",
    "terminated_on": "When the deal ended.", "rationale": "Why the market matters.",
    "entered_on": "When the brand entered.", "signed_on": "When the deal was signed.",
    # fixes
    "corrects": "The id (or a unique prefix of 8 or more characters) of the statement this corrects.",
    "retracts": "The id (or a unique prefix of 8 or more characters) of the statement this retracts.",
    "fields": "The corrected payload fields, announced_on or source (never the kind or the keys).",
    # the source
    "title": "Title of the source (a title or a url is required).",
    "url": "Address of the source (http or https).", "publisher": "Who published it.",
    "speaker": "Who spoke.", "quote": "The words quoted, verbatim.",
    "language": "Language code (fr, en, pt-BR).",
    "published_on": "When the source was published.",
    # money
    "amount": "A non-negative amount (500000000), exact: never rounded.",
    "currency": "ISO 4217 currency code (EUR, USD).",
}

OLD_ON = ("Before revision 2 this end date was called `on`; files that quote it ('on') still load. "
          "Unquoted, YAML 1.1 reads the key on as true: write the new name.")


def field_note(name: str, own: str | None = None, in_files: bool = False) -> str | None:
    """A field's meaning: its own description when it declares one, else the shared note (None: none).

    `in_files`: for an import file, where codes that YAML 1.1 reads as booleans must be quoted.
    """
    note = own or FIELD_NOTES.get(name)
    return note + YAML_NOTE if note and in_files and name in YAML_BOOLEAN_TRAPS else note
