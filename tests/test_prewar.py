"""The observed pre-war statistics are the rows of the data files they cite."""

import csv
from pathlib import Path

import pytest

from sim.observation import OBSERVED, PARTNERS
from sim.prewar import AGREEMENT, TRADE, observed_prewar

DATA = Path(__file__).resolve().parents[1] / "data"


def _trade_rows():
    return list(csv.DictReader((DATA / "kz_trade_2010_2021.csv").open(encoding="utf-8")))


def test_every_trade_point_is_a_row_of_kz_trade_2010_2021():
    rows = _trade_rows()
    for p in TRADE:
        match = [r for r in rows if (int(r["year"]), r["partner"], r["flow"]) ==
                 (p.year, p.partner, p.flow) and float(r["value_usd_bn"]) == p.value]
        assert len(match) == 1, p
        side = "partner" if match[0]["data_side"] == "partner" else "kazakh"
        assert p.side == side, p
        assert (p.bound == "lower") == ("LOWER BOUND" in match[0]["note"]), p


def test_every_2014_2021_trade_row_is_a_point():
    rows = [r for r in _trade_rows() if 2014 <= int(r["year"]) <= 2021]
    assert len(rows) == len(TRADE) == 16
    totals = {p.year: p.value for p in TRADE if p.quantity == "trade_usd_bn.TOTAL"}
    assert totals == {2014: 120.8, 2015: 75.9}


def test_agreement_constants_are_the_agree_share_rows():
    rows = {(int(r["year"]), r["partner"]): float(r["agreement"])
            for r in csv.DictReader((DATA / "unga_agreement.csv").open())
            if r["method"] == "agree_share"}
    assert sorted(AGREEMENT) == list(range(2013, 2022))
    for year, values in AGREEMENT.items():
        assert values == tuple(rows[(year, p)] for p in PARTNERS), year
    assert AGREEMENT[2021] == OBSERVED[2021]


def test_observed_prewar_lists_trade_and_agreement_of_the_years_asked():
    table = observed_prewar()
    assert set(table.year) == set(range(2014, 2022))
    agreement = table[table.side == "un"]
    assert len(agreement) == 8 * 4
    assert agreement.set_index(["quantity", "year"]).loc[("unga_agreement.RUS", 2015),
                                                         "observed"] == pytest.approx(0.6154)
    kazakh = observed_prewar(range(2014, 2016), sides=("kazakh",))
    assert list(kazakh.quantity[:2]) == ["trade_usd_bn.TOTAL"] * 2
    assert "partner" not in set(kazakh.side)
    assert table.source.str.contains(r"\.csv \(").all()
