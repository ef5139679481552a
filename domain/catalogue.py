"""The catalogue: every subject type and statement kind, and everything derived from them.

A subject type is one module of domain/ (its statements, whose docstrings give the CLI summary and
example; its fold steps; its status words; its aggregate with declared event classes; its typed view
row; its SUBJECT declaration). To add one, write its module and list it in SUBJECT_MODULES; then run
`python -m stratlog.domain.catalogue` to refresh domain/picture.py, the plain-data part of it that
queries read without importing pydantic (and that says which module declares each kind, group and
aggregate, so that a command touching one subject imports that subject's module alone). Nothing else
keeps a list of kinds or subjects.

BY_KIND, AGGREGATES, FOLDERS and SUBJECT_OF_AGGREGATE are mappings that import the one subject module a
key needs; iterating one, or asking for SUBJECTS, STATEMENT_CLASSES, ALL_CLASSES or AnyRecord, imports
every subject module (and checks the catalogue whole).
"""

import functools
import importlib
import inspect
import pprint
import typing
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any, Callable, Iterator, Union

from stratlog.domain import picture as _picture
from stratlog.domain.aggregate import register_topics
from stratlog.domain.fixes import StatementCorrected, StatementRetracted
from stratlog.domain.subject_type import MARKS, TONES, SubjectType

# The subject types, in their declared order: the one list every layer is driven by.
SUBJECT_MODULES = ("stratlog.domain.brand", "stratlog.domain.model", "stratlog.domain.market",
                   "stratlog.domain.dealer_agreement", "stratlog.domain.plant")

# Release 1 kept the aggregates of these subjects in one module; events stored then carry its topics.
LEGACY_MODULES = ("domain.subjects_aggregates", "stratlog.domain.subjects_aggregates")
LEGACY_SUBJECTS = ("brand", "model", "market", "dealer-agreement")

FIX_CLASSES = (StatementCorrected, StatementRetracted)
KINDS: tuple[str, ...] = tuple(_picture.INDEX["kinds"])  # every kind, the fixes last (the picture is checked against it)

_LOADED: dict[str, SubjectType] = {}  # module name -> its SUBJECT, once imported and its topics registered


def _load(module: str) -> SubjectType:
    """The SUBJECT of one subject module, imported (and its event topics registered) on first use."""
    subject = _LOADED.get(module)
    if subject is None:
        subject = importlib.import_module(module).SUBJECT
        register_topics(subject.aggregate, (subject.aggregate.__module__,)
                        + (LEGACY_MODULES if subject.name in LEGACY_SUBJECTS else ()))
        _LOADED[module] = subject
    return subject


@functools.cache
def _all() -> tuple[SubjectType, ...]:
    """Every subject type, in declared order, each module imported; the catalogue checked whole."""
    subjects = tuple(_load(module) for module in SUBJECT_MODULES)
    check(subjects)
    return subjects


class _SubjectMapping(Mapping):
    """A read-only mapping derived from the subject types: a lookup imports only the subject module the
    index names for the key (an unknown key, every module); iterating imports every module. What a
    loaded subject gives is kept (an import looks a kind up for every statement)."""

    def __init__(self, index: str, entries: Callable[[SubjectType], dict], fixed: dict | None = None):
        self._index, self._entries, self._fixed = index, entries, dict(fixed or {})
        self._known: dict = dict(self._fixed)
        self._subjects: set[str] = set()
        self._every: dict | None = None

    def __getitem__(self, key: Any) -> Any:
        known = self._known.get(key, _MISSING) if isinstance(key, str) else _MISSING
        if known is not _MISSING:
            return known
        subject = self._subject_of(key)
        if subject is not None and subject not in self._subjects:
            self._known.update(self._entries(_load(_picture.INDEX["subjects"][subject])))
            self._subjects.add(subject)
            if key in self._known:
                return self._known[key]
        return self._whole()[key]

    def _subject_of(self, key: Any) -> str | None:
        if not isinstance(key, str):
            return None
        if self._index == "subjects":  # the index of subject names gives their modules
            return key if key in _picture.INDEX["subjects"] else None
        return _picture.INDEX[self._index].get(key)

    def __contains__(self, key: Any) -> bool:
        try:
            self[key]
        except KeyError:
            return False
        return True

    def _whole(self) -> dict:
        """Every entry, every subject module imported (computed once)."""
        if self._every is None:
            whole = {key: value for subject in _all() for key, value in self._entries(subject).items()}
            self._every = {**whole, **self._fixed}
        return self._every

    def __iter__(self) -> Iterator:
        return iter(self._whole())

    def __len__(self) -> int:
        return len(self._whole())


