"""How the world resolves a turn: every actor's action goes through the mechanisms M1-M20.

:func:`resolve` is a pure function of (state, actions, context) that returns the next state
and each mechanism's push on alignment. Mechanisms switched off contribute nothing: their
code is not run and every quantity they would change keeps its neutral value.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from sim.blocs import CHN, EU, ROW, RUS, USA, balance_index
from sim.history import Extras
from sim.mechanisms import domestic as dom
from sim.mechanisms import partners as par
from sim.mechanisms import russia as rus_m
from sim.mechanisms import sanctions_costs as sc
from sim.mechanisms.push import push, west
from sim.state import Refs, WorldState
from sim.streams import Stream


@dataclass(frozen=True)
class TurnContext:
    """What a turn needs besides state and actions."""

    turn: int
    months_under: int
    on: Any            # Mechanisms flags
    params: Any        # Params
    refs: Refs
    west_weights: tuple[float, float]
    streams: dict[str, Stream]
    extras: Extras = field(default_factory=Extras)


@dataclass
class TurnResult:
    """The next state, each mechanism's effective push (runs, 4), and the step scale."""

    state: WorldState
    pushes: dict[str, np.ndarray]
    shock: np.ndarray
    step: np.ndarray
    usa_share: np.ndarray


def _split(base, factors):
    """Attribute ``base * prod(factors)`` to the base and each factor in turn (exact sum)."""
    parts, acc = [base], base
    for f in factors:
        parts.append(acc * (f - 1.0))
        acc = acc * f
    return parts


