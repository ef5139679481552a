"""The bytes a stored event's state is kept as: its JSON text, deflated with a preset dictionary.

Every reader and writer of `stored_events.state` goes through `pack` and `unpack` (the mapper, the
recorded_at scan, the `statements` view's SQL function, the benchmarks and the tests that tamper with
a state), so there is one storage format:

- a state whose first byte is `{` (or anything but a marker below) is plain UTF-8 JSON, as stratlog
  wrote before dictionary 1 and as the checked-in fixtures hold; it is read as it is, forever;
- `\\x01` + raw deflate (window 2**12, no zlib header) of the JSON text with DICTIONARY_1 preset.

DICTIONARY_1 is part of the storage format: never edit it. A better dictionary is added as marker
`\\x02` with DICTIONARY_2 beside it, and old rows keep reading with theirs. It was written mostly from
the schema, not from a data set (so real ledgers gain about as much as synthetic ones): the envelope keys
of a state, the statement field names, the kind names and the literal values of the models (comparators,
stances), common KPI slugs, units and currencies, the source keys; the most frequent strings last,
where deflate finds them at the shortest distance. A few fragments echo the benchmark's synthetic
history rather than the schema ("Group ", "Annual report 20", "https://www."): harmless to real data,
and a reason a DICTIONARY_2 should be drawn from the schema alone.
"""

from __future__ import annotations

import sqlite3
import zlib

DICTIONARY_1 = (
    b'"timestamp":"originator_topic":"stratlog.domain.model:Model","stratlog.domain.market:Market",'
    b'"stratlog.domain.dealer_agreement:DealerAgreement","stratlog.domain.plant:Plant",'
    b'"stratlog.domain.brand:Brand","corrects":"retracts":"fields":{"rationale":"condition":"speaker":'
    b'"language":"published_on":"quote":"body":"horizon":"baseline":"low":"high":"kpis":["'
    b'"new_name":"new_deadline":"capacity":"capacity_unit":"location":"powertrain":"products":['
    b'"plant":"dealer":"country":"fiscal_year_end":"parent":"name":"Group ","by":"venue":"'
    b'"signed_on":"terminated_on":"ended_on":"entered_on":"exited_on":"cancelled_on":"discontinued_on":'
    b'"opened_on":"closed_on":"effective_on":"revealed_on":"launched_on":"planned_for":"segment":"'
    b'"markets":["model":"market":"reason":"note":"stance":"considered","planned","filed","listed",'
    b'"abandoned","potential","basis":"market cap","valued_on":"value":{"amount":"currency":"EUR"},'
    b'"USD","CNY","JPY","GBP","KRW","percent","vehicles","models","units","yes/no","EV","BEV",'
    b'"PHEV","HEV","ICE","kpi":"annual-sales","revenue","revenue-growth","profitability",'
    b'"operating-margin","ev-share","new-models","scope":"global","EU","US","CN","JP","period":"'
    b'"deadline":"20","comparator":"at-least","at-most","exactly","about","unit":"'
    b'"kind":"brand-registered","valuation-updated","ipo-considered","guidance-withdrawn",'
    b'"statement-corrected","statement-retracted","target-withdrawn","target-reaffirmed",'
    b'"target-revised","target-set","actual-reported","model-renamed","model-cancelled",'
    b'"model-discontinued","model-rescheduled","model-revealed","model-launched","model-planned",'
    b'"market-entry-postponed","market-entry-cancelled","market-exited","market-entered",'
    b'"market-entry-planned","dealer-talks-ended","dealer-agreement-terminated","dealer-talks-started",'
    b'"dealer-agreement-signed","plant-capacity-changed","plant-postponed","plant-cancelled",'
    b'"plant-closed","plant-opened","plant-planned",'
    b'{"statement_id":"00000000-0000-5000-8000-000000000000","recorded_at":"2020-01-01T00:00:00.000000Z",'
    b'"statement":{"brand":"","announced_on":"2020-01-01","source":{"title":"Annual report 20",'
    b'"publisher":"","url":"https://www.","kind":"'
    b'"}},"class_version":3}'
)
MARK_1 = 0x01  # the first byte of a state deflated with DICTIONARY_1 ('{' = 0x7b: plain JSON)
_WBITS, _LEVEL, _MEM_LEVEL = -12, 6, 4  # raw deflate, 4 KB window: as small as this text needs, and fast


class UndecodableState(ValueError):
    """Raised when a stored state marked as deflated does not inflate; says why in one line."""


def pack(text: bytes) -> bytes:
    """The stored bytes of a state's JSON text (marker 1 + raw deflate with DICTIONARY_1)."""
    deflate = zlib.compressobj(_LEVEL, zlib.DEFLATED, _WBITS, _MEM_LEVEL, zlib.Z_DEFAULT_STRATEGY, DICTIONARY_1)
    return bytes((MARK_1,)) + deflate.compress(text) + deflate.flush()


def unpack(state: bytes) -> bytes:
    """The JSON text of stored state bytes: inflated if marked, as it is otherwise (older plain JSON)."""
    if not state or state[0] != MARK_1:
        return state
    inflate = zlib.decompressobj(_WBITS, DICTIONARY_1)
    try:
        text = inflate.decompress(memoryview(state)[1:])
    except zlib.error as error:
        raise UndecodableState(f"the body is deflated (dictionary 1) but does not inflate ({error})") from None
    if not inflate.eof or inflate.unused_data:
        raise UndecodableState("the body is deflated (dictionary 1) but " +
                               ("is cut short" if not inflate.eof else "has bytes after its end"))
    return text


def state_text(state: bytes | memoryview | str | None) -> str | None:
    """A stored state as JSON text for SQL (the `stratlog_state` function); None if it is not readable."""
    if state is None or isinstance(state, str):
        return state
    try:
        return unpack(bytes(state)).decode("utf-8")
    except (UndecodableState, UnicodeDecodeError):
        return None


SQL_FUNCTION = "stratlog_state"  # the `statements` view reads each state's JSON text through it


def add_sql_function(conn: sqlite3.Connection) -> None:
    """Let `conn` read packed states in SQL: stratlog_state(state) is the state's JSON text (NULL when it
    does not decode). Datasette gets it from stratlog's plugin; other readers of the view call this."""
    conn.create_function(SQL_FUNCTION, 1, state_text, deterministic=True)
