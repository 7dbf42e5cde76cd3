"""Every number of the 2021 baseline cites a row of data/kz_observed.csv or is an assumption."""

import csv
import re
from pathlib import Path

import pytest

import kzsim
from sim.baseline import Sourced, row_ids
from sim.schema import to_dict

ROWS = {r["id"] for r in csv.DictReader(
    (Path(__file__).parents[1] / "data" / "kz_observed.csv").open())}


def _leaves(node, path=""):
    if isinstance(node, dict) and set(node) == {"value", "source"}:
        yield path, node
    elif isinstance(node, dict):
        for k, v in node.items():
            yield from _leaves(v, f"{path}.{k}" if path else k)


def test_every_baseline_number_cites_a_row_or_an_assumption():
    leaves = list(_leaves(to_dict(kzsim.load_config([]).baseline)))
    assert len(leaves) >= 25
    for path, leaf in leaves:
        src = leaf["source"]
        cited = row_ids(src)
        assert cited or src.startswith("assumption"), f"{path}: {src!r}"
        missing = [r for r in cited if r not in ROWS]
        assert not missing, f"{path} cites rows not in the data file: {missing}"


def test_baseline_reproduces_the_cited_2021_levels():
    b = kzsim.load_config([]).baseline
    assert b.exports_usd_bn.rus.value + b.imports_usd_bn.rus.value == 24.5   # A01
    assert b.exports_usd_bn.rus.value == 7.02                                  # B03
    assert abs(b.exports_usd_bn.eu.value + b.imports_usd_bn.eu.value - 39.9 / 1.38) < 0.01  # A19
    assert abs(b.exports_usd_bn.chn.value + b.imports_usd_bn.chn.value - 24.1 / 1.341) < 0.01  # A09
    assert b.oil_share_via_russia.value == 0.94                                # C02
    total_imports = sum(getattr(b.imports_usd_bn, p).value
                        for p in ("rus", "chn", "usa", "eu", "row"))
    assert abs(total_imports - 40.0) < 0.01                                     # A32


def test_sourced_rejects_uncited_numbers():
    from sim.errors import ConfigError
    with pytest.raises(ConfigError):
        Sourced(1.0, "somewhere").validate("x")
    Sourced(1.0, "A01").validate("x")
    Sourced(1.0, "assumption: guess").validate("x")
    Sourced(1.0, "kz_trade_2010_2021.csv (2013, China, exports)").validate("x")
    with pytest.raises(ConfigError):
        Sourced(1.0, "other.csv (2013, China, exports)").validate("x")


EVENT_ROWS = {r["id"] for r in csv.DictReader(
    (Path(__file__).parents[1] / "data" / "events_2025.csv").open())}


def test_every_replay_event_cites_rows_that_exist():
    """Events cite kz_observed.csv ids (``C11``) or events_2025.csv ids (``events_2025/E03``)."""
    from sim.baseline import event_ids

    cfg = kzsim.load_config(["history=events_2022_2025"])
    assert len(cfg.history.events) >= 30
    for e in cfg.history.events:
        rows, events = row_ids(e.source), event_ids(e.source)
        assert rows or events or e.source.startswith(("assumption", "fitted")), e.source
        assert set(rows) <= ROWS, (e.note, rows)
        assert set(events) <= EVENT_ROWS, (e.note, events)
    assert any(event_ids(e.source) for e in cfg.history.events)


# The 2014-2021 spin-up's inputs (sim/spinup.py): kz2013, events_2014_2021, crimea_2014.

DATA = Path(__file__).parents[1] / "data"
CONFIGS = Path(__file__).parents[1] / "configs"


