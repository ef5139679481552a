"""eventsourcing's default path as an import baseline: aggregate command methods, one `save` per batch."""

from __future__ import annotations

import json
import os
import time
from uuid import NAMESPACE_URL, uuid5

from eventsourcing.application import Application
from eventsourcing.domain import Aggregate, event

from benchmarks.measure_import import remove_database

BATCH = 1000  # statements per save
SUBJECT_FIELDS = ("model", "market", "dealer", "kpi", "plant")


class Subject(Aggregate):
    """What a statement is about (a brand, a model, a KPI …), recording each statement as one event."""

    def __init__(self, key: str):
        self.key = key

    @staticmethod
    def create_id(key: str):
        """One subject per key, as stratlog derives its subject ids."""
        return uuid5(NAMESPACE_URL, key)

    @event("Stated")
    def state(self, statement: dict) -> None:
        """Record a statement (the plain library keeps nothing of it in the aggregate)."""


class Plain(Application):
    """A plain eventsourcing application on SQLite: no validation, no rules, no read model."""


def _subject_key(statement: dict) -> str:
    name = next((f"{f}={statement[f]}" for f in SUBJECT_FIELDS if statement.get(f)), "brand")
    return f"{statement.get('brand')}/{name}"


def es_default_rate(jsonl: str, path: str) -> float:
    """Statements per second read from `jsonl` and stored through aggregate command methods into a fresh
    SQLite file (eventsourcing.sqlite), one `save` of the touched aggregates per BATCH statements."""
    remove_database(path)
    env = {"PERSISTENCE_MODULE": "eventsourcing.sqlite", "SQLITE_DBNAME": path}
    saved = dict(os.environ)
    os.environ.update(env)
    try:
        app = Plain()
        started = time.perf_counter()
        count = _store(app, jsonl)
        seconds = time.perf_counter() - started
        app.close()
    finally:
        os.environ.clear()
        os.environ.update(saved)
        remove_database(path)
    return count / seconds


def _store(app: Plain, jsonl: str) -> int:
    subjects: dict[str, Subject] = {}
    touched: dict[str, Subject] = {}
    count = 0
    with open(jsonl, encoding="utf-8") as lines:
        for line in lines:
            statement = json.loads(line)
            key = _subject_key(statement)
            subject = subjects.get(key)
            if subject is None:
                subject = subjects[key] = Subject(key=key)
            subject.state(statement)
            touched[key] = subject
            count += 1
            if count % BATCH == 0:
                app.save(*touched.values())
                touched = {}
    if touched:
        app.save(*touched.values())
    return count
