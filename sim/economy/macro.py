"""M21 Macro frame: Kazakhstan's GDP, its oil output and the oil price as bounded processes.

MODEL_V2.md ("An economy with substitution"): GDP, total trade, oil output and the oil price
are dated inputs or bounded processes, so no flow grows without bound relative to the economy.
GDP grows at a stated nominal trend; total non-oil trade is a share of GDP; the oil price
reverts to a scenario level (an Ornstein-Uhlenbeck process on its logarithm, e.g. Schwartz
1997, *Journal of Finance* 52(3), one-factor model); dated events of a replay multiply it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np

from sim.schema import effect


@dataclass(frozen=True)
class MacroParams:
    """M21 parameters; the 2021 levels are in the baseline (``configs/baseline``)."""

    gdp_growth: float = field(metadata=effect(
        -0.1, 0.2, "1/yr", "nominal USD growth of GDP after 2021",
        "assumption: 2010-2021 USD GDP growth averaged a few percent a year", (0.0, 0.06)))
    oil_price_level: float = field(metadata=effect(
        0.2, 3.0, "x 2021", "long-run oil price the scenario reverts to (2021 = 1)",
        "assumption: scenario, not a forecast", (0.7, 1.4)))
    oil_price_reversion: float = field(metadata=effect(
        0.0, 1.0, "1/month", "monthly reversion of the log oil price to its level",
        "assumption: half-lives of 1-3 years (Schwartz 1997)", (0.02, 0.06)))
    oil_price_volatility: float = field(metadata=effect(
        0.0, 0.5, "1/sqrt(month)", "monthly s.d. of log oil price shocks",
        "assumption: Brent's monthly log-return s.d. is roughly 0.08-0.10", (0.05, 0.1)))
    oil_output_growth: float = field(metadata=effect(
        -0.1, 0.1, "1/yr", "growth of oil export volume",
        "assumption: Tengiz expansion vs OPEC+ quotas", (-0.01, 0.03)))


class Macro(NamedTuple):
    """One month's frame: GDP (USD bn/yr), log oil price (2021 = 0), oil volume (mt/yr)."""

    gdp: np.ndarray
    log_oil_price: np.ndarray
    oil_volume_mt: np.ndarray


def macro_frame(years, log_oil_price, shock, gdp0, oil_volume0, p: MacroParams) -> Macro:
    """M21 Macro frame: one month of GDP, oil price and oil volume.

    ``years`` since 2021-12; ``log_oil_price`` last month's; ``shock`` a standard normal draw.
    GDP and the oil volume follow their stated trends; the log oil price reverts to
    ``log(oil_price_level)``, so it is bounded in distribution.
    """
    target = np.log(p.oil_price_level)
    log_price = (log_oil_price + p.oil_price_reversion * (target - log_oil_price)
                 + p.oil_price_volatility * shock)
    return Macro(
        gdp=gdp0 * (1.0 + p.gdp_growth) ** years,
        log_oil_price=log_price,
        oil_volume_mt=oil_volume0 * (1.0 + p.oil_output_growth) ** years,
    )


def apply_m21(f) -> None:
    """M21 (stage ``macro``)."""
    shock = f.ctx.streams["world"].normal(f.t, 30)
    f.gdp, f.log_price, f.oil_volume = macro_frame(f.years, f.s.log_oil_price, shock, f.r.gdp,
                                                   f.r.oil_exports_mt, f.p.M21)
