"""China's, the US's and the EU's pulls, and route diversification: M11-M15.

Pure functions over run-axis arrays; parameter values are assumptions in
``configs/params/default.yaml`` (direction from the cited article).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from sim.mechanisms.russia import Offers
from sim.schema import spec


@dataclass(frozen=True)
class ChinaParams:
    """M11 parameters (burkewhite2022_hill, pirbudagyan2022_isd, bokhari2022_wt)."""

    trade_growth: float = field(metadata=spec(
        0, 1, "1/yr", "Kazakh-Chinese trade growth at full courtship (14.9%/yr over 25 years)"))
    investment_pull: float = field(metadata=spec(
        0, 50, "", "push toward China per unit investment above 2021 / GDP"))
    ties: float = field(metadata=spec(0, 10, "",
                                      "push per unit change of China's trade share since 2021"))


def china_courtship(trade_push, investment_bn, investment_ref, trade_share, trade_share0, gdp,
                    p: ChinaParams):
    """M11 China's economic courtship: trade growth and Belt and Road investment.

    burkewhite2022_hill: trade grew "14.9 percent" a year for 25 years, the BRI adds "over $25
    billion"; pirbudagyan2022_isd: "55 major projects"; bokhari2022_wt: "China trying to fill
    the vacuum". Investment above its 2021 level and a rising trade share pull toward China.
    """
    return Offers(
        push_offer=p.investment_pull * (investment_bn - investment_ref) / gdp,
        push_ties=p.ties * (trade_share - trade_share0),
        trade_growth=p.trade_growth * trade_push,
    )


@dataclass(frozen=True)
class DiscontentParams:
    """M12 parameters (pirbudagyan2022_isd)."""

    threshold: float = field(metadata=spec(
        0, 1, "", "alignment share with China above which discontent grows"))
    strength: float = field(metadata=spec(
        0, 10, "", "push away from China per unit share above the threshold"))


def china_discontent(align_chn, p: DiscontentParams):
    """M12 Public discontent with Chinese influence: leaning toward China costs at home.

    pirbudagyan2022_isd: "growing public discontent with China's influence in the country".
    Returns the (non-positive) push on China.
    """
    return -p.strength * np.maximum(0.0, align_chn - p.threshold)


@dataclass(frozen=True)
class USEngagementParams:
    """M13 parameters (burkewhite2022_hill, pirbudagyan2022_isd)."""

    engagement_pull: float = field(metadata=spec(0, 50, "",
                                                 "push toward the US per unit engagement/GDP"))
    support_pull: float = field(metadata=spec(0, 5, "",
                                              "push toward the US per unit reform support"))
    imposition_repel: float = field(metadata=spec(
        0, 5, "", "push away from the US per unit conditionality above 2021"))
    conditionality_ref: float = field(metadata=spec(0, 1, "",
                                                    "the 2021 level of US conditionality"))
    trade_growth: float = field(metadata=spec(0, 1, "1/yr",
                                              "US trade growth per USD bn/yr of engagement"))
    ties: float = field(metadata=spec(0, 10, "",
                                      "push per unit change of the US trade share since 2021"))


def us_engagement(engagement_bn, reform_support, conditionality, trade_share, trade_share0, gdp,
                  p: USEngagementParams):
    """M13 US engagement: FDI, export credits, diplomacy.

    Supporting reform attracts, imposing repels. burkewhite2022_hill: the US share of FDI,
    "paltry" EX-IM support, "supporting — not imposing — democracy"; pirbudagyan2022_isd:
    "U.S. aid ... declining for the past decade".
    """
    return Offers(
        push_offer=(p.engagement_pull * engagement_bn / gdp + p.support_pull * reform_support
                    - p.imposition_repel * (conditionality - p.conditionality_ref)),
        push_ties=p.ties * (trade_share - trade_share0),
        trade_growth=p.trade_growth * engagement_bn,
    )


@dataclass(frozen=True)
class EUPartnershipParams:
    """M14 parameters (burkewhite2022_hill, crossfire_2023)."""

    engagement_pull: float = field(metadata=spec(0, 50, "",
                                                 "push toward the EU per unit engagement/GDP"))
    energy_pull: float = field(metadata=spec(0, 5, "",
                                             "push toward the EU per unit extra energy demand"))
    energy_growth: float = field(metadata=spec(0, 1, "1/yr",
                                               "EU trade growth at full extra energy demand"))
    ties: float = field(metadata=spec(0, 10, "",
                                      "push per unit change of the EU trade share since 2021"))


def eu_partnership(engagement_bn, energy_demand, trade_share, trade_share0, gdp,
                   p: EUPartnershipParams):
    """M14 EU trade and energy partnership: the largest bloc, demand for non-Russian energy.

    burkewhite2022_hill: "Europe accounts for 40 percent of Kazakhstan's external trade";
    crossfire_2023: Kazakh oil and gas as "a key part" of Europe's energy security.
    """
    return Offers(
        push_offer=p.engagement_pull * engagement_bn / gdp + p.energy_pull * energy_demand,
        push_ties=p.ties * (trade_share - trade_share0),
        trade_growth=p.energy_growth * energy_demand,
    )


@dataclass(frozen=True)
class CorridorParams:
    """M15 parameters (bokhari2022_wt; ceilings from rows C08, C15)."""

    funding_share: float = field(metadata=spec(
        0, 1, "", "share of Western engagement money spent on the corridor"))
    build_per_bn: float = field(metadata=spec(0, 10, "mt/yr per month per USD bn/yr",
                                              "corridor cargo capacity added by Western funding"))
    route_demand: float = field(metadata=spec(
        0, 10, "mt/yr per month",
        "capacity added per unit sanctions intensity (traders avoiding Russia)"))
    ceiling_mt: float = field(metadata=spec(0.1, 200, "mt/yr",
                                            "cargo capacity the corridor can reach"))
    oil_build_per_bn: float = field(metadata=spec(0, 10, "mt/yr per month per USD bn/yr",
                                                  "trans-Caspian oil capacity added by funding"))
    oil_urgency: float = field(metadata=spec(0, 10, "mt/yr per outage-month",
                                             "oil capacity Kazakhstan adds after CPC outages"))
    oil_ceiling_mt: float = field(metadata=spec(0.1, 100, "mt/yr",
                                                "trans-Caspian oil target (C08: 6-6.5)"))


def route_diversification(corridor_mt, caspian_oil_mt, funding_bn, intensity, outage_days,
                          p: CorridorParams):
    """M15 Route diversification: Western investment slowly grows the Middle Corridor.

    bokhari2022_wt: the Middle Corridor "bypasses Russian territory" and needs "U.S. and Western
    investments" and diplomatic support. Cargo capacity grows with funding and with traders
    avoiding Russian routes; trans-Caspian oil capacity grows with funding and after CPC
    outages; both saturate at their ceilings. Returns (cargo mt/yr, oil mt/yr).
    """
    cargo_rate = p.build_per_bn * funding_bn + p.route_demand * intensity
    oil_rate = p.oil_build_per_bn * funding_bn + p.oil_urgency * outage_days / 30.0
    return _saturate(corridor_mt, cargo_rate, p.ceiling_mt), _saturate(caspian_oil_mt, oil_rate,
                                                                       p.oil_ceiling_mt)


def _saturate(x, rate, ceiling):
    """One month of dx/dt = rate * (1 - x / ceiling), solved exactly: never passes the ceiling."""
    return x - (ceiling - x) * np.expm1(-rate / ceiling)


def oil_share_via_russia(caspian_oil_mt, other_bypass_mt, oil_exports_mt):
    """Share of oil exports leaving through Russia, given the capacity of routes that bypass it."""
    return 1.0 - np.minimum(1.0, (caspian_oil_mt + other_bypass_mt) / oil_exports_mt)
