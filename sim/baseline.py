"""The 2021 baseline: every number carries its source row of ``data/kz_observed.csv``.

Values and their derivations are in ``configs/baseline/kz2021.yaml`` (and, for the 2014-2021
spin-up, ``kz2013.yaml``); a source is a row id (``A01``), several (``A19 B01``), a row of
another data file by its key (:func:`data_refs`, e.g. ``kz_trade_2010_2021.csv (2013, China,
exports)``), or text starting with ``assumption`` or ``derived``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np

from sim.errors import ConfigError
from sim.schema import spec

_ROW = re.compile(r"^[A-F]\d\d$")
DATA_FILES = ("kz_trade_2010_2021.csv", "unga_agreement.csv", "unga_ukraine_votes.csv")
"""Files of ``data/`` other than ``kz_observed.csv`` a source may cite by row key."""
_DATA_REF = re.compile(r"\b(" + "|".join(re.escape(f) for f in DATA_FILES) + r") \(([^)]*)\)")


@dataclass(frozen=True)
class Sourced:
    """A number and where it comes from."""

    value: float = field(metadata=spec(doc="the number"))
    source: str = field(metadata=spec(doc="row ids, or 'assumption: ...' / 'derived: ...'"))

    def validate(self, where: str) -> None:
        """A source must name rows or say it is an assumption or a derivation."""
        if not self.source.strip():
            raise ConfigError(f"{where}.source is empty; cite a row id or say 'assumption: ...'")
        if self.source.startswith(("assumption", "derived")):
            return
        bad = [t for t in row_ids(self.source) if not _ROW.match(t)]
        if bad or not (row_ids(self.source) or data_refs(self.source)):
            raise ConfigError(f"{where}.source {self.source!r} must be row ids like 'A01 B03', "
                              "a data-file row like 'kz_trade_2010_2021.csv (2013, China, "
                              "exports)', or start with 'assumption' or 'derived'")


def row_ids(source: str) -> list[str]:
    """The row ids of ``kz_observed.csv`` a source cites (also inside a 'derived: ...' text)."""
    return re.findall(r"(?<!events_2025/)\b[A-F]\d\d\b", source)


def data_refs(source: str) -> list[tuple[str, tuple[str, ...]]]:
    """Rows of the other data files a source cites: ``(file, key)`` pairs.

    Keys are as ``data/README.md`` cites them: ``kz_trade_2010_2021.csv (2013, China,
    exports)`` (year, partner, flow; a value may follow when a key has two rows),
    ``unga_agreement.csv (2013, RUS, agree_share)`` (year, partner, method) and
    ``unga_ukraine_votes.csv (A/RES/68/262)`` (the resolution).
    """
    return [(f, tuple(part.strip() for part in key.split(",")))
            for f, key in _DATA_REF.findall(source)]


def event_ids(source: str) -> list[str]:
    """The ids of ``events_2025.csv`` a source cites, written ``events_2025/E03``."""
    return re.findall(r"events_2025/(E\d\d)\b", source)


@dataclass(frozen=True)
class ByPartner:
    """One number per trade partner."""

    rus: Sourced
    chn: Sourced
    usa: Sourced
    eu: Sourced
    row: Sourced

    def array(self) -> np.ndarray:
        """Values in PARTNERS order."""
        return np.array([self.rus.value, self.chn.value, self.usa.value, self.eu.value,
                         self.row.value])


@dataclass(frozen=True)
class ByPower:
    """One number per power."""

    rus: Sourced
    chn: Sourced
    usa: Sourced
    eu: Sourced

    def array(self) -> np.ndarray:
        """Values in POWERS order."""
        return np.array([self.rus.value, self.chn.value, self.usa.value, self.eu.value])


@dataclass(frozen=True)
class Baseline:
    """Kazakhstan in 2021, the model's starting state."""

    exports_usd_bn: ByPartner
    imports_usd_bn: ByPartner
    gdp_usd_bn: Sourced
    oil_exports_mt: Sourced
    oil_export_value_usd_bn: Sourced
    oil_value_share_eu: Sourced
    oil_share_via_russia: Sourced
    cpc_share_of_oil: Sourced
    caspian_oil_mt: Sourced
    middle_corridor_mt: Sourced
    fdi_usd_bn: ByPower
    alignment: ByPower
    stability: Sourced

    def validate(self, where: str) -> None:
        """Alignment on the simplex, shares in [0, 1], flows non-negative."""
        a = self.alignment.array()
        if (a <= 0).any() or abs(a.sum() - 1.0) > 1e-6:
            raise ConfigError(f"{where}.alignment must be positive shares summing to 1, got "
                              f"{a.round(4).tolist()}")
        for name in ("oil_value_share_eu", "oil_share_via_russia", "cpc_share_of_oil", "stability"):
            v = getattr(self, name).value
            if not 0.0 <= v <= 1.0:
                raise ConfigError(f"{where}.{name}.value={v} is out of range; "
                                  "valid range is [0, 1]")
        flows = np.concatenate([self.exports_usd_bn.array(), self.imports_usd_bn.array()])
        if (flows < 0).any():
            raise ConfigError(f"{where}: trade flows must be non-negative")
        for name in ("gdp_usd_bn", "oil_exports_mt", "oil_export_value_usd_bn"):
            if getattr(self, name).value <= 0:
                raise ConfigError(f"{where}.{name}.value must be positive")
        if self.cpc_share_of_oil.value > self.oil_share_via_russia.value:
            raise ConfigError(f"{where}.cpc_share_of_oil cannot exceed oil_share_via_russia")
