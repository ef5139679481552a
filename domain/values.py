"""Value objects of statements: keys, money, sources and KPI values."""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal
from typing import Annotated, Any, Union

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StrictBool, StrictStr, model_validator

from stratlog.domain.dates import PartialDate

# ISO 4217 active currency codes.
CURRENCIES = frozenset(
    """AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL BSD BTN BWP
    BYN BZD CAD CDF CHF CLP CNY COP CRC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL
    GHS GIP GMD GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS KHR KMF KPW
    KRW KWD KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MYR MZN
    NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR RON RSD RUB RWF SAR SBD SCR SDG SEK
    SGD SHP SLE SOS SRD SSP STN SVC SYP SZL THB TJS TMT TND TOP TRY TTD TWD TZS UAH UGX USD UYU UZS
    VES VND VUV WST XAF XCD XCG XOF XPF YER ZAR ZMW ZWG""".split()
)

_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_REGION = re.compile(r"^[A-Za-z]{2,3}$")
_LANGUAGE = re.compile(r"^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$")


class Frozen(BaseModel):
    """Base of every value and statement: immutable, unknown fields refused."""

    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True, defer_build=True)


def _clean_text(value: str) -> str:
    value = unicodedata.normalize("NFC", value)
    if not value:
        raise ValueError("must not be empty")
    if len(value) > 20_000:
        raise ValueError(f"is {len(value)} characters long; at most 20,000")
    return value


def _slug(value: str) -> str:
    if not _SLUG.match(value):
        raise ValueError(f"{value!r} is not a slug (lowercase letters, digits and hyphens, e.g. 'alpine')")
    return value


def _region(value: str) -> str:
    if not _REGION.match(value):
        raise ValueError(f"{value!r} is not a country or region code (ISO 3166 alpha-2 such as 'US', or 'EU')")
    return value


def _name(value: str) -> str:
    value = _clean_text(value)
    if len(value) > 200 or not value.isprintable() and any(unicodedata.category(c).startswith("C") for c in value):
        raise ValueError(f"{value!r} is not a usable name (at most 200 printable characters)")
    return value


Text = Annotated[StrictStr, AfterValidator(_clean_text)]
Name = Annotated[StrictStr, AfterValidator(_name)]
Slug = Annotated[StrictStr, AfterValidator(_slug)]
RegionCode = Annotated[StrictStr, AfterValidator(_region)]


def normalise_key(*parts: str) -> str:
    """The case-insensitive, NFC form of a natural key, used for identities."""
    return "/".join(unicodedata.normalize("NFC", part).casefold() for part in parts)


class Money(Frozen):
    """An amount of a currency: a non-negative Decimal and an ISO 4217 code."""

    amount: Annotated[Decimal, Field(ge=0, allow_inf_nan=False), AfterValidator(canonical_decimal)]
    currency: StrictStr

    @model_validator(mode="after")
    def _known_currency(self) -> Money:
        if self.currency not in CURRENCIES:
            raise ValueError(f"currency {self.currency!r} is not an ISO 4217 code (e.g. EUR, USD)")
        return self

    def __str__(self) -> str:
        return f"{self.amount:,} {self.currency}"


def canonical_decimal(value: Decimal) -> Decimal:
    """One spelling per number, so 100000 and 100000.0 give the same statement id; absurd sizes refused."""
    if value and not -12 <= value.adjusted() <= 17:
        raise ValueError(f"{value} is out of range (numbers must stay below 10^18 with at most 12 decimals)")
    integral = value.to_integral_value()
    return integral if value == integral else value.normalize()


Number = Annotated[Decimal, Field(allow_inf_nan=False), AfterValidator(canonical_decimal)]
KpiValue = Union[StrictBool, Money, Number]


def kpi_unit(value: Any, unit: str | None) -> str | None:
    """The unit of a KPI value: the currency for money, yes/no for booleans, else as given."""
    if isinstance(value, Money):
        return value.currency
    if isinstance(value, bool):
        return "yes/no"
    return unit


def kpi_number(value: Any) -> Decimal | None:
    """The numeric size of a KPI value (None for yes/no)."""
    if isinstance(value, Money):
        return value.amount
    if isinstance(value, bool) or value is None:
        return None
    return Decimal(value)


class Source(Frozen):
    """Where a statement comes from; it has at least a title or a url."""

    title: Text | None = None
    publisher: Text | None = None
    url: StrictStr | None = Field(default=None, max_length=2000, pattern=r"^https?://[^\s\"'<>]+$")
    speaker: Text | None = None
    quote: Text | None = None
    language: StrictStr | None = Field(default=None, pattern=_LANGUAGE.pattern)
    published_on: PartialDate | None = None

    @model_validator(mode="after")
    def _has_title_or_url(self) -> Source:
        if not self.title and not self.url:
            raise ValueError("a source needs at least a title or a url")
        return self

    def label(self) -> str:
        return self.title or self.url or ""


def json_value(value: Any) -> Any:
    """Money as {"amount": "…", "currency": "…"}, numbers as JSON numbers, dates as their text."""
    if value is None or isinstance(value, (bool, str, int, float)):
        return value
    if isinstance(value, Money):
        return {"amount": _plain(value.amount), "currency": value.currency}
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dict):
        return {k: json_value(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [json_value(v) for v in value]
    return str(value)


def _plain(amount: Decimal) -> str:
    text = format(amount, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text