_MISSING = object()


def _classes_by_kind(subject: SubjectType) -> dict[str, type]:
    return {cls.KIND: cls for cls in subject.statements}


BY_KIND: Mapping[str, type] = _SubjectMapping("kinds", _classes_by_kind, {cls.KIND: cls for cls in FIX_CLASSES})
AGGREGATES: Mapping[str, type] = _SubjectMapping("subjects", lambda s: {s.name: s.aggregate})
SUBJECT_OF_AGGREGATE: Mapping[str, str] = _SubjectMapping("aggregates", lambda s: {s.aggregate.__qualname__: s.name})
FOLDERS: Mapping[str, Callable[[bool], Any]] = _SubjectMapping("groups", lambda s: dict(s.folders))


def __getattr__(name: str) -> Any:
    """SUBJECTS, STATEMENT_CLASSES, ALL_CLASSES and AnyRecord: every subject module imported."""
    if name == "SUBJECTS":
        return _all()
    if name == "STATEMENT_CLASSES":
        return tuple(cls for subject in _all() for cls in subject.statements)
    if name == "ALL_CLASSES":
        return __getattr__("STATEMENT_CLASSES") + FIX_CLASSES
    if name == "AnyRecord":
        from pydantic import Field
        return Annotated[Union[__getattr__("ALL_CLASSES")], Field(discriminator="kind")]  # type: ignore[valid-type]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def statement_kinds() -> tuple[str, ...]:
    """The statement kinds (fixes left out), in declared order, without importing any subject module."""
    return tuple(kind for kind, subject in _picture.INDEX["kinds"].items() if subject is not None)


def key_fields() -> frozenset[str]:
    """Every subject's key fields (they cannot be corrected), without importing any subject module."""
    return frozenset(_picture.INDEX["key_fields"])


def event_topic_subject(topic: str) -> str | None:
    """The subject type whose module declares the event class a stored topic names (None: no subject's),
    read from the index: 'stratlog.domain.market:Market.MarketEntered' -> 'market'."""
    module, _, qualname = topic.partition(":")
    subject = _picture.INDEX["aggregates"].get(qualname.split(".", 1)[0])
    if subject is None:
        return None
    if module == _picture.INDEX["subjects"][subject] or (module in LEGACY_MODULES and subject in LEGACY_SUBJECTS):
        return subject
    return None


def load_topic(topic: str) -> None:
    """Import the subject module whose event class a stored topic names (its topics then registered);
    a topic no subject declares imports every module (so that a stale index never hides a class)."""
    subject = event_topic_subject(topic)
    if subject is not None:
        _load(_picture.INDEX["subjects"][subject])
    else:
        _all()


class CatalogueIncomplete(Exception):
    """Raised at import when a subject or kind lacks a piece (a summary, an example, a fold step…)."""


def summary(cls: type) -> str:
    """A kind's CLI summary: the first line of its docstring, as a phrase ('a model announced for a date')."""
    line = (cls.__doc__ or "").strip().split("\n", 1)[0].strip().rstrip(".")
    first = line.split(" ", 1)[0]
    return line[:1].lower() + line[1:] if first[1:].islower() or len(first) == 1 else line  # not an acronym


def example(cls: type) -> str:
    """A kind's CLI example (the arguments of `stratlog record`), from the `Example:` of its docstring."""
    text = inspect.cleandoc(cls.__doc__ or "")
    _, found, rest = text.partition("\nExample:")
    return " ".join(rest.split("\n\n", 1)[0].split()) if found else ""


class _LazyAdapter:
    """The TypeAdapter of any record, built on first use (building every schema costs start-up time)."""

    @functools.cached_property
    def adapter(self) -> Any:
        from pydantic import TypeAdapter
        return TypeAdapter(__getattr__("AnyRecord"))

    def __getattr__(self, name: str):
        return getattr(self.adapter, name)


RECORD_ADAPTER = _LazyAdapter()


