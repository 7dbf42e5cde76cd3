"""The world state (arrays with a leading run axis) and the 2021 reference values."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sim.baseline import Baseline
from sim.blocs import EU, USA, balance_index


@dataclass(frozen=True)
class Refs:
    """2021 reference values every turn compares against (from the baseline)."""

    exports0: np.ndarray
    imports0: np.ndarray
    share0: np.ndarray
    align0: np.ndarray
    balance0: float
    gdp: float
    oil_value: float
    oil_value_eu: float
    oil_exports_mt: float
    other_bypass_mt: float
    cpc_fraction: float
    oil_share0: float
    investment_chn: float
    stability0: float
    usa_import_split: float
    corridor0: float
    caspian0: float


def refs_from(b: Baseline) -> Refs:
    """Derive the reference values from a validated baseline."""
    x0, m0 = b.exports_usd_bn.array(), b.imports_usd_bn.array()
    turnover = x0 + m0
    align0 = b.alignment.array()
    via = b.oil_share_via_russia.value
    caspian = b.caspian_oil_mt.value
    oil_mt = b.oil_exports_mt.value
    return Refs(
        exports0=x0, imports0=m0, share0=turnover / turnover.sum(), align0=align0,
        balance0=float(balance_index(align0[None, :])[0]), gdp=b.gdp_usd_bn.value,
        oil_value=b.oil_export_value_usd_bn.value,
        oil_value_eu=b.oil_value_share_eu.value,
        oil_exports_mt=oil_mt, other_bypass_mt=max(0.0, oil_mt * (1.0 - via) - caspian),
        cpc_fraction=b.cpc_share_of_oil.value / via, oil_share0=via,
        investment_chn=b.fdi_usd_bn.chn.value, stability0=b.stability.value,
        usa_import_split=m0[USA] / (m0[USA] + m0[EU]),
        corridor0=b.middle_corridor_mt.value, caspian0=caspian,
    )


@dataclass
class WorldState:
    """Everything that changes, one row per run. Flows are annualised USD bn/yr."""

    align: np.ndarray           # (runs, 4) alignment shares over RUS, CHN, USA, EU
    level: np.ndarray           # (runs, 5) trade level index per partner (2021 = 1)
    exports: np.ndarray         # (runs, 5) Kazakh exports by partner
    imports: np.ndarray         # (runs, 5) Kazakh imports by partner
    reexports: np.ndarray       # sanctioned goods re-exported to Russia
    leakage: np.ndarray         # share of pressure on Russia lost to evasion
    intensity: np.ndarray       # the West's combined sanctions intensity
    pressure: np.ndarray        # effective pressure on Russia this month
    capacity: np.ndarray        # Russia's capacity to coerce and pay (2021 = 1)
    west_pressure: np.ndarray   # Western secondary pressure on Kazakh firms
    unfairness: np.ndarray      # M6 unfairness felt
    enforcement: np.ndarray     # Kazakh anti-evasion effort
    compliance: np.ndarray      # Kazakh compliance with the regime
    signal: np.ndarray          # last Kazakh diplomatic signal (westward > 0)
    grievance: np.ndarray       # Moscow's grievance
    corridor_mt: np.ndarray     # Middle Corridor cargo capacity, mt/yr
    caspian_oil_mt: np.ndarray  # trans-Caspian oil capacity, mt/yr
    oil_share: np.ndarray       # share of oil exports routed through Russia
    cpc_days: np.ndarray        # CPC outage days this month
    cpc_days_total: np.ndarray  # CPC outage days so far
    loss_share: np.ndarray      # income lost this month, share of GDP (annualised)
    welfare: np.ndarray         # income relative to the no-sanctions path (1 - loss)
    stability: np.ndarray       # domestic stability in [0, 1]
    last_push: np.ndarray       # (runs, 4) last month's total push


def initial_state(n: int, refs: Refs) -> WorldState:
    """The 2021 state for ``n`` runs."""
    zeros = np.zeros(n)

    def full(v):
        return np.full(n, float(v))

    return WorldState(
        align=np.tile(refs.align0, (n, 1)), level=np.ones((n, 5)),
        exports=np.tile(refs.exports0, (n, 1)), imports=np.tile(refs.imports0, (n, 1)),
        reexports=zeros.copy(), leakage=zeros.copy(), intensity=zeros.copy(),
        pressure=zeros.copy(), capacity=full(1.0), west_pressure=zeros.copy(),
        unfairness=zeros.copy(), enforcement=zeros.copy(), compliance=zeros.copy(),
        signal=zeros.copy(), grievance=zeros.copy(),
        corridor_mt=full(refs.corridor0), caspian_oil_mt=full(refs.caspian0),
        oil_share=full(refs.oil_share0),
        cpc_days=zeros.copy(), cpc_days_total=zeros.copy(), loss_share=zeros.copy(),
        welfare=full(1.0), stability=full(refs.stability0), last_push=np.zeros((n, 4)),
    )

