"""Every number of the 2021 baseline cites a row of data/kz_observed.csv or is an assumption."""

import csv
from pathlib import Path

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
    import pytest

    from sim.errors import ConfigError
    with pytest.raises(ConfigError):
        Sourced(1.0, "somewhere").validate("x")
    Sourced(1.0, "A01").validate("x")
    Sourced(1.0, "assumption: guess").validate("x")


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