def resolve(s: WorldState, act: dict, ctx: TurnContext) -> TurnResult:
    """Apply every switched-on mechanism to the actions of all actors; return the next state."""
    on, p, r, t = ctx.on, ctx.params, ctx.refs, ctx.turn
    n = s.align.shape[0]
    kaz, rus, chn, usa, eu = act["KAZ"], act["RUS"], act["CHN"], act["USA"], act["EU"]
    pushes: dict[str, np.ndarray] = {}
    growth = np.zeros((n, 5))

    # The West's combined stance.
    wu, we = ctx.west_weights
    su, se = usa.sanctions * wu, eu.sanctions * we
    intensity = np.broadcast_to(su + se, (n,)).astype(float)
    usa_share = np.where(intensity > 0, su / np.maximum(intensity, 1e-12), wu / (wu + we))
    secondary = np.broadcast_to(usa.secondary * wu + eu.secondary * we, (n,)).astype(float)

    def mean(name):
        return (getattr(usa, name) * wu + getattr(eu, name) * we) / (wu + we)

    compensation, licences, clarity = mean("compensation"), mean("licences"), mean("clarity")
    engagement_bn = usa.engagement_bn + eu.engagement_bn
    power = s.capacity if on.M10 else 1.0

    # M3 transshipment and the pressure that reaches Russia; M10 Russia's decline.
    reexports = leakage = income3 = 0.0
    if on.M3:
        m3 = sc.transshipment(s.reexports, intensity, power, kaz.enforcement, secondary, r.gdp,
                              p.M3)
        reexports, leakage, income3 = m3.reexports, m3.leakage, m3.income_bn
        pushes["M3"] = push(n, rus=m3.push_rus)
    pressure = intensity * (1.0 - leakage)
    capacity = s.capacity
    if on.M10:
        capacity, push10 = rus_m.russia_decline(s.capacity, pressure, p.M10)
        pushes["M10"] = push(n, rus=push10)

    # M6 fairness and M4 backfire (M6 also lowers the tolerance M4 uses).
    unfair = 0.0
    if on.M6:
        unfair = sc.unfairness(mean("coalition_consistency"), secondary, p.M6)
        pushes["M6"] = west(n, -p.M6.resentment * unfair, usa_share)
    if on.M4:
        own = sc.backfire(secondary, p.M4.tolerance, p.M4)
        pushes["M4"] = west(n, own, usa_share)
        if on.M6:
            pushes["M6"] += west(n, sc.backfire(secondary, p.M4.tolerance - unfair, p.M4) - own,
                                 usa_share)

    # M1 bystander cost, relieved by M5 calibration and M19 regional coordination.
    relief5 = (sc.calibration_relief(licences, clarity, p.M1.over_compliance, p.M5)
               if on.M5 else 1.0)
    relief19 = sc.regional_relief(kaz.coordination, usa.diplomacy, p.M19) if on.M19 else 1.0
    cost_bn = 0.0
    if on.M1:
        trade_rus = (r.exports0[RUS] + r.imports0[RUS]) * s.level[:, RUS]
        m1 = sc.bystander_cost(intensity, trade_rus, ctx.months_under, relief5 * relief19,
                               compensation, p.M1)
        cost_bn = m1.net
        growth[:, RUS] += m1.trade_growth
        base = sc.resentment_push(m1.unrelieved, compensation, r.gdp, p.M1)
        for mid, part in zip(("M1", "M5", "M19"), _split(base, (relief5, relief19)), strict=True):
            if mid == "M1" or getattr(on, mid):
                pushes[mid] = west(n, part, usa_share)

    # M2 compliance strain and Russian retaliation.
    grievance, loss2 = s.grievance * (1.0 - p.M2.grievance_decay), 0.0
    if on.M2:
        m2 = sc.compliance_strain(s.grievance, kaz.compliance, intensity, rus.retaliation * power,
                                  r.exports0[RUS] + r.imports0[RUS], p.M2)
        grievance, loss2 = m2.grievance, m2.loss_bn
        growth[:, RUS] += m2.trade_growth
        pushes["M2"] = push(n, rus=m2.push_rus)

    # M20 diplomatic signals.
    if on.M20:
        p_rus, p_west, provoked = rus_m.diplomatic_signal(kaz.signal, p.M20)
        grievance = grievance + provoked
        pushes["M20"] = push(n, rus=p_rus, usa=p_west / 2.0, eu=p_west / 2.0)

    # M15 routes (M7 reads this month's oil share), then M7 energy leverage.
    corridor, caspian, oil_share = s.corridor_mt, s.caspian_oil_mt, s.oil_share
    if on.M15:
        corridor, caspian = par.route_diversification(
            s.corridor_mt, s.caspian_oil_mt, engagement_bn * p.M15.funding_share,
            intensity, s.cpc_days, p.M15)
        oil_share = par.oil_share_via_russia(caspian, r.other_bypass_mt, r.oil_exports_mt)
    cpc_days, disrupted = np.zeros(n), 0.0
    if on.M7:
        world, rstream = ctx.streams["world"], ctx.streams["RUS"]
        draws = (rstream.uniform(t, 0), rstream.uniform(t, 1),
                 world.uniform(t, 0), world.uniform(t, 1))
        m7 = rus_m.energy_leverage(rus.cpc_pressure * power, oil_share, r.cpc_fraction, draws,
                                   p.M7)
        cpc_days, disrupted = m7.days, m7.disrupted_share
        parts = _split(rus_m.threat_push(rus.cpc_pressure, r.oil_share0, p.M7),
                       (oil_share / r.oil_share0, power))
        pushes["M7"] = push(n, rus=parts[0] + m7.push_outage)
        _add(pushes, "M15", push(n, rus=parts[1]), on.M15)
        _add(pushes, "M10", push(n, rus=parts[2]), on.M10)

    # Dated outages of a replay (storms, repairs, court orders): exogenous, so not M7's.
    if ctx.extras.outage_days > 0:
        cpc_days = np.minimum(30.0, cpc_days + ctx.extras.outage_days)
        disrupted = disrupted + ctx.extras.outage_days / 30.0 * r.cpc_fraction * oil_share

    # M8 security leverage (scaled by Russia's capacity, M10).
    if on.M8:
        base8, via10 = _split(rus_m.security_leverage(rus.threat, rus.security_offer, p.M8),
                              (power,))
        pushes["M8"] = push(n, rus=base8)
        _add(pushes, "M10", push(n, rus=via10), on.M10)

    # Incentives (M9, M11, M13, M14), amplified or damped by M18 bridge value.
    base_x, base_m = r.exports0 * s.level, r.imports0 * s.level
    base_trade = base_x + base_m
    share = base_trade / base_trade.sum(axis=1, keepdims=True)
    bridge = dom.bridge_value(balance_index(s.align), r.balance0, p.M18) if on.M18 else 1.0
    incentives = []
    if on.M9:
        m9 = rus_m.russian_offers(rus.eaeu_offer, rus.gas_union, share[:, RUS], r.share0[RUS], p.M9)
        offer, via10 = _split(m9.push_offer, (power,))
        incentives.append(push(n, rus=offer + via10))
        pushes["M9"] = push(n, rus=offer + m9.push_ties)
        _add(pushes, "M10", push(n, rus=via10), on.M10)
        growth[:, RUS] += m9.trade_growth * power
    if on.M11:
        m11 = par.china_courtship(chn.trade_push, chn.investment_bn, r.investment_chn,
                                  share[:, CHN], r.share0[CHN], r.gdp, p.M11)
        incentives.append(push(n, chn=m11.push_offer))
        pushes["M11"] = push(n, chn=m11.push_offer + m11.push_ties)
        growth[:, CHN] += m11.trade_growth
    if on.M13:
        m13 = par.us_engagement(usa.engagement_bn, usa.reform_support, usa.conditionality,
                                share[:, USA], r.share0[USA], r.gdp, p.M13)
        incentives.append(push(n, usa=m13.push_offer))
        pushes["M13"] = push(n, usa=m13.push_offer + m13.push_ties)
        growth[:, USA] += m13.trade_growth
    if on.M14:
        m14 = par.eu_partnership(eu.engagement_bn, eu.energy_demand, share[:, EU], r.share0[EU],
                                 r.gdp, p.M14)
        incentives.append(push(n, eu=m14.push_offer))
        pushes["M14"] = push(n, eu=m14.push_offer + m14.push_ties)
        growth[:, EU] += m14.trade_growth
    if on.M18 and incentives:
        pushes["M18"] = sum(incentives) * (bridge - 1.0)[:, None]

    # M12 public discontent with Chinese influence.
    if on.M12:
        pushes["M12"] = push(n, chn=par.china_discontent(s.align[:, CHN], p.M12))

    # Trade flows: growth, noise, re-exports, oil outages.
    world = ctx.streams["world"]
    growth += ctx.extras.growth
    if p.noise.trade > 0:
        for k in range(5):
            growth[:, k] += p.noise.trade * world.normal(t, 20 + k)
    level = np.maximum(0.0, s.level * (1.0 + growth / 12.0))
    exports, imports = r.exports0 * level, r.imports0 * level
    exports[:, RUS] += reexports
    extra = p.M3.import_content * reexports if on.M3 else 0.0
    imports[:, USA] += extra * r.usa_import_split
    imports[:, EU] += extra * (1.0 - r.usa_import_split)
    oil_value = r.oil_value * ctx.extras.oil_price
    oil_loss = oil_value * disrupted
    price_gain = oil_value - r.oil_value
    exports[:, EU] = np.maximum(0.0, exports[:, EU] + (price_gain - oil_loss) * r.oil_value_eu)
    exports[:, ROW] = np.maximum(0.0, exports[:, ROW]
                                 + (price_gain - oil_loss) * (1.0 - r.oil_value_eu))

    # Welfare and M17 stability.
    loss_share = (cost_bn + loss2 + oil_loss - income3) / r.gdp
    loss_share = np.broadcast_to(loss_share, (n,)).astype(float)
    stability = s.stability
    if on.M17:
        m17 = dom.domestic_stability(s.stability, r.stability0, loss_share, rus.security_offer,
                                     p.M17)
        stability = m17.stability
        pushes["M17"] = push(n, rus=m17.push_rus, usa=m17.push_west / 2, eu=m17.push_west / 2)

    # Alignment: Kazakhstan weighs outside pushes, then its doctrine (M16) pulls.
    rho = kaz.responsiveness
    for key in pushes:
        pushes[key] = pushes[key] * rho if np.ndim(rho) == 0 else pushes[key] * rho[:, None]
    if on.M16:
        pushes["M16"] = dom.doctrine_pull(s.align, kaz.target, kaz.doctrine_weight, kaz.lean)
    shock = np.zeros((n, 4))
    if p.noise.alignment > 0:
        for k in range(4):
            shock[:, k] = p.noise.alignment * world.normal(t, 10 + k)
    total = shock + sum(pushes.values()) if pushes else shock
    align, step = _replicator(s.align, total, p.alignment)

    state = WorldState(
        align=align, level=level, exports=exports, imports=imports,
        reexports=np.broadcast_to(reexports, (n,)).astype(float),
        leakage=np.broadcast_to(leakage, (n,)).astype(float), intensity=intensity,
        pressure=pressure, capacity=np.broadcast_to(capacity, (n,)).astype(float),
        west_pressure=secondary, unfairness=np.broadcast_to(unfair, (n,)).astype(float),
        enforcement=np.broadcast_to(kaz.enforcement, (n,)).astype(float),
        compliance=np.broadcast_to(kaz.compliance, (n,)).astype(float),
        signal=np.broadcast_to(kaz.signal, (n,)).astype(float), grievance=grievance,
        corridor_mt=corridor, caspian_oil_mt=caspian, oil_share=oil_share, cpc_days=cpc_days,
        cpc_days_total=s.cpc_days_total + cpc_days, loss_share=loss_share,
        welfare=1.0 - loss_share, stability=stability, last_push=total,
    )
    return TurnResult(state, pushes, shock, step, usa_share)


def _add(pushes: dict, key: str, value: np.ndarray, switched_on: bool) -> None:
    if switched_on:
        pushes[key] = pushes[key] + value if key in pushes else value


def _replicator(align: np.ndarray, total: np.ndarray, p) -> tuple[np.ndarray, np.ndarray]:
    """Replicator step: a_k += s * a_k * (P_k - sum_j a_j P_j).

    s is capped so no share falls by more than ``max_step`` of itself. Stays on the simplex;
    linear in the pushes, so each push's share of the change is exact (see
    :mod:`sim.attribution`).
    """
    mean = (align * total).sum(axis=1, keepdims=True)
    dev = total - mean
    widest = np.abs(dev).max(axis=1)
    step = np.minimum(p.rate, p.max_step / np.maximum(widest, 1e-300))
    new = align + step[:, None] * align * dev
    return new / new.sum(axis=1, keepdims=True), step