def _data_keys():
    """Every citable key of the other data files (data/README.md's forms)."""
    keys = set()
    for r in csv.DictReader((DATA / "kz_trade_2010_2021.csv").open(encoding="utf-8")):
        key = (r["year"], r["partner"], r["flow"])
        keys.add(("kz_trade_2010_2021.csv", key))
        keys.add(("kz_trade_2010_2021.csv", (*key, f"{float(r['value_usd_bn']):g}")))
    for r in csv.DictReader((DATA / "unga_agreement.csv").open()):
        keys.add(("unga_agreement.csv", (r["year"], r["partner"], r["method"])))
    for r in csv.DictReader((DATA / "unga_ukraine_votes.csv").open()):
        keys.add(("unga_ukraine_votes.csv", (r["resolution"],)))
    return keys


def _check_cited(where, src, data_keys):
    from sim.baseline import data_refs

    cited, refs = row_ids(src), data_refs(src)
    assert cited or refs or src.startswith(("assumption", "derived")), f"{where}: {src!r}"
    if src.startswith("derived"):   # a derivation names what it is derived from
        assert cited or refs or "assumption" in src, f"{where}: {src!r}"
    missing = [r for r in cited if r not in ROWS]
    assert not missing, f"{where} cites rows not in kz_observed.csv: {missing}"
    unknown = [r for r in refs if r not in data_keys]
    assert not unknown, f"{where} cites data rows that do not exist: {unknown}"
    return refs


def test_every_kz2013_number_cites_a_data_row_or_an_assumption():
    keys = _data_keys()
    leaves = list(_leaves(to_dict(kzsim.load_config(["baseline=kz2013"]).baseline)))
    assert len(leaves) >= 25
    refs = [ref for path, leaf in leaves for ref in _check_cited(path, leaf["source"], keys)]
    assert ("kz_trade_2010_2021.csv", ("2013", "China", "exports")) in refs
    assert sum(f == "unga_agreement.csv" for f, _ in refs) == 8   # 2013 and 2021, four partners


def test_kz2013_reproduces_its_cited_2013_rows():
    b = kzsim.load_config(["baseline=kz2013"]).baseline
    assert b.exports_usd_bn.chn.value == 14.334 and b.imports_usd_bn.chn.value == 8.193
    assert b.exports_usd_bn.rus.value + b.imports_usd_bn.rus.value == pytest.approx(23.8)
    assert b.exports_usd_bn.eu.value + b.imports_usd_bn.eu.value == pytest.approx(53.0)
    total = b.exports_usd_bn.array().sum() + b.imports_usd_bn.array().sum()
    assert total > 120.8   # above the 2014 row: the fall began in 2014
    assert b.alignment.array().sum() == pytest.approx(1.0, abs=1e-6)


def test_every_2014_2021_event_cites_a_data_row_or_an_assumption():
    cfg = kzsim.load_config(["history=events_2014_2021"])
    keys = _data_keys()
    kinds = {e.kind for e in cfg.history.events}
    assert {"signal", "trade_shock", "oil_price", "export_price", "gdp_level"} <= kinds
    gdp = [e for e in cfg.history.events if e.kind == "gdp_level"]
    assert sorted(int(e.date[:4]) for e in gdp) == list(range(2014, 2022))   # one a year
    for e in cfg.history.events:
        _check_cited(e.note, e.source, keys)
        if e.source.startswith("assumption"):
            assert "publicly dated" in e.source, e.note   # the public fact is named
    crimea = [e for e in cfg.history.events if e.date == "2014-03" and e.kind == "signal"]
    assert crimea and "A/RES/68/262" in crimea[0].source


def test_every_number_of_the_2014_design_says_assumption():
    text = (CONFIGS / "sanctions" / "crimea_2014.yaml").read_text()
    numeric = [line for line in text.splitlines()
               if re.match(r"^[a-z_]+: *[\"']?[0-9]", line)]
    assert len(numeric) == 9   # the eight numbers and the start
    for line in numeric:
        assert "# assumption" in line, line
    design = kzsim.load_config(["sanctions=crimea_2014"]).sanctions
    status_quo = kzsim.load_config(["sanctions=status_quo_2022"]).sanctions
    assert design.start == "2014-08" and design.intensity < status_quo.intensity / 2
