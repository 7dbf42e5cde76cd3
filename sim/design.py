"""The sanctions design: the one lever the runner sweeps, read by the US and EU policies."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np

from sim.articles import ARTICLES
from sim.errors import ConfigError
from sim.schema import spec

_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


def month_index(text: str, where: str) -> int:
    """A 'YYYY-MM' date as a month count (year*12 + month-1); a bad date raises ConfigError."""
    m = _MONTH.match(str(text))
    if not m:
        raise ConfigError(f"{where} must be a month written YYYY-MM, got {text!r}")
    return int(m.group(1)) * 12 + int(m.group(2)) - 1


def month_text(index: int) -> str:
    """Inverse of :func:`month_index`."""
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


@dataclass(frozen=True)
class SanctionsDesign:
    """How the West sanctions Russia and treats Kazakhstan (MODEL.md, "The sanctions design").

    Numbers are in [0, 1] unless said otherwise; a sweep may replace any numeric field by a
    per-run array.
    """

    name: str = field(metadata=spec(doc="the design's name"))
    sources: tuple[str, ...] = field(metadata=spec(doc="article keys the design comes from"))
    intensity: float = field(metadata=spec(0, 1, "", "how hard Russia is hit"))
    secondary_enforcement: float = field(metadata=spec(
        0, 1, "", "probability and weight of penalties on Kazakh firms"))
    compensation: float = field(metadata=spec(0, 1, "",
                                              "share of the bystander cost the West offsets"))
    licences: float = field(metadata=spec(0, 1, "", "share of Kazakh-Russian trade exempted"))
    clarity: float = field(metadata=spec(0, 1, "",
                                         "how well the reach is explained (low: over-compliance)"))
    duration: int = field(metadata=spec(0, 600, "months", "review period; 0 = open-ended"))
    coalition_consistency: float = field(metadata=spec(
        0, 1, "", "whether others' evasion is pressed too (M6)"))
    engagement: float = field(metadata=spec(
        0, 1, "", "investment, credits and corridor funding offered alongside"))
    start: str = field(metadata=spec(doc="first month the regime is in force, YYYY-MM"))

    def validate(self, where: str) -> None:
        """Check the start date and that every cited article exists."""
        month_index(self.start, f"{where}.start")
        unknown = [k for k in self.sources if k not in ARTICLES]
        if unknown:
            raise ConfigError(f"{where}.sources has unknown article key '{unknown[0]}'; "
                              f"valid keys: {', '.join(ARTICLES)}")

    def months_under(self, months_active: int):
        """Months since the last review (M1's accumulating cost); open-ended never resets.

        Works with a per-run array ``duration`` too (sweeps).
        """
        if months_active <= 0:
            return 0
        period = np.maximum(self.duration, 1)
        return np.where(np.asarray(self.duration) <= 0, months_active,
                        (months_active - 1) % period + 1)


NUMERIC_FIELDS = ("intensity", "secondary_enforcement", "compensation", "licences", "clarity",
                  "duration", "coalition_consistency", "engagement")
