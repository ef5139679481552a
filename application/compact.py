"""A validated statement kept small while a large import waits to be written (its JSON and its keys)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from stratlog.application.statement_json import dumped
from stratlog.domain.catalogue import RECORD_ADAPTER
from stratlog.domain.statement import Statement, subject_id


class Compact:
    """Stands in for a validated Statement: what the batch needs to place it, and its JSON (the one dump
    that gives its id and its stored state) to expand."""

    __slots__ = ("KIND", "SUBJECT", "brand", "key", "announced_on", "model", "new_name", "_id", "json")

    def __init__(self, statement: Statement):
        self.KIND, self.SUBJECT, self.brand = statement.KIND, statement.SUBJECT, statement.brand
        self.key, self.announced_on = statement.key, statement.announced_on
        self.model = getattr(statement, "model", None)
        self.new_name = getattr(statement, "new_name", None)
        self._id, self.json = dumped(statement)

    def statement_id(self) -> str:
        return self._id

    def dumped(self) -> tuple[str, str]:
        """(statement id, JSON text) as `dumped` gave them when the statement was made compact."""
        return self._id, self.json

    @property
    def subject_id(self) -> UUID:
        return subject_id(self.SUBJECT, *self.key)

    @property
    def brand_id(self) -> UUID:
        return subject_id("brand", self.brand)

    def expand(self) -> Any:
        """The statement again, validated from its JSON (the same model it was made from)."""
        return RECORD_ADAPTER.validate_json(self.json)

