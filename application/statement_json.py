"""One JSON dump of a statement, shared by its statement id and the state the mapper stores."""

from __future__ import annotations

import json
from typing import Any

from stratlog.domain.statement import statement_id_of


def dumped(statement: Any) -> tuple[str, str]:
    """(statement id, JSON text of the statement as its stored event holds it), from one pydantic dump.

    The text is what the mapper writes under "statement" (compact separators, UTF-8 kept); the id is
    the one `Statement.statement_id()` gives, computed from the same dump.
    """
    content = statement.model_dump(mode="json", exclude_none=True)
    return statement_id_of(content), _COMPACT.encode(content)


_COMPACT = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))  # json.dumps with these options, built once
