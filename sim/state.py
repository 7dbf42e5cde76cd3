"""The world state (arrays with a leading run axis) and the 2021 reference values."""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np

from sim.baseline import Baseline
from sim.blocs import EU, ROW, balance_index


@dataclass(frozen=True)
class Refs:
    """2021 reference values every turn compares against (from the baseline)."""

    exports0: np.ndarray        # (5,) exports by partner
    imports0: np.ndarray        # (5,) imports by partner
    share0: np.ndarray          # (5,) shares of turnover
    import_share0: np.ndarray   # (5,) CES weights of imports
    nonoil_share0: np.ndarray   # (5,) CES weights of non-oil exports
    nonoil_exports0: float
    oil_eu_share0: float        # EU share of oil revenue
    align0: np.ndarray
    balance0: float
    gdp: float
    oil_value: float            # 2021 oil export revenue, USD bn/yr
    oil_exports_mt: float
    oil_routes0: np.ndarray     # (4,) 2021 volumes: CPC, Atyrau-Samara, trans-Caspian, rail
    oil_share0: float
    investment_chn: float
    stability0: float
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
    oil_value = b.oil_export_value_usd_bn.value
    eu_oil = b.oil_value_share_eu.value
    oil_by_partner = np.zeros(5)
    oil_by_partner[EU], oil_by_partner[ROW] = oil_value * eu_oil, oil_value * (1.0 - eu_oil)
    nonoil = x0 - oil_by_partner
    if (nonoil < 0).any():
        from sim.errors import ConfigError
        raise ConfigError("baseline: oil exports to the EU or the rest of the world exceed "
                          "their total exports; check oil_export_value_usd_bn and "
                          "oil_value_share_eu")
    cpc = b.cpc_share_of_oil.value * oil_mt
    routes0 = np.array([cpc, via * oil_mt - cpc, caspian,
                        max(0.0, (1.0 - via) * oil_mt - caspian)])
    return Refs(
        exports0=x0, imports0=m0, share0=turnover / turnover.sum(),
        import_share0=m0 / m0.sum(), nonoil_share0=nonoil / nonoil.sum(),
        nonoil_exports0=float(nonoil.sum()), oil_eu_share0=eu_oil, align0=align0,
        balance0=float(balance_index(align0[None, :])[0]), gdp=b.gdp_usd_bn.value,
        oil_value=oil_value, oil_exports_mt=oil_mt, oil_routes0=routes0, oil_share0=via,
        investment_chn=b.fdi_usd_bn.chn.value, stability0=b.stability.value,
        corridor0=b.middle_corridor_mt.value, caspian0=caspian,
    )


@dataclass
class WorldState:
    """Everything that changes, one row per run. Flows are annualised USD bn/yr."""

    align: np.ndarray           # (runs, 4) alignment shares over RUS, CHN, USA, EU
    exports: np.ndarray         # (runs, 5) Kazakh exports by partner
    imports: np.ndarray         # (runs, 5) Kazakh imports by partner
    tau_imports: np.ndarray     # (runs, 5) import trade costs in use (2021 = 1), M22
    tau_exports: np.ndarray     # (runs, 5) export trade costs in use (2021 = 1), M22
    cost_shock: np.ndarray      # (runs, 5) AR(1) log trade-cost shocks
    gdp: np.ndarray             # GDP, USD bn/yr (M21)
    log_oil_price: np.ndarray   # log oil price, 2021 = 0 (M21), before dated price events
    oil_price: np.ndarray       # oil price relative to 2021, with dated price events
    oil_routes: np.ndarray      # (runs, 4) oil by route, mt/yr: CPC, Atyrau-Samara, Caspian, rail
    oil_lost_mt: np.ndarray     # oil shut in for want of a route, mt/yr
    reexports: np.ndarray       # Kazakh exports of high-priority goods to Russia (with baseline)
    evasion: np.ndarray         # the sanctioned part of them (above the pre-war baseline)
    reexports_west: np.ndarray  # evasion of Western origin
    reexports_chn: np.ndarray   # evasion of Chinese origin
    penalties: np.ndarray       # Western penalties imposed on detected evasion, USD bn/yr
    leakage: np.ndarray         # share of blocked Russian imports that reach Russia anyway
    intensity: np.ndarray       # the West's combined sanctions intensity
    pressure: np.ndarray        # pressure on Russia, share of its 2021 trade
    pressure_usd: np.ndarray    # pressure on Russia, USD bn/yr
    capacity: np.ndarray        # Russia's capacity to coerce and pay (2021 = 1)
    west_pressure: np.ndarray   # Western secondary pressure on Kazakh firms
    felt_pressure: np.ndarray   # demands and penalties actually made (M4)
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
    income: np.ndarray          # real income, USD bn/yr
    loss_usd: np.ndarray        # income lost against the no-sanctions counterfactual, USD bn/yr
    loss_share: np.ndarray      # the same as a share of GDP
    welfare: np.ndarray         # income relative to the no-sanctions path (1 - loss share)
    stability: np.ndarray       # domestic stability in [0, 1]
    last_push: np.ndarray       # (runs, 4) last month's total push


def initial_state(n: int, refs: Refs, baseline_flow=0.0) -> WorldState:
    """The 2021 state for ``n`` runs (``baseline_flow``: pre-war high-priority trade, M3)."""
    zeros = np.zeros(n)

    def full(v):
        return np.full(n, float(v)) if np.ndim(v) == 0 else np.array(v, dtype=float)

    values = dict(
        align=np.tile(refs.align0, (n, 1)),
        exports=np.tile(refs.exports0, (n, 1)), imports=np.tile(refs.imports0, (n, 1)),
        tau_imports=np.ones((n, 5)), tau_exports=np.ones((n, 5)), cost_shock=np.zeros((n, 5)),
        gdp=full(refs.gdp), oil_price=full(1.0), oil_routes=np.tile(refs.oil_routes0, (n, 1)),
        reexports=full(baseline_flow), capacity=full(1.0),
        corridor_mt=full(refs.corridor0), caspian_oil_mt=full(refs.caspian0),
        oil_share=full(refs.oil_share0), income=full(refs.gdp), welfare=full(1.0),
        stability=full(refs.stability0), last_push=np.zeros((n, 4)),
    )
    for f in fields(WorldState):
        values.setdefault(f.name, zeros.copy())
    return WorldState(**values)


def head(state: WorldState, n: int) -> WorldState:
    """The first ``n`` rows of every field of ``state`` (views, not copies)."""
    return WorldState(**{f.name: getattr(state, f.name)[:n] for f in fields(WorldState)})


def first_rows(value, n: int, rows: int):
    """``value[:n]`` for a per-row array (leading axis ``rows``), else ``value`` itself."""
    return value[:n] if isinstance(value, np.ndarray) and value.ndim and (
        value.shape[0] == rows) else value


def rows_after(value, n: int, rows: int):
    """``value[n:]`` for a per-row array (leading axis ``rows``), else ``value`` itself."""
    return value[n:] if isinstance(value, np.ndarray) and value.ndim and (
        value.shape[0] == rows) else value
