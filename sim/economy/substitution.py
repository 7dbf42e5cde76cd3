"""M22 Partner substitution: Kazakh trade shared across partners by CES (Armington) demand.

Imports and non-oil exports are shared by a demand system over effective trade costs.

Armington (1969, *IMF Staff Papers* 16(1)); structural gravity as in Yotov, Piermartini,
Monteiro & Larch (2016), *An Advanced Guide to Trade Policy Analysis*, ch. 1. A partner's
share is ``w_k * tau_k**(-theta) / sum_j w_j * tau_j**(-theta)`` with ``theta = sigma - 1``
the trade elasticity (Head & Mayer 2014, *Handbook of International Economics* 4, ch. 3:
median near 5; Simonovska & Waugh 2014, *JIE* 92: about 4) and the weights ``w_k`` the 2021
shares, so 2021 costs (``tau = 1``) reproduce 2021 trade. Sanctions enter as trade-cost
shocks (Chowdhry, Hinz, Kamin & Wanner 2024, "Brothers in Arms", *Economic Policy*).
Raising one partner's cost moves its share to the others in proportion to theirs: trade
diversion is a consequence, not an input.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np

from sim.schema import FITTED, effect


@dataclass(frozen=True)
class SubstitutionParams:
    """M22 parameters: the elasticity, adjustment speed and the size of each cost channel."""

    trade_elasticity: float = field(metadata=effect(
        0.5, 15.0, "", "theta = sigma - 1, the elasticity of shares to trade costs",
        FITTED + "Head & Mayer 2014 (median ~5); Simonovska & Waugh 2014 (~4)",
        (3.0, 7.0)))
    adjustment: float = field(metadata=effect(
        0.0, 1.0, "1/month", "monthly speed at which trade costs in use move to current costs",
        "assumption: supply relationships take one to two years to re-form", (0.04, 0.15)))
    redirection: float = field(metadata=effect(
        0.0, 1.0, "", "share of Kazakh exports lost in one market that find another",
        "assumption: commodity exports redirect easily, manufactures less", (0.5, 0.9)))
    western_derisking: float = field(metadata=effect(
        0.0, 1.0, "", "ad-valorem cost of Western trade per unit felt Western pressure with an "
        "unclear reach (clarity 0)",
        "assumption: over-compliance by Western suppliers (burkewhite2022_hill)", (0.02, 0.15)))
    noise: float = field(metadata=effect(
        0.0, 0.5, "1/sqrt(month)", "monthly s.d. of each partner's log trade-cost shock",
        "assumption: the spread of monthly bilateral trade around its trend", (0.01, 0.04)))
    noise_persistence: float = field(metadata=effect(
        0.0, 0.999, "", "monthly persistence of trade-cost shocks (AR(1))",
        "assumption", (0.8, 0.95)))


def per_partner(x):
    """A scalar or a per-run (runs,) value, shaped to broadcast over (runs, 5) arrays."""
    return x[:, None] if np.ndim(x) == 1 else x


def ces_shares(weights, tau, theta):
    """CES (Armington) shares ``w * tau**-theta / sum``; rows sum to exactly one."""
    from sim import kernels
    x = np.ascontiguousarray(tau ** (-per_partner(theta)))
    total = np.empty(x.shape[0])
    kernels.ces_normalise(x, np.asarray(weights, dtype=float).reshape(-1, x.shape[1]), total)
    return x, total


def cost_index(cost, shock, growth=None):
    """Effective trade costs (runs, 5) from summed ad-valorem channels and log shocks.

    ``growth`` is ``exp(shock)`` when the caller already has it (imports and exports share
    their shocks).
    """
    out = np.add(1.0, cost)
    np.maximum(out, 0.05, out=out)
    out *= np.exp(shock) if growth is None else growth
    return out


def adjust(tau_used, tau_now, p: SubstitutionParams):
    """Partial adjustment of the costs trade actually responds to (relationships re-form)."""
    out = np.subtract(tau_now, tau_used)
    out *= per_partner(p.adjustment)
    out += tau_used
    return out


class Allocation(NamedTuple):
    """Imports and non-oil exports by partner (runs, 5) and the two welfare terms (runs,)."""

    imports: np.ndarray
    exports: np.ndarray
    import_price_loss: np.ndarray
    export_access_loss: np.ndarray


def allocate(import_spend, nonoil_exports, tau_m, tau_x, shares_m0, shares_x0,
             p: SubstitutionParams) -> Allocation:
    """M22 Partner substitution: share import spending and non-oil exports across partners.

    The import price index ``P = (sum_k s0_k tau_k**-theta)**(-1/theta)`` measures what the
    same basket costs; the real income lost on imports is ``spend * (1 - 1/P)`` (the ACR
    welfare formula; Arkolakis, Costinot & Rodriguez-Clare 2012, *AER* 102(1)). Exports lose
    ``1 - redirection`` of the market access they lose.
    """
    theta = p.trade_elasticity
    s_m, sum_m = ces_shares(shares_m0, tau_m, theta)
    s_x, sum_x = ces_shares(shares_x0, tau_x, theta)
    price = sum_m ** (-1.0 / theta)
    access = sum_x ** (1.0 - p.redirection)
    exports_total = nonoil_exports * access
    return Allocation(
        imports=s_m * import_spend[:, None],
        exports=s_x * exports_total[:, None],
        import_price_loss=import_spend * (1.0 - 1.0 / price),
        export_access_loss=nonoil_exports - exports_total,
    )


def apply_m22_costs(f) -> None:
    """M22's own channels (stage ``costs``): Western suppliers' de-risking, dated tariffs.

    Western suppliers de-risk in proportion to the pressure the West actually applies (felt
    pressure, ``sim.stages.politics``) where the reach is unclear: with nothing sanctioned
    there is nothing to fear.
    """
    derisk = f.p.M22.western_derisking * f.felt * (1.0 - f.clarity)
    for k in (2, 3):
        f.add_cost(k, derisk)
    f.cost_x[:, 2] += f.usa.tariff   # dated US tariffs (history: us_tariff)
    f.cost_m += f.ctx.extras.trade_cost
    f.cost_x += f.ctx.extras.trade_cost


def apply_m22(f) -> None:
    """M22 (stage ``trade``): cost shocks, then the costs in use move toward today's costs."""
    p = f.p.M22
    world = f.ctx.streams["world"]
    shock = f.s.cost_shock * per_partner(p.noise_persistence)
    if np.any(p.noise > 0):
        noise = world.normals(f.t, 20, 5)
        noise *= per_partner(p.noise)
        shock += noise
    f.cost_shock = shock
    growth = np.exp(shock)
    f.tau_m = costs_in_use(f.cost_m, growth, f.s.tau_imports, p)
    f.tau_x = costs_in_use(f.cost_x, growth, f.s.tau_exports, p)


def costs_in_use(cost, growth, tau_used, p: SubstitutionParams):
    """``adjust(tau_used, cost_index(cost, shock, growth), p)`` in one compiled pass.

    The same operations in the same order (``sim.kernels.adjusted_costs``).
    """
    from sim import kernels
    shape = np.shape(growth)
    return kernels.adjusted_costs(kernels.contiguous(cost, shape),
                                  kernels.contiguous(growth, shape),
                                  kernels.contiguous(tau_used, shape),
                                  kernels.run_param(p.adjustment), np.empty(shape))
