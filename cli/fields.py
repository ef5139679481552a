"""Command-line options derived from the pydantic statement models, and their text conversions."""

from __future__ import annotations

import typing
from dataclasses import dataclass

import click

from stratlog.domain.errors import InvalidInput
from stratlog.domain.quoting import quoted

SOURCE_OPTIONS = {"source_title": "title", "source_url": "url", "publisher": "publisher", "speaker": "speaker",
                  "quote": "quote", "language": "language", "source_published_on": "published_on"}
COMMON = {"kind", "brand", "announced_on", "source", "note"}
FIELD_HELP = {
    "name": "The brand's name as written.", "parent": "Its parent group.", "country": "Home country (ISO code).",
    "value": "A number, money as 'AMOUNT CUR', or true/false.", "valued_on": "The date the value refers to.",
    "basis": "What was valued (brand value, market cap…).", "stance": "Where the brand stands on listing.",
    "venue": "Stock exchange.", "by": "Who said it.", "kpi": "KPI slug: annual-sales, revenue, revenue-growth…",
    "deadline": "The target's current deadline (2030, 2026-Q4…, or open).", "horizon": "by (at the latest) or in (during).",
    "scope": "A market or segment the target is for.", "low": "Low end of a range.", "high": "High end of a range.",
    "unit": "vehicles, percent, models… (money and yes/no need none).", "comparator": "How the actual is judged.",
    "new_deadline": "The deadline the target moves to.", "reason": "Why, in the source's words.",
    "period": "The period the figure covers (2024, 2024-Q3…).", "planned_for": "When it is planned.",
    "segment": "Segment (city car, GT crossover…).", "body": "Body style.", "powertrain": "Powertrain.",
    "markets": "Markets: ISO codes, repeated or comma-separated (US,CN).",
    "kpis": "KPI slugs, repeated or comma-separated (none: every KPI).",
    "baseline": "The period a growth or cumulative target counts from (2023).",
    "condition": "The brand's own hedge, in its words.", "revealed_on": "When it was revealed.",
    "launched_on": "When it went on sale (none: on sale by the announcement).", "new_name": "The new name.",
    "cancelled_on": "When it was cancelled.", "discontinued_on": "When it went off sale.",
    "exited_on": "When the brand left the market.", "ended_on": "When the talks ended.",
    "terminated_on": "When the deal ended.", "rationale": "Why the market matters.", "entered_on": "When the brand entered.",
    "signed_on": "When the deal was signed.",
}


@dataclass(frozen=True)
class FieldSpec:
    name: str
    shape: str  # text, money, kpi, choice, list
    choices: tuple[str, ...] = ()
    required: bool = False
    description: str | None = None  # the field's own help, declared with the statement

    @property
    def option(self) -> str:
        return "--" + self.name.replace("_", "-")


def payload_specs(cls: type) -> list[FieldSpec]:
    """The payload fields of a statement class (keys, clocks and source excluded)."""
    specs = []
    for name, info in cls.model_fields.items():
        if name in COMMON or name in cls.KEY_FIELDS:
            continue
        specs.append(_spec(name, info.annotation, info.is_required(), info.description))
    return specs


def _spec(name: str, annotation: object, required: bool, description: str | None = None) -> FieldSpec:
    text = str(annotation)
    literal = [a for a in _flatten(annotation) if typing.get_origin(a) is typing.Literal]
    if literal:
        return FieldSpec(name, "choice", typing.get_args(literal[0]), required, description)
    if "Money" in text and "bool" in text:
        return FieldSpec(name, "kpi", required=required, description=description)
    if "Money" in text:
        return FieldSpec(name, "money", required=required, description=description)
    if "list[" in text:
        return FieldSpec(name, "list", required=required, description=description)
    return FieldSpec(name, "text", required=required, description=description)


def _flatten(annotation: object) -> list:
    args = typing.get_args(annotation)
    if typing.get_origin(annotation) is typing.Literal or not args:
        return [annotation]
    return [leaf for arg in args for leaf in _flatten(arg)]


def convert(spec: FieldSpec, text: str) -> object:
    """Turn an option's text into the value the statement model validates."""
    if spec.shape == "money":
        return money(text, spec.option)
    if spec.shape == "kpi":
        lowered = text.strip().lower()
        if lowered in ("true", "yes", "false", "no"):
            return lowered in ("true", "yes")
        if len(text.split()) == 2:
            return money(text, spec.option)
        number = text.strip().replace("_", "").replace(",", "")
        try:
            float(number)
        except ValueError:
            raise InvalidInput(f"{spec.option}: {quoted(text)} is not a number, money ('2000000000 EUR') or "
                               f"true/false") from None
        return number
    if spec.shape == "list":  # repeated options, each possibly comma-separated
        parts = [text] if isinstance(text, str) else list(text)
        return [item.strip() for part in parts for item in part.split(",") if item.strip()]
    return text


def money(text: str, option: str) -> dict:
    parts = text.replace("_", "").split()
    if len(parts) != 2:
        raise InvalidInput(f"{option}: {quoted(text)} is not money (write an amount and a currency, e.g. '500000000 EUR')")
    return {"amount": parts[0], "currency": parts[1]}


def click_option(spec: FieldSpec) -> click.Option:
    kind = click.Choice(spec.choices) if spec.shape == "choice" else click.STRING
    hint = {"money": "'AMOUNT CUR'", "kpi": "NUMBER|'AMOUNT CUR'|true|false", "list": "A,B"}.get(spec.shape, "TEXT")
    many = spec.shape == "list"
    return click.Option([spec.option, spec.name], type=kind, required=spec.required, multiple=many,
                        default=None, metavar=None if spec.shape == "choice" else hint,
                        help=spec.description or FIELD_HELP.get(spec.name) or ("Repeat it for each." if many else None))
