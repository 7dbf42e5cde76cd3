"""The data files in data/ exist, parse, are the verbatim copies documented in data/README.md,
hold nothing after 2022, and the model never reads the project's shared folder."""

from __future__ import annotations

import csv
import re
import sys
from pathlib import Path

import pytest

from sim.files import sha256_file

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
# name: (columns, rows, SHA-256 of the verbatim copy)
FILES = {
    "kz_observed.csv": (["id", "category", "quantity", "year_or_date", "value", "unit", "source",
                         "quote"], 94, None),
    "events_2025.csv": (None, 31, None),
    "unga_agreement.csv": (["year", "partner", "agreement", "n_votes", "method", "source"], 324,
                           "2e63716d4cbe0e7b13a80c58e8a415a6adcb18fa65d2d18e50b5d823f5df8557"),
    "unga_ukraine_votes.csv": (["year", "date", "resolution", "title", "KAZ", "RUS", "CHN", "USA",
                               "tally_yes_no_abstain", "source", "cross_check"], 7,
                               "2995ee51388b3676a4370a7f07137f2e1ada6ba5305ed241b09bffd387bc0f8d"),
    "kz_trade_2010_2021.csv": (["year", "partner", "flow", "value_usd_bn", "data_side",
                               "source_url", "quote", "note"], 23,
                               "934102e3648a558d6237f79e9435bb7f0eaa54a2adce9d3fee7fc87f164aca9e"),
}


def _rows(name):
    with (DATA / name).open(newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        return reader.fieldnames, list(reader)


@pytest.mark.parametrize("name", list(FILES))
def test_data_file_exists_parses_and_is_documented(name):
    columns, n_rows, digest = FILES[name]
    header, rows = _rows(name)
    if columns is not None:
        assert header == columns
    assert len(rows) == n_rows
    assert all(None not in r and all(v is not None for v in r.values()) for r in rows)
    if digest is not None:
        assert sha256_file(DATA / name) == digest, f"{name} is no longer the verbatim copy"
    readme = (DATA / "README.md").read_text()
    assert f"`{name}`" in readme


def test_new_files_hold_nothing_after_2022_and_cite_unique_keys():
    _, agree = _rows("unga_agreement.csv")
    keys = [(r["year"], r["partner"], r["method"]) for r in agree]
    assert len(set(keys)) == len(keys)
    assert {int(r["year"]) for r in agree} == set(range(2005, 2023))
    assert all(0.0 <= float(r["agreement"]) <= 1.0 for r in agree
               if r["method"].startswith("agree_share"))
    _, votes = _rows("unga_ukraine_votes.csv")
    assert len({r["resolution"] for r in votes}) == len(votes)
    assert {int(r["year"]) for r in votes} <= {2014, 2022}
    _, trade = _rows("kz_trade_2010_2021.csv")
    keys = [(r["year"], r["partner"], r["flow"], r["value_usd_bn"]) for r in trade]
    assert len(set(keys)) == len(keys)
    assert all(2010 <= int(r["year"]) <= 2021 and float(r["value_usd_bn"]) > 0 for r in trade)
    readme = (DATA / "README.md").read_text()
    for name in ("unga_agreement.csv", "unga_ukraine_votes.csv", "kz_trade_2010_2021.csv"):
        assert re.search(rf"`{re.escape(name)}` is a verbatim copy of `shared/data/"
                         rf"{re.escape(name)}` \(copied\s+2026-11-25\)", readme), name


SHARED = re.compile(r"\.\./shared|shared/data|/work/shared")


def test_no_code_or_configuration_names_the_shared_folder():
    for folder in ("sim", "experiments", "configs", "scripts"):
        for path in (ROOT / folder).rglob("*"):
            if path.suffix in (".py", ".yaml", ".yml", ".toml", ".cfg") and path.is_file():
                assert not SHARED.search(path.read_text(encoding="utf-8")), path


_OPENED: list[str] = []
_AUDITING = [False]


def _audit(event, args):
    if _AUDITING[0] and event == "open" and args and isinstance(args[0], (str, bytes, Path)):
        _OPENED.append(str(args[0]))


sys.addaudithook(_audit)


def test_a_replay_opens_no_file_of_the_shared_folder():
    import kzsim
    from sim.api import run

    _OPENED.clear()
    _AUDITING[0] = True
    try:
        cfg = kzsim.load_config(["history=events_2022_2025"])
        run(cfg, [1, 2], turns=3)
    finally:
        _AUDITING[0] = False
    assert _OPENED, "the audit hook saw no file opened"
    shared = [p for p in _OPENED if "/shared/" in p.replace("\\", "/") and "site-packages" not in p]
    assert not shared, shared
