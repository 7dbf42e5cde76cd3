"""Observed pre-war statistics (2013-2021) a multi-year fit can score the spin-up against.

Constants citing their rows (the model reads no file at run time; ``tests/test_prewar.py``
checks every value against ``data/kz_trade_2010_2021.csv`` and ``data/unga_agreement.csv``):

- **Trade** (:data:`TRADE`): the sparse rows of ``kz_trade_2010_2021.csv`` for 2014-2021, one
  :class:`Point` each, named as the spin-up's yearly quantities (:func:`sim.spinup.spinup`):
  ``trade_usd_bn.TOTAL`` (turnover), ``trade_usd_bn.<P>``, ``exports_usd_bn.<P>``,
  ``imports_usd_bn.<P>``. ``side`` says whether a figure is Kazakh (``kazakh``, the default
  of data/README.md, including the file's ``kazakh_or_unspecified``) or the partner's
  (``partner``); ``bound`` is ``point``, or ``lower`` where the source says "more than" (EU
  2016, which is also EU-28, with the UK, unlike the model's EU). The 2013 rows built the
  2013 baseline (``configs/baseline/kz2013.yaml``) and are not statistics. Where a key has
  two Kazakh figures (China 2021: 17 and 18) both are listed.
- **UN vote agreement** (:data:`AGREEMENT`): ``agree_share`` by year 2013-2021 for RUS, CHN,
  USA and EU (rows ``(year, partner, agree_share)`` of ``unga_agreement.csv``), in
  :data:`sim.observation.PARTNERS` order. 2013 anchors the spin-up's vote intercepts; 2021
  equals :data:`sim.observation.OBSERVED`'s.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from sim.observation import OBSERVED, PARTNERS

TRADE_FILE = "kz_trade_2010_2021.csv"
AGREEMENT_FILE = "unga_agreement.csv"


@dataclass(frozen=True)
class Point:
    """One observed yearly value and the data row it is."""

    quantity: str
    year: int
    value: float
    partner: str       # the row's partner, as the file spells it
    flow: str          # the row's flow
    side: str = "kazakh"
    bound: str = "point"

    @property
    def source(self) -> str:
        """The row's citation key (data/README.md)."""
        return f"{TRADE_FILE} ({self.year}, {self.partner}, {self.flow}, {self.value:g})"


TRADE: tuple[Point, ...] = (
    Point("trade_usd_bn.TOTAL", 2014, 120.8, "Total", "turnover"),
    Point("trade_usd_bn.TOTAL", 2015, 75.9, "Total", "turnover"),
    Point("trade_usd_bn.RUS", 2017, 16.0, "Russia", "turnover"),
    Point("trade_usd_bn.RUS", 2018, 17.6, "Russia", "turnover"),
    Point("trade_usd_bn.RUS", 2018, 18.2, "Russia", "turnover", side="partner"),
    Point("trade_usd_bn.RUS", 2021, 24.5, "Russia", "turnover"),
    Point("trade_usd_bn.CHN", 2018, 12.0, "China", "turnover"),
    Point("trade_usd_bn.CHN", 2021, 17.0, "China", "turnover"),
    Point("trade_usd_bn.CHN", 2021, 18.0, "China", "turnover"),
    Point("trade_usd_bn.EU", 2016, 24.0, "EU", "turnover", bound="lower"),
    Point("trade_usd_bn.USA", 2016, 1.9, "United States", "turnover", side="partner"),
    Point("exports_usd_bn.USA", 2017, 0.3546, "United States", "exports"),
    Point("imports_usd_bn.USA", 2017, 1.164, "United States", "imports"),
    Point("trade_usd_bn.USA", 2017, 1.518, "United States", "turnover"),
    Point("trade_usd_bn.USA", 2018, 2.24, "United States", "turnover"),
    Point("trade_usd_bn.USA", 2021, 2.5, "United States", "turnover", side="partner"),
)
"""The 2014-2021 rows of ``kz_trade_2010_2021.csv``, as spin-up quantities."""

AGREEMENT: dict[int, tuple[float, float, float, float]] = {
    2013: (0.6833, 0.8667, 0.1667, 0.5676),
    2014: (0.6711, 0.8553, 0.2208, 0.6013),
    2015: (0.6154, 0.7922, 0.1923, 0.5149),
    2016: (0.5810, 0.7523, 0.3945, 0.6323),
    2017: (0.6080, 0.7236, 0.2160, 0.5668),
    2018: (0.6702, 0.7935, 0.1489, 0.6169),
    2019: (0.6744, 0.8182, 0.1444, 0.5252),
    2020: (0.6809, 0.7935, 0.1489, 0.6221),
    2021: OBSERVED[2021],
}
"""Observed ``agree_share`` by year, ``PARTNERS`` order: rows ``(year, partner, agree_share)``
of ``unga_agreement.csv``."""


def observed_prewar(years=range(2014, 2022), sides=("kazakh", "partner")) -> pd.DataFrame:
    """``quantity, year, observed, bound, side, source`` of every pre-war statistic in ``years``.

    Trade points of the given ``sides`` (Kazakh figures only: ``sides=("kazakh",)``), then the
    UN agreement per partner and year (``unga_agreement.<P>``, side ``un``).
    """
    years = set(years)
    rows = [{"quantity": p.quantity, "year": p.year, "observed": p.value, "bound": p.bound,
             "side": p.side, "source": p.source}
            for p in TRADE if p.year in years and p.side in sides]
    rows += [{"quantity": f"unga_agreement.{p}", "year": y, "observed": AGREEMENT[y][k],
              "bound": "point", "side": "un",
              "source": f"{AGREEMENT_FILE} ({y}, {p}, agree_share)"}
             for y in sorted(AGREEMENT) if y in years for k, p in enumerate(PARTNERS)]
    return pd.DataFrame(rows)


__all__ = ["AGREEMENT", "TRADE", "Point", "observed_prewar"]