def picture() -> dict:
    """What the query side needs to know of the subject types, as plain data (see domain/picture.py)."""
    subjects = _all()
    statuses: dict[str, str | None] = {}
    for subject in subjects:
        for word in subject.words:
            statuses.setdefault(word, subject.tones.get(word))
    return {
        "GROUPS": tuple(group for s in subjects for group in s.folders),
        "SUBJECTS": tuple({
            "type": s.name, "list": s.state.key, "table": s.state.table,
            "columns": tuple((column, column in s.state.row.__required_keys__) for column in s.state.row.__annotations__),
            "milestones": tuple(s.milestones.items()),
        } for s in subjects if s.state is not None),
        "STATUSES": statuses,
        "INDEX": _index(subjects),
    }


def _index(subjects: tuple[SubjectType, ...]) -> dict:
    """Which subject type declares each kind, aggregate and group (and each one's module, every key field):
    what lets a command import only the subject module it needs."""
    return {
        "subjects": {s.name: s.aggregate.__module__ for s in subjects},
        "kinds": {**{cls.KIND: s.name for s in subjects for cls in s.statements},
                  **{cls.KIND: None for cls in FIX_CLASSES}},
        "aggregates": {s.aggregate.__qualname__: s.name for s in subjects},
        "groups": {group: s.name for s in subjects for group in s.folders},
        "key_fields": tuple(sorted({"brand"} | {key for s in subjects for cls in s.statements for key in cls.KEY_FIELDS})),
    }


def write_picture(path: Path = Path(__file__).with_name("picture.py")) -> None:
    """Write domain/picture.py from the catalogue."""
    head = '"""GENERATED by `python -m stratlog.domain.catalogue` from domain/catalogue.py: do not edit.\n\n' \
           "The subject types as the query side sees them (views, report, terminal tables), as plain data, so\n" \
           "that answering a query imports neither pydantic nor eventsourcing. A test fails when it differs\n" \
           'from the catalogue. INDEX says which subject module declares each kind, aggregate and group, so\n' \
           'that a command touching one subject imports that module alone.\n"""\n'
    body = "".join(f"\n{name} = {pprint.pformat(value, width=110, sort_dicts=False)}\n"
                   for name, value in picture().items())
    path.write_text(head + body, encoding="utf-8")


def check(subjects: tuple[SubjectType, ...] | None = None) -> None:
    """Every kind has a summary, an example and a fold step; every subject's words, tones and marks fit."""
    subjects = _all() if subjects is None else subjects
    problems = []
    for subject in subjects:
        folders = [factory(True) for factory in subject.folders.values()]
        for cls in subject.statements:
            if not summary(cls):
                problems.append(f"{cls.__name__} has no docstring (its first line is the CLI summary)")
            if not example(cls).startswith(f"{cls.KIND} "):
                problems.append(f"{cls.__name__}'s docstring has no 'Example: {cls.KIND} …' line")
            if not any(folder.folds(cls) for folder in folders):
                problems.append(f"{cls.__name__} has no fold step")
        problems += _words_problems(subject, subjects)
    kinds = [cls.KIND for subject in subjects for cls in subject.statements] + [cls.KIND for cls in FIX_CLASSES]
    if len(set(kinds)) != len(kinds):
        problems.append("two statement classes have the same kind")
    if problems:
        raise CatalogueIncomplete("; ".join(problems))


def _words_problems(subject: SubjectType, subjects: tuple[SubjectType, ...]) -> list[str]:
    problems = [f"{subject.name}: tone {tone!r} of {word!r} is not one of {TONES}" for word, tone in
                subject.tones.items() if tone not in TONES]
    problems += [f"{subject.name}: {word!r} has a tone but is not a status word" for word in subject.tones
                 if word not in subject.words]
    problems += [f"{subject.name}: milestone {name} is drawn as {mark!r}, not one of {MARKS}" for name, mark in
                 subject.milestones.items() if mark not in MARKS]
    tones = {word: s.tones.get(word) for s in subjects if s is not subject for word in s.words}
    problems += [f"{subject.name}: {word!r} is coloured {subject.tones.get(word)!r} here, {tones[word]!r} elsewhere"
                 for word in subject.words if word in tones and tones[word] != subject.tones.get(word)]
    if not typing.get_args(subject.statuses):
        problems.append(f"{subject.name}: its statuses are not a Literal of words")
    return problems


if __name__ == "__main__":
    write_picture()
