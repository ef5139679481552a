"""Ownership as of a date (DESIGN.md §4 r2): a later brand-registered with an announced_on restates it."""

import json


def test_a_dated_registration_restates_name_and_parent_from_its_date_and_keeps_the_fiscal_year(stratlog, db):
    assert stratlog("--db", db, "record", "brand-registered", "volvo", "--name", "Volvo Cars", "--parent", "Ford",
                    "--fiscal-year-end", "3").code == 0
    assert stratlog("--db", db, "record", "brand-registered", "volvo", "--name", "Volvo Car Corporation", "--parent",
                    "Geely", "--announced-on", "2010-08", "--source-title", "Press release").code == 0

    def owned(as_of):
        picture = json.loads(stratlog("--db", db, "state", "volvo", "--as-of", as_of, "--json").out)
        return picture["name"], picture["parent"], picture["fiscal_year_end"]

    assert owned("2010-07-31") == ("Volvo Cars", "Ford", 3)
    assert owned("2010-08-31") == ("Volvo Car Corporation", "Geely", 3)
    assert "OK: the read model equals the fold" in stratlog("--db", db, "projections", "verify").out


def test_a_fiscal_year_end_outside_one_to_twelve_is_refused_naming_the_field(stratlog, db):
    result = stratlog("--db", db, "record", "brand-registered", "volvo", "--name", "Volvo", "--fiscal-year-end", "13")

    assert result.code == 2
    assert "--fiscal-year-end: should be less than or equal to 12 (got 13)" in result.err
