"""Shell-completion candidates read from the read model: brands, KPIs, models and statement ids.

Completion runs inside the user's shell at every TAB: it opens the SQLite file read-only (never
creating or writing anything, not even a journal), and any failure (no file, not a stratlog
database, a locked or damaged file, a bad --db) gives no candidates rather than a message.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from stratlog.domain.errors import StratlogError
from stratlog.infrastructure.config import settings
from stratlog.infrastructure.statement_keys import ID_TEXT, KIND_TEXT, prefix_range

LIMIT = 200  # candidates offered at most
QUERIES = {
    "brand": "SELECT DISTINCT brand FROM rm_subjects WHERE brand LIKE :like ESCAPE '\\' ORDER BY brand LIMIT :limit",
    "kpi": "SELECT DISTINCT substr(grp, 9, instr(substr(grp, 9), ':') - 1) AS kpi FROM rm_groups "
           "WHERE grp LIKE 'targets:%' AND (:brand IS NULL OR brand = :brand) AND kpi LIKE :like ESCAPE '\\' "
           "ORDER BY kpi LIMIT :limit",
    # an item stores [shape, values…]: the subject is the value at its key's place in the shape
    "model": "SELECT DISTINCT json_extract(i.data, '$[' || (SELECT k.key + 1 FROM json_each(sh.keys, '$.keys') k "
             "WHERE k.value = 'subject') || ']') AS model FROM rm_groups g JOIN rm_items i ON i.unit = g.unit "
             "JOIN rm_shapes sh ON sh.id = i.data ->> '$[0]' WHERE g.kind = 'model' AND i.item NOT GLOB 'a:*' "
             "AND (:brand IS NULL OR g.brand = :brand) AND model LIKE :like ESCAPE '\\' ORDER BY model LIMIT :limit",
    # a statement id is stored as 16 bytes, a kind as a number (statement_keys): the typed prefix is a range of ids
    "statement": f"SELECT {ID_TEXT.format('st.statement_id')}, {KIND_TEXT.format('st.kind')}, su.brand "
                 "FROM rm_statements st JOIN rm_subjects su ON su.id = st.subject WHERE st.statement_id BETWEEN :low AND :high "
                 "ORDER BY st.position DESC LIMIT :limit",
}


def candidates(what: str, incomplete: str, db: str | None = None, read_model: str | None = None,
               brand: str | None = None) -> list[tuple[str, str | None]]:
    """(value, help) pairs starting with `incomplete` for `what` (brand, kpi, model or statement), of
    one brand when given; [] whenever the read model cannot be read."""
    try:
        path = Path(settings(db, read_model).read_model)
    except StratlogError:
        return []
    if not path.is_file():
        return []
    like = incomplete.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    bounds = prefix_range(incomplete.lower()) if what == "statement" else (None, None)
    if bounds is None:  # no statement id starts with it (LIKE ignored the case of ASCII letters: so does this)
        return []
    try:
        conn = sqlite3.connect(_read_only_uri(path), uri=True, timeout=0.2)
    except sqlite3.Error:
        return []
    try:
        rows = conn.execute(QUERIES[what], {"like": like, "brand": brand, "limit": LIMIT,
                                            "low": bounds[0], "high": bounds[1]}).fetchall()
    except sqlite3.Error:
        return []
    finally:
        conn.close()
    return [(row[0], f"{row[1]}, {row[2]}" if len(row) > 2 else None) for row in rows if row[0]]


def _read_only_uri(path: Path) -> str:
    """A URI that reads without creating anything: while a writer's -wal and -shm are there, a read-only
    reader shares them (the log's newest pages are in the -wal); without them every page is in the file
    and `immutable` reads it alone (a read-only WAL reader would otherwise create both)."""
    uri = path.resolve().as_uri()
    live = Path(f"{path}-wal").is_file() and Path(f"{path}-shm").is_file()
    return f"{uri}?mode=ro" if live else f"{uri}?immutable=1"
