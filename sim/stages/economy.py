"""Stages 2, 3 and 5-8: the economy.

Macro frame, Russia's side, oil, trade costs, trade and income. Accounting lives here;
mechanisms run at the hooks named in ``f.run``.
"""

from __future__ import annotations

import numpy as np

from sim.blocs import CHN, EU, ROW, RUS, USA
from sim.economy.income import real_income
from sim.economy.russia_trade import blocked_imports, pressure_on_russia
from sim.economy.substitution import allocate, per_partner


def macro(f) -> None:
    """GDP, oil price and oil volume: 2021 levels unless M21 moves them."""
    f.years = f.t / 12.0
    f.gdp = f.vector(f.r.gdp)
    f.log_price = f.s.log_oil_price
    f.oil_volume = f.vector(f.r.oil_exports_mt)
    f.run("macro")
    level = f.ctx.extras.gdp_level
    if level is not None:   # a dated USD GDP level (spin-up years) replaces the trend
        f.gdp = f.r.gdp * level
    f.gdp, f.oil_volume = f.vector(f.gdp), f.vector(f.oil_volume)
    f.price = np.exp(f.log_price) * f.ctx.extras.oil_price


def russia(f) -> None:
    """What sanctions block, what leaks (M3, M24), the pressure that results, M10."""
    rt = f.p.russia
    f.blocked = blocked_imports(f.intensity, rt)
    zeros = np.zeros(f.n)
    f.flow, f.evasion, f.deterred, f.displaced = f.s.reexports, zeros, zeros, zeros
    f.margin, f.penalties = zeros, zeros
    f.run("evasion")
    f.pressure = pressure_on_russia(f.blocked, f.evasion, f.displaced, f.intensity,
                                    f.licences, rt)
    f.capacity = f.s.capacity
    f.run("decline")


def oil(f) -> None:
    """Route capacities and outages (M15, M7, dated events), then routing (M23).

    With M23 off, oil keeps its 2021 routes, the CPC's share cut by its outages.
    """
    f.corridor, f.caspian = f.s.corridor_mt, f.s.caspian_oil_mt
    f.cpc_days, f.cpc_down = np.zeros(f.n), np.zeros(f.n)
    f.run("routes")
    extra = f.ctx.extras.outage_days
    if extra > 0:   # dated outages and third-party strikes: as severe as M7's outages
        f.cpc_days = np.minimum(30.0, f.cpc_days + extra)
        f.cpc_down = np.minimum(1.0, f.cpc_down + extra / 30.0 * f.p.M7.severity)
    if f.on.M23:   # M23 routes the oil itself: the fixed routing below would be overwritten
        f.run("oil")
        return
    r = f.r
    unit = r.oil_value / r.oil_exports_mt
    scale = f.oil_volume / r.oil_exports_mt
    routes = r.oil_routes0[None, :] * scale[:, None]
    lost = routes[:, 0] * f.cpc_down
    routes[:, 0] -= lost
    delivered = f.oil_volume - lost
    f.oil_routes, f.oil_lost = routes, lost
    f.oil_share = (routes[:, 0] + routes[:, 1]) / np.maximum(delivered, 1e-12)
    f.oil_revenue = f.price * unit * delivered
    f.oil_potential = f.price * unit * f.oil_volume


def costs(f) -> None:
    """Every channel adds its ad-valorem trade cost by partner (2021 = 0)."""
    f.cost_m, f.cost_x = np.zeros((f.n, 5)), np.zeros((f.n, 5))
    f.eu_oil_shift = 0.0
    f.run("costs")


def trade(f) -> None:
    """Shares by substitution (M22), import spending, re-exports by origin, oil by buyer."""
    r, inc = f.r, f.p.income
    f.tau_m, f.tau_x, f.cost_shock = f.s.tau_imports, f.s.tau_exports, f.s.cost_shock
    f.run("trade")
    growth = f.gdp / r.gdp
    spend = (r.imports0.sum() * growth
             + inc.import_windfall * (f.oil_revenue - r.oil_value * growth))
    demand = f.ctx.extras.import_demand
    if np.ndim(demand) or demand != 1.0:   # a dated devaluation (spin-up events)
        spend = spend * demand
    nonoil = r.nonoil_exports0 * growth * f.ctx.extras.export_price
    f.alloc = allocate(np.maximum(spend, 0.0), nonoil, f.tau_m, f.tau_x,
                       r.import_share0, r.nonoil_share0, f.p.M22)
    imports, exports = f.alloc.imports.copy(), f.alloc.exports.copy()
    west_split = r.imports0[USA] / (r.imports0[USA] + r.imports0[EU])
    f.reexports_west = f.evasion * f.p.M3.western_origin if f.on.M3 else f.evasion
    f.reexports_chn = f.evasion - f.reexports_west
    imports[:, USA] += f.reexports_west * west_split
    imports[:, EU] += f.reexports_west * (1.0 - west_split)
    imports[:, CHN] += f.reexports_chn
    eu_oil = np.clip(r.oil_eu_share0 + f.eu_oil_shift, 0.0, 1.0)
    add_evasion_and_oil(exports, f.evasion, f.oil_revenue, eu_oil)
    f.imports, f.exports = imports, exports
    f.turnover_volume = turnover_at_base_prices(f, imports, eu_oil)


def add_evasion_and_oil(exports, evasion, oil, eu_oil) -> None:
    """Add re-exports to Russia and oil sold to the EU and the rest of the world, in place."""
    exports[:, RUS] += evasion
    exports[:, EU] += oil * eu_oil
    exports[:, ROW] += oil * (1.0 - eu_oil)


def turnover_at_base_prices(f, imports, eu_oil):
    """Turnover by partner (runs, 5) with oil and non-oil exports at the baseline's prices.

    What the trade ties of M9, M11, M13 and M14 read (``sim.stages.politics.incentives``):
    ties are trading relationships, so a swing in the oil or metals price, which changes the
    value of the same flows, does not move them (assumption; without it the 2014-2016 oil
    price fall, by shrinking the value of oil sold to the EU, raised China's share and pulled
    the spin-up toward China while Kazakhstan's UN agreement with China fell: EVIDENCE_PLAN,
    "M25 and ties at base prices").
    """
    out = imports + f.alloc.exports / per_partner(f.ctx.extras.export_price)
    add_evasion_and_oil(out, f.evasion, f.oil_revenue / np.maximum(f.price, 1e-9), eu_oil)
    return out


def income(f) -> None:
    """Real income, the loss against the paired no-sanctions run, and M1's resentment."""
    received = f.compensation * f.s.loss_usd
    f.compensation_paid = received
    f.income = real_income(f.gdp, f.alloc.import_price_loss, f.alloc.export_access_loss,
                           f.oil_potential - f.oil_revenue, f.margin, f.penalties, received,
                           f.p.income)
    f.loss_usd = np.zeros(f.n)
    if f.ctx.counterfactual is not None:   # runs first, then their counterfactuals' rows
        pairs = f.ctx.counterfactual
        f.loss_usd[:pairs.shape[0]] = f.income[pairs] - f.income[:pairs.shape[0]]
    f.loss_share = f.loss_usd / f.gdp
    f.run("income")
