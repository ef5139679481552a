"""A whole-number field (fiscal_year_end) takes a number from a file and digits from an option, never a boolean."""

from __future__ import annotations

import json

import pytest

from tests.conftest import write

FILE = "defaults: {source: {title: T}}\nstatements:\n  - {kind: brand-registered, brand: nordlys, name: Nordlys, " \
       "fiscal_year_end: %s}\n"


@pytest.mark.parametrize(("month", "message"), [
    ("true", "fiscal_year_end: should be a whole number; YAML reads an unquoted yes, no, on or off as true/false "
             "(got true)"),
    ("on", "(got true)"),
    ("'3'", "fiscal_year_end: should be a whole number written without quotes (got '3')"),
])
def test_an_import_refuses_a_boolean_or_text_month_naming_the_place_field_and_value(db, stratlog, tmp_path, month,
                                                                                      message):
    done = stratlog("--db", db, "import", write(tmp_path, "brand.yaml", FILE % month))
    assert done.code == 2 and "statement 1 (line 3)" in done.err and message in done.err
    assert "Traceback" not in done.err and "Value error" not in done.err
    assert stratlog("--db", db, "state", "nordlys", "--json").code == 1  # nothing written: no such brand


def test_the_option_still_takes_digits_and_refuses_anything_else(db, stratlog):
    assert stratlog("--db", db, "record", "brand-registered", "nordlys", "--name", "Nordlys",
                    "--fiscal-year-end", "3").code == 0
    assert json.loads(stratlog("--db", db, "state", "nordlys", "--json").out)["fiscal_year_end"] == 3
    done = stratlog("--db", db, "record", "brand-registered", "vind", "--name", "Vind", "--fiscal-year-end", "yes")
    assert (done.code, done.err.strip()) == (2, "Error: --fiscal-year-end: 'yes' is not a whole number")
