"""M23 Oil routes and disruptions: export routes with capacities, outages by source, carve-outs.

MODEL_V2.md ("Oil and routes"): routes CPC, Atyrau-Samara, trans-Caspian (BTC) and rail with
capacities; disruptions by source (Russia's political choice, technical outages, third-party
strikes as dated events); carve-outs such as OFAC General License 121 for CPC keep flows going.
Rows: C01 (CPC 81% of 64 mt), C02 (94% via Russian routes), C04 (CPC 52.2 mt from Kazakhstan),
C07 (0.25 mt to BTC), C08 (BTC target 6-6.5 mt/yr); events_2025 (drone strikes, GL 121).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np

from sim.schema import effect

ROUTES = ("cpc", "atyrau_samara", "caspian", "rail")


@dataclass(frozen=True)
class OilRouteParams:
    """M23 parameters: route capacities and the sanctions discount a carve-out removes."""

    cpc_capacity_mt: float = field(metadata=effect(
        1.0, 100.0, "mt/yr", "CPC capacity available to Kazakh shippers",
        "assumption: C04 52.2 mt shipped in 2022 (with outages) of 58.7 total", (52.0, 58.0)))
    atyrau_samara_capacity_mt: float = field(metadata=effect(
        0.0, 50.0, "mt/yr", "Atyrau-Samara pipeline capacity",
        "assumption: above the ~8 mt implied by C01 and C02", (10.0, 17.0)))
    rail_capacity_mt: float = field(metadata=effect(
        0.0, 20.0, "mt/yr", "rail and other non-Russian outlets (besides trans-Caspian)",
        "assumption: about the 2021 volume implied by C02 and C07", (3.4, 4.5)))
    sanctions_discount: float = field(metadata=effect(
        0.0, 0.5, "", "price discount on CPC crude per unit intensity without a carve-out",
        "assumption: buyers shun a Russian terminal (events_2025: GL 121 keeps CPC going)",
        (0.02, 0.1)))


class OilFlows(NamedTuple):
    """Oil routed this month: volumes by route (runs, 4) in mt/yr, lost volume, revenue."""

    routes: np.ndarray
    lost_mt: np.ndarray
    share_via_russia: np.ndarray
    revenue: np.ndarray
    potential_revenue: np.ndarray


def route_oil(volume_mt, price, value_per_mt, caspian_mt, cpc_down, intensity, licences,
              p: OilRouteParams, cpc_preference: float = 1.0) -> OilFlows:
    """M23 Oil routes: bypass routes first, then the Russian routes; the rest is shut in.

    Of what the bypass routes cannot take, the CPC takes its usual share (``cpc_preference``,
    2021's) as far as it is up and Atyrau-Samara the remainder up to its capacity; the CPC
    then takes what Atyrau-Samara cannot.

    ``cpc_down`` is the share of CPC capacity out this month (outages of every source);
    ``value_per_mt`` the 2021 revenue per tonne (USD bn per mt) and ``price`` the oil price
    relative to 2021. Sanctions discount crude leaving through the CPC unless a carve-out
    (``licences``) covers it.
    """
    n = np.shape(cpc_down)[0]
    routes = np.empty((n, 4))
    rest = np.broadcast_to(volume_mt, (n,)).astype(float)
    caspian = np.minimum(caspian_mt, rest)
    rest = rest - caspian
    rail = np.minimum(p.rail_capacity_mt, rest)
    rest = rest - rail
    cpc_up = p.cpc_capacity_mt * (1.0 - cpc_down)
    samara = np.minimum(p.atyrau_samara_capacity_mt,
                        rest - np.minimum(cpc_up, rest * cpc_preference))
    cpc = np.minimum(cpc_up, rest - samara)
    rest = rest - cpc
    routes[:, 0], routes[:, 1], routes[:, 2], routes[:, 3] = cpc, samara, caspian, rail
    delivered = cpc + samara + caspian + rail
    discount = p.sanctions_discount * intensity * (1.0 - licences)
    unit = price * value_per_mt
    return OilFlows(
        routes=routes,
        lost_mt=rest - samara,
        share_via_russia=(cpc + samara) / np.maximum(delivered, 1e-12),
        revenue=unit * (delivered - discount * cpc),
        potential_revenue=unit * volume_mt,
    )


def apply_m23(f) -> None:
    """M23 (stage ``oil``): routing with capacities and the sanctions discount."""
    r = f.r
    o = route_oil(f.oil_volume, f.price, r.oil_value / r.oil_exports_mt, f.caspian, f.cpc_down,
                  f.intensity, f.licences, f.p.M23,
                  r.oil_routes0[0] / (r.oil_routes0[0] + r.oil_routes0[1]))
    f.oil_routes, f.oil_lost, f.oil_share = o.routes, o.lost_mt, o.share_via_russia
    f.oil_revenue, f.oil_potential = o.revenue, o.potential_revenue
