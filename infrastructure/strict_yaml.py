"""YAML as an import file means it: no timestamps, no octal, hex, binary or base-60 numbers, exact decimals,
no duplicate keys, no aliases, and the line where each statement starts."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import yaml
from yaml.constructor import ConstructorError
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from stratlog.domain.quoting import name_of, quoted

_Base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
INT, FLOAT, TIMESTAMP = "tag:yaml.org,2002:int", "tag:yaml.org,2002:float", "tag:yaml.org,2002:timestamp"
NOTATION = "tag:stratlog,2026:yaml-notation"  # a plain scalar YAML 1.1 would read as a number it does not look like
_DROPPED = {INT, FLOAT, TIMESTAMP, "tag:yaml.org,2002:merge", "tag:yaml.org,2002:value"}

DECIMAL_INT = re.compile(r"^[-+]?(?:0|[1-9][0-9_]*)$")
DECIMAL_FLOAT = re.compile(r"^[-+]?(?:[0-9][0-9_]*\.[0-9_]*|\.[0-9][0-9_]*)(?:[eE][-+]?[0-9]+)?$")
SPECIAL_FLOAT = re.compile(r"^(?:[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$")
_NOTATIONS = (  # (pattern, the kind of number YAML 1.1 reads it as)
    (re.compile(r"^[-+]?0[xX][0-9a-fA-F_]+$"), "hexadecimal number"),
    (re.compile(r"^[-+]?0[bB][01_]+$"), "binary number"),
    (re.compile(r"^[-+]?0[oO][0-7_]+$"), "octal number"),
    (re.compile(r"^[-+]?0[0-9_]+$"), "octal number"),
    (re.compile(r"^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$"), "base-60 number"),
)


@dataclass(frozen=True)
class YamlNotation:
    """A plain scalar such as 010, 0x4E20, 0b101 or 1:30, which YAML reads as a number nobody wrote."""

    text: str
    reads_as: str
    line: int

    def __str__(self) -> str:
        return self.text

    def explain(self) -> str:
        """What YAML makes of it and what to write instead: '0x4E20 … write 20000 …'."""
        read, meant = _readings(self.text)
        reading = f"the {self.reads_as} {read}" if read is not None else "a number with a leading zero"
        fix = f"write {meant}" if meant is not None else "write the number in decimal digits"
        return f"YAML reads {self.text} as {reading}; {fix}, or quote it ({quoted(self.text)}) for text"


def _readings(text: str) -> tuple[Decimal | int | None, Decimal | int | None]:
    """What YAML 1.1 reads, and the decimal number the writer most likely meant (010: 8 and 10)."""
    negative = text.startswith("-")
    digits = text.lstrip("+-").replace("_", "")
    try:
        if digits[:2].lower() in ("0x", "0b", "0o"):
            value = int(digits, 0)
            read = meant = value
        elif ":" in digits:
            whole, _, fraction = digits.partition(".")
            value = 0
            for part in whole.split(":"):
                value = value * 60 + int(part)
            read = meant = Decimal(f"{value}.{fraction}") if fraction else value
        else:
            read = int(digits, 8) if set(digits) <= set("01234567") else None
            meant = int(digits)
    except ValueError:
        return None, None
    sign = -1 if negative else 1
    return (None if read is None else sign * read), sign * meant


class DuplicateKey(ConstructorError):
    """Raised when a mapping holds the same key twice (YAML would silently keep the last)."""


class AliasUsed(yaml.YAMLError):
    """Raised when a file uses an alias (*name), which can expand a few lines into billions of items."""


class StrictLoader(_Base):
    """The safe loader (the C one when available) with the implicit types an import file needs."""

    yaml_implicit_resolvers = {first: [(tag, rx) for tag, rx in resolvers if tag not in _DROPPED]
                               for first, resolvers in _Base.yaml_implicit_resolvers.items()}
    yaml_constructors = dict(_Base.yaml_constructors)

    def construct_mapping(self, node: Node, deep: bool = False) -> dict:
        mapping = super().construct_mapping(node, deep)
        if len(mapping) != len(node.value):
            seen: set = set()
            for key_node, _ in node.value:
                key = self.construct_object(key_node, deep=True)
                if key in seen:
                    raise DuplicateKey(None, None, f"the key {quoted(key)} is written twice in one mapping "
                                                   f"(YAML would keep only the last)", key_node.start_mark)
                seen.add(key)
        return mapping

    def construct_integer(self, node: ScalarNode) -> Any:
        text = node.value
        if DECIMAL_INT.match(text):
            return int(text.replace("_", ""))
        return self._notation(node) or self._refuse(node, "an integer")

    def construct_decimal(self, node: ScalarNode) -> Any:
        text = node.value
        if DECIMAL_FLOAT.match(text) and any(c.isdigit() for c in text):
            return Decimal(text.replace("_", ""))
        if SPECIAL_FLOAT.match(text):
            return Decimal(text.replace(".", "").lower().replace("inf", "Infinity"))
        return self._notation(node) or self._refuse(node, "a number")

    def construct_as_written(self, node: ScalarNode) -> str:
        """A timestamp stays the text it was written as (a date field reads it; a date and time is refused)."""
        text = str(self.construct_scalar(node))
        return text if self.timestamp_regexp.match(text) else self._refuse(node, "a timestamp")

    def construct_notation(self, node: ScalarNode) -> YamlNotation:
        return self._notation(node) or YamlNotation(node.value, "number", node.start_mark.line + 1)

    def _notation(self, node: ScalarNode) -> YamlNotation | None:
        for pattern, reads_as in _NOTATIONS:
            if pattern.match(node.value):
                return YamlNotation(node.value, reads_as, node.start_mark.line + 1)
        return None

    @staticmethod
    def _refuse(node: ScalarNode, what: str) -> Any:
        raise ConstructorError(None, None, f"{quoted(node.value)} is not {what}", node.start_mark)


StrictLoader.add_implicit_resolver(INT, DECIMAL_INT, list("-+0123456789"))
StrictLoader.add_implicit_resolver(FLOAT, DECIMAL_FLOAT, list("-+0123456789."))
StrictLoader.add_implicit_resolver(FLOAT, SPECIAL_FLOAT, list("-+."))
for _pattern, _ in _NOTATIONS:
    StrictLoader.add_implicit_resolver(NOTATION, _pattern, list("-+0123456789"))
StrictLoader.add_constructor(INT, StrictLoader.construct_integer)
StrictLoader.add_constructor(FLOAT, StrictLoader.construct_decimal)
StrictLoader.add_constructor(TIMESTAMP, StrictLoader.construct_as_written)
StrictLoader.add_constructor(NOTATION, StrictLoader.construct_notation)


def load_document(text: str) -> tuple[Any, list[int]]:
    """The document of a YAML text and the line where each of its statements starts.

    Raises yaml.YAMLError (DuplicateKey, AliasUsed, a syntax error) and ValueError for values
    that cannot be read (e.g. an integer of more digits than Python converts).
    """
    loader = StrictLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, []
        _refuse_aliases(node)
        return loader.construct_document(node), statement_lines(node)
    finally:
        loader.dispose()


def _refuse_aliases(root: Node) -> None:
    """An alias makes the composer hand out the same node twice: refuse the file at the first one."""
    seen: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            raise AliasUsed(f"line {node.start_mark.line + 1}: uses YAML aliases (*name)")
        seen.add(id(node))
        if isinstance(node, SequenceNode):
            stack.extend(node.value)
        elif isinstance(node, MappingNode):
            for key, value in node.value:
                stack.extend((key, value))


def statement_lines(node: Node) -> list[int]:
    """The first line of each statement: items of a bare list, or of the list under `statements:`."""
    if isinstance(node, MappingNode):
        node = next((value for key, value in node.value
                     if isinstance(key, ScalarNode) and key.value == "statements"), None)
    if not isinstance(node, SequenceNode):
        return []
    return [item.start_mark.line + 1 for item in node.value]


def misread_numbers(item: Any, path: str = "") -> list[str]:
    """Every value YAML would misread as a number (010, 0x4E20, 1:30), with its field and the fix."""
    if isinstance(item, YamlNotation):
        return [f"{path or 'statement'}: {item.explain()}"]
    if isinstance(item, dict):
        return [line for key, value in item.items() for line in misread_numbers(value, _joined(path, name_of(key)))]
    if isinstance(item, list):
        return [line for i, value in enumerate(item) for line in misread_numbers(value, _joined(path, str(i)))]
    return []


def _joined(path: str, part: str) -> str:
    return f"{path}.{part}" if path else part
