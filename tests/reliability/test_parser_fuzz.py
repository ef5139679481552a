"""Fuzzing the import parser: whatever the bytes, read_import returns an ImportFile or raises InvalidInput.

The strategies include what once crashed it: an unhashable `kind`, impossible unquoted YAML dates,
standard YAML tags with values their constructor chokes on, and integers over 4300 digits.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stratlog.domain.errors import InvalidInput
from stratlog.infrastructure.files import ImportFile, read_import

FIELDS = ["kind", "brand", "model", "market", "dealer", "name", "value", "unit", "comparator", "deadline", "kpi",
          "announced_on", "source", "title", "url", "amount", "currency", "period", "planned_for", "markets",
          "statement_id", "recorded_at", "corrects", "fields", "retracts", "reason", "note", "low", "high"]
WORDS = ["brand-registered", "target-set", "target-revised", "model-planned", "actual-reported",
         "valuation-updated", "statement-corrected", "acme", "A290", "US", "NO", "EUR", "2023", "2023-06",
         "2023-06-14", "2023-Q2", "at-least", "annual-sales", "vehicles", "https://example.org/a",
         "8c4f3a52-6f0e-5b1e-9d7a-2f6c1e0b7a11", "2024-01-01T00:00:00Z"]
YAML_TOKENS = ["- ", "{", "}", "[", "]", ": ", ", ", "\n", "  ", "'", '"', "#", "? ", "|", ">", "~", "null", "&a ",
               "*a", "!!str ", "!!binary ", "!!null ", "!!python/name:os.system", "!!python/object/apply:os.system ",
               "!custom ", "---\n", "...\n", "%YAML 1.1\n", "statements", "defaults", "0x1F", "1e3", ".inf", "\t",
               "\\", "\u202e", "\x00", "\ufeff", *FIELDS, *WORDS]
EXTENSIONS = [".yaml", ".json", ".jsonl", ".txt"]
FUZZ = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])

scalars = (st.none() | st.booleans() | st.integers(min_value=-10**30, max_value=10**30)
           | st.floats(allow_nan=True, allow_infinity=True) | st.sampled_from(WORDS) | st.text(max_size=20))
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4)
                      | st.dictionaries(st.sampled_from(FIELDS) | st.text(max_size=8), inner, max_size=5),
                      max_leaves=30)
statement = st.dictionaries(st.sampled_from(FIELDS), values, max_size=8) | values
document = (st.lists(statement, max_size=5)
            | st.fixed_dictionaries({"statements": st.lists(statement, max_size=5) | values},
                                    optional={"defaults": values, "extra": values}))


def check_read_or_refused(content: bytes, extension: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"import{extension}"
        path.write_bytes(content)
        try:
            assert isinstance(read_import(str(path)), ImportFile)
        except InvalidInput as error:
            assert str(error)


@FUZZ
@given(st.binary(max_size=2000), st.sampled_from(EXTENSIONS))
def test_random_bytes_are_read_or_refused_never_crash(content, extension):
    check_read_or_refused(content, extension)


@FUZZ
@given(st.lists(st.sampled_from(YAML_TOKENS) | st.text(max_size=6), max_size=60), st.sampled_from(EXTENSIONS))
def test_yaml_like_text_is_read_or_refused_never_crash(tokens, extension):
    check_read_or_refused("".join(tokens).encode("utf-8", "surrogatepass"), extension)


@FUZZ
@given(document, st.sampled_from([".json", ".yaml", ""]))
def test_random_json_and_yaml_documents_are_read_or_refused_never_crash(doc, extension):
    text = yaml.safe_dump(doc, allow_unicode=True) if extension == ".yaml" else json.dumps(doc)
    check_read_or_refused(text.encode("utf-8", "surrogatepass"), extension)


@FUZZ
@given(st.lists(statement, min_size=1, max_size=5), st.booleans())
def test_random_json_lines_are_read_or_refused_never_crash(lines, restore):
    if restore:
        lines = [dict(line, statement_id="8c4f3a52-6f0e-5b1e-9d7a-2f6c1e0b7a11", recorded_at="2024-01-01T00:00:00Z")
                 if isinstance(line, dict) else line for line in lines]
    check_read_or_refused("\n".join(json.dumps(line) for line in lines).encode("utf-8", "surrogatepass"), ".jsonl")


def test_the_fuzzed_parser_still_accepts_a_valid_file():
    """The fuzz above is worth something only if the parser accepts good input too."""
    good = [{"kind": "brand-registered", "brand": "acme", "name": "Acme"},
            {"kind": "model-planned", "brand": "acme", "model": "A290", "planned_for": "2025",
             "announced_on": "2023-06", "source": {"title": "T"}}]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "good.json"
        path.write_text(json.dumps(good))
        assert [r.KIND for r in read_import(str(path)).records] == ["brand-registered", "model-planned"]
