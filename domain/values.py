"""Value objects of statements: keys, money, sources and KPI values."""

import re
import unicodedata
from decimal import Context, Decimal, Inexact
from typing import Annotated, Any, Union

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, StrictBool, StrictStr, \
    model_validator

from stratlog.domain.dates import PartialDate
from stratlog.domain.quoting import quoted

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
_URL = re.compile(r"^https?://[^\s\"'<>]+$")
_EXACT = Context(prec=40, traps=[Inexact])  # 18 integer digits and 12 decimals fit with room to spare
_ZERO, _ONE = Decimal(0), Decimal(1)


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
    if len(value) > 200 or not _SLUG.match(value):
        raise ValueError(f"{quoted(value)} is not a slug (at most 200 lowercase letters, digits and hyphens, "
                         f"e.g. 'alpine')")
    return value


def _region(value: str) -> str:
    if not _REGION.match(value):
        raise ValueError(f"{quoted(value)} is not a country or region code (ISO 3166 alpha-2 such as 'US', or 'EU')")
    return value


def _name(value: str) -> str:
    value = _clean_text(value)
    if len(value) > 200 or not value.isprintable() and any(unicodedata.category(c).startswith("C") for c in value):
        raise ValueError(f"{quoted(value)} is not a usable name (at most 200 printable characters)")
    return value


def _url(value: str) -> str:
    if len(value) > 2000 or not _URL.match(value):
        raise ValueError(f"{quoted(value)} is not a web address (http:// or https://, at most 2,000 characters, "
                         f"no spaces or quotes)")
    return value


def _language(value: str) -> str:
    if not _LANGUAGE.match(value):
        raise ValueError(f"{quoted(value)} is not a language code (e.g. fr, en, pt-BR)")
    return value


Text = Annotated[StrictStr, AfterValidator(_clean_text)]
Url = Annotated[StrictStr, AfterValidator(_url)]
Language = Annotated[StrictStr, AfterValidator(_language)]
Name = Annotated[StrictStr, AfterValidator(_name)]
Slug = Annotated[StrictStr, AfterValidator(_slug)]
RegionCode = Annotated[StrictStr, AfterValidator(_region)]


def normalise_key(*parts: str) -> str:
    """The case-insensitive, NFC form of a natural key, used for identities."""
    return "/".join(unicodedata.normalize("NFC", part).casefold() for part in parts)


def canonical_decimal(value: Decimal) -> Decimal:
    """One spelling per number, so 1e5, 100000 and 100000.0 give the same statement id; absurd sizes refused.

    Equal numbers get the same Decimal: no trailing zeros, no positive exponent (100000, 0.25, 0);
    it is exact: a number with more than 12 decimals is refused, never rounded.
    """
    if not value.is_finite():
        raise ValueError(f"{quoted(value)} is not a number")
    if not value:
        return _ZERO
    if not -12 <= value.adjusted() <= 17:
        raise ValueError(f"{quoted(value.normalize())} is out of range (numbers must stay below 10^18 with at most "
                         "12 decimals)")  # normalised: 1E+999, not a thousand digits
    try:
        reduced = value.normalize(_EXACT)
    except Inexact:
        reduced = None
    if reduced is None or reduced.as_tuple().exponent < -12:
        raise ValueError(f"{quoted(value)} has more than 12 decimals")
    return reduced.quantize(_ONE, context=_EXACT) if reduced.as_tuple().exponent > 0 else reduced


class Money(Frozen):
    """An amount of a currency: a non-negative Decimal and an ISO 4217 code."""

    amount: Annotated[Decimal, Field(ge=0, allow_inf_nan=False), AfterValidator(canonical_decimal)]
    currency: StrictStr

    @model_validator(mode="after")
    def _known_currency(self) -> "Money":
        if self.currency not in CURRENCIES:
            raise ValueError(f"currency {quoted(self.currency)} is not an ISO 4217 code (e.g. EUR, USD)")
        return self

    def __str__(self) -> str:
        return f"{self.amount:,} {self.currency}"


FLOAT_DIGITS = 15  # significant digits a JSON answer shows exactly for a number with decimals


def answerable_number(value: Decimal) -> Decimal:
    """A plain number the answers can show exactly: whole numbers below 10^18, or at most 15 significant
    digits when it has decimals (answers give numbers as JSON numbers; money keeps its exact text)."""
    if value != value.to_integral_value() and len(value.as_tuple().digits) > FLOAT_DIGITS:
        raise ValueError(f"{quoted(value)} has more than {FLOAT_DIGITS} significant digits with decimals; "
                         f"answers show numbers exactly only up to {FLOAT_DIGITS} (round it, or give a whole number)")
    return value


def _not_text_or_boolean(value: Any) -> Any:
    """A whole number as a number: true/false (YAML's yes/on too) and text such as "3" are refused, as the
    import file's JSON Schema refuses them; 3 and 3.0 pass on to int."""
    if isinstance(value, bool):
        raise ValueError("should be a whole number; YAML reads an unquoted yes, no, on or off as true/false")
    if isinstance(value, str):
        raise ValueError("should be a whole number written without quotes")
    return value


def whole_number(minimum: int, maximum: int) -> Any:
    """The type of a whole-number field within [minimum, maximum]: an int, refusing true/false and text
    (ValidationError), exactly as the JSON Schema's integer with those bounds does."""
    return Annotated[int, Field(ge=minimum, le=maximum), BeforeValidator(_not_text_or_boolean)]
Number = Annotated[Decimal, Field(allow_inf_nan=False), AfterValidator(canonical_decimal),
                   AfterValidator(answerable_number)]
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
    url: Url | None = Field(default=None, json_schema_extra={"pattern": _URL.pattern, "maxLength": 2000})
    speaker: Text | None = None
    quote: Text | None = None
    language: Language | None = Field(default=None, json_schema_extra={"pattern": _LANGUAGE.pattern})
    published_on: PartialDate | None = None

    @model_validator(mode="after")
    def _has_title_or_url(self) -> "Source":
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
