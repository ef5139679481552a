"""The statement: what a source said on a date about one subject of a brand, and its identity."""

import hashlib
import json
import typing
import uuid
from functools import lru_cache
from typing import Any, ClassVar

from pydantic import model_validator

from stratlog.domain.dates import PartialDate
from stratlog.domain.values import Frozen, Slug, Source, Text, normalise_key

NAMESPACE = uuid.UUID("8c4f3a52-6f0e-5b1e-9d7a-2f6c1e0b7a11")


_CANONICAL = json.JSONEncoder(sort_keys=True, ensure_ascii=False)  # json.dumps(…, sort_keys=True, ensure_ascii=False)
_NAMESPACE_BYTES = NAMESPACE.bytes
_VERSION_5 = (~(0xc000 << 48) & ~(0xf000 << 64), (0x8000 << 48) | (5 << 76))  # (bits kept, bits set) of uuid5


def statement_id_of(content: dict) -> str:
    """The statement id of a statement's JSON dump (mode "json", None values left out): uuid5 of its
    canonical text, the note left out (a note never changes what was stated)."""
    canonical = {k: v for k, v in content.items() if k != "note"} if "note" in content else content
    return uuid5_text(_CANONICAL.encode(canonical))


def uuid5_text(name: str) -> str:
    """str(uuid.uuid5(NAMESPACE, name)), without building the UUID object (an import computes a million)."""
    digest = hashlib.sha1(_NAMESPACE_BYTES + name.encode()).digest()
    kept, set_ = _VERSION_5
    text = "%032x" % (int.from_bytes(digest[:16], "big") & kept | set_)
    return f"{text[:8]}-{text[8:12]}-{text[12:16]}-{text[16:20]}-{text[20:]}"


@lru_cache(maxsize=1 << 16)
def subject_id(subject_type: str, *key: str) -> uuid.UUID:
    """The aggregate id of a subject: uuid5 of its normalised natural key (cached: a bulk import asks for
    the same few thousand subjects once per statement)."""
    return uuid.uuid5(NAMESPACE, f"{subject_type}:{normalise_key(*key)}")


class Kinded(Frozen):
    """A record with a kind: its name is written once, as the Literal of its `kind` field.

    `kind: Literal["model-planned"]` gives the class its KIND and the field its default.
    """

    KIND: ClassVar[str]

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        field = cls.model_fields.get("kind")
        if field is None or "KIND" in cls.__dict__:
            return
        (cls.KIND,) = typing.get_args(field.annotation)
        field.default = cls.KIND  # set before the schema is built (defer_build): `kind` may be left out


class Statement(Kinded):
    """Base of every statement kind: a brand key, the announced_on clock, a source and a note."""

    SUBJECT: ClassVar[str] = "brand"
    KEY_FIELDS: ClassVar[tuple[str, ...]] = ("brand",)
    NEEDS_ANNOUNCEMENT: ClassVar[bool] = True
    ALL_KEY_FIELDS: ClassVar[set[str]] = {"brand"}  # every subject's key fields (they cannot be corrected)
    EFFECTIVE: ClassVar[tuple[str, str] | None] = None  # (its effective-date field, the event it schedules)
    IMPLIES: ClassVar[str | None] = None  # the status a subject first heard of through it has until then
    OLD_ON: ClassVar[bool] = False  # its end date was stored as `on` before revision 2

    brand: Slug
    announced_on: PartialDate | None = None
    source: Source | None = None
    note: Text | None = None

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        Statement.ALL_KEY_FIELDS.update(cls.KEY_FIELDS)

    @model_validator(mode="before")
    @classmethod
    def _end_date_named_after_its_verb(cls, data: Any) -> Any:
        """Before revision 2 an end date was `on`: read it under its new name (import files, stored events)."""
        if cls.OLD_ON and isinstance(data, dict) and "on" in data:
            data = {cls.EFFECTIVE[0] if k == "on" else k: v for k, v in data.items()}
        return data

    @model_validator(mode="after")
    def _has_clock_and_source(self) -> "Statement":
        if self.NEEDS_ANNOUNCEMENT and self.announced_on is None:
            raise ValueError(f"announced_on is required for {self.KIND} (when was it made public?)")
        if self.NEEDS_ANNOUNCEMENT and self.source is None:
            raise ValueError(f"source is required for {self.KIND} (at least a title or a url)")
        return self

    @property
    def effective_date(self) -> PartialDate | None:
        """When the thing it states happens in the world (none: when it is announced)."""
        return getattr(self, self.EFFECTIVE[0]) if self.EFFECTIVE else None

    @property
    def key(self) -> tuple[str, ...]:
        """The natural key of the subject, as written: ('alpine', 'A290')."""
        return tuple(getattr(self, name) for name in self.KEY_FIELDS)

    @property
    def subject_id(self) -> uuid.UUID:
        return subject_id(self.SUBJECT, *self.key)

    @property
    def brand_id(self) -> uuid.UUID:
        return subject_id("brand", self.brand)

    @property
    def group(self) -> str:
        """The fold unit of this statement within its subject (a model; a KPI's targets…)."""
        return self.SUBJECT

    @property
    def subject_name(self) -> str:
        """The subject as the timeline names it: 'A290', 'US', 'AutoNation/US'."""
        return "/".join(self.key[1:])

    def statement_id(self) -> str:
        """uuid5 of the canonical content (kind, keys, payload, announced_on, source)."""
        return statement_id_of(self.model_dump(mode="json", exclude_none=True, exclude={"note"}))

    def corrected(self, fields: dict) -> "Statement":
        """This statement with some of its fields replaced (validated again)."""
        data = self.model_dump(mode="python", exclude_none=True)
        data.update(fields)
        return type(self).model_validate({k: v for k, v in data.items() if v is not None})
