"""Command-line options derived from the pydantic statement models, and their text conversions."""

from __future__ import annotations

import typing
from dataclasses import dataclass

import click

from stratlog.domain.errors import InvalidInput
from stratlog.domain.field_notes import field_note
from stratlog.domain.quoting import quoted

SOURCE_OPTIONS = {"source_title": "title", "source_url": "url", "publisher": "publisher", "speaker": "speaker",
                  "quote": "quote", "language": "language", "source_published_on": "published_on"}
COMMON = {"kind", "brand", "announced_on", "source", "note"}


@dataclass(frozen=True)
class FieldSpec:
    """One payload field of a statement kind as a `record` option: its name, shape (text, money, kpi,
    choice, list, integer), choices, whether required, and its help."""
    name: str
    shape: str  # text, money, kpi, choice, list, integer
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
    if int in _flatten(annotation):
        return FieldSpec(name, "integer", required=required, description=description)
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
    if spec.shape == "integer":  # a file must give a number; an option is always text
        try:
            return int(text.strip().replace("_", ""))
        except ValueError:
            raise InvalidInput(f"{spec.option}: {quoted(text)} is not a whole number") from None
    if spec.shape == "list":  # repeated options, each possibly comma-separated
        parts = [text] if isinstance(text, str) else list(text)
        return [item.strip() for part in parts for item in part.split(",") if item.strip()]
    return text


def money(text: str, option: str) -> dict:
    """`'500000000 EUR'` as the money mapping {amount, currency}; InvalidInput naming `option` otherwise."""
    parts = text.replace("_", "").split()
    if len(parts) != 2:
        raise InvalidInput(f"{option}: {quoted(text)} is not money (write an amount and a currency, e.g. '500000000 EUR')")
    return {"amount": parts[0], "currency": parts[1]}


def click_option(spec: FieldSpec) -> click.Option:
    """The click option of a payload field (kebab-case name, metavar by shape, help from its description)."""
    kind = click.Choice(spec.choices) if spec.shape == "choice" else click.STRING
    hints = {"money": "'AMOUNT CUR'", "kpi": "NUMBER|'AMOUNT CUR'|true|false", "list": "A,B", "integer": "INTEGER"}
    hint = hints.get(spec.shape, "TEXT")
    many = spec.shape == "list"
    return click.Option([spec.option, spec.name], type=kind, required=spec.required, multiple=many,
                        default=None, metavar=None if spec.shape == "choice" else hint,
                        help=field_note(spec.name, spec.description) or ("Repeat it for each." if many else None))
