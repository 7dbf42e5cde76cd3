"""China's, the US's and the EU's pulls, and route diversification: M11-M15.

Pure functions over run-axis arrays; parameter values are assumptions in
``configs/params/default.yaml`` (direction from the cited article).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from sim.blocs import CHN, EU, ROW, USA
from sim.mechanisms.push import push
from sim.mechanisms.russia import Offers
from sim.schema import effect


@dataclass(frozen=True)
class ChinaParams:
    """M11 parameters (burkewhite2022_hill, pirbudagyan2022_isd, bokhari2022_wt)."""

    trade_cost: float = field(metadata=effect(
        0, 0.5, "", "largest cut in the cost of Chinese trade from courtship above 2021",
        "fitted: kzsim calibrate to kz2022 (configs/targets/kz2022.yaml); prior: BRI "
        "logistics and finance (burkewhite2022_hill)", (0.02, 0.1)))
    trade_push_ref: float = field(metadata=effect(
        0, 1, "", "China's 2021 trade push",
        "assumption: the 2021 level, China's policies' trade push (0.4)", (0.3, 0.5)))
    investment_pull: float = field(metadata=effect(
        0, 50, "", "push toward China per unit investment above 2021 / GDP", "assumption",
        (2.5, 10.0)))
    ties: float = field(metadata=effect(
        0, 10, "", "push per unit change of China's trade share since 2021", "assumption",
        (0.15, 0.6)))


def china_courtship(trade_push, investment_bn, investment_ref, trade_share, trade_share0, gdp,
                    p: ChinaParams):
    """M11 China's economic courtship: trade growth and Belt and Road investment.

    burkewhite2022_hill: trade grew "14.9 percent" a year for 25 years, the BRI adds "over $25
    billion"; pirbudagyan2022_isd: "55 major projects"; bokhari2022_wt: "China trying to fill
    the vacuum". Investment above its 2021 level and a rising trade share pull toward China.
    Courtship beyond its 2021 level cuts the cost of Chinese trade, with diminishing returns
    (at most ``trade_cost``): growth comes from substitution (M22), not a trend.
    """
    return Offers(
        push_offer=investment_attraction(investment_bn, investment_ref, gdp, p),
        push_ties=p.ties * (trade_share - trade_share0),
        trade_cost=courtship_cost(trade_push, p),
    )


def investment_attraction(investment_bn, investment_ref, gdp, p: ChinaParams):
    """M11's pull of Chinese investment above its 2021 level, per unit of GDP."""
    return p.investment_pull * (investment_bn - investment_ref) / gdp


def courtship_cost(trade_push, p: ChinaParams):
    """The change in the cost of Chinese trade from courtship above 2021 (at most -trade_cost)."""
    return -p.trade_cost * np.tanh(trade_push - p.trade_push_ref)


def engagement_cost(trade_cost, engagement_bn, gdp):
    """The change in the cost of Western trade from engagement money (M13, M14)."""
    return -trade_cost * engagement_bn / gdp


def apply_m11_costs(f) -> None:
    """M11's cut in the cost of Chinese trade (stage ``costs``)."""
    f.add_cost(CHN, courtship_cost(f.chn.trade_push, f.p.M11))


def apply_m11(f) -> None:
    """M11's offer and ties (stage ``incentives``)."""
    m11 = china_courtship(f.chn.trade_push, f.chn.investment_bn, f.r.investment_chn,
                          f.share[:, CHN], f.r.share0[CHN], f.gdp, f.p.M11)
    f.incentives.append(push(f.n, chn=m11.push_offer))
    f.add_push("M11", push(f.n, chn=m11.push_offer + m11.push_ties))


@dataclass(frozen=True)
class DiscontentParams:
    """M12 parameters (pirbudagyan2022_isd)."""

    threshold: float = field(metadata=effect(
        0, 1, "", "alignment share with China above which discontent grows",
        "assumption: at or above China's 2021 share (0.277, configs/baseline)", (0.28, 0.4)))
    strength: float = field(metadata=effect(
        0, 10, "", "push away from China per unit share above the threshold",
        "assumption (pirbudagyan2022_isd: 'growing public discontent')", (0.15, 0.6)))


def china_discontent(align_chn, p: DiscontentParams):
    """M12 Public discontent with Chinese influence: leaning toward China costs at home.

    pirbudagyan2022_isd: "growing public discontent with China's influence in the country".
    Returns the (non-positive) push on China.
    """
    return -p.strength * np.maximum(0.0, align_chn - p.threshold)


def apply_m12(f) -> None:
    """M12 (stage ``incentives``)."""
    f.add_push("M12", push(f.n, chn=china_discontent(f.s.align[:, CHN], f.p.M12)))


@dataclass(frozen=True)
class USEngagementParams:
    """M13 parameters (burkewhite2022_hill, pirbudagyan2022_isd)."""

    engagement_pull: float = field(metadata=effect(
        0, 50, "", "push toward the US per unit engagement/GDP", "assumption", (1.5, 4.5)))
    support_pull: float = field(metadata=effect(
        0, 5, "", "push toward the US per unit reform support",
        "assumption (burkewhite2022_hill: 'supporting — not imposing')", (0.01, 0.04)))
    imposition_repel: float = field(metadata=effect(
        0, 5, "", "push away from the US per unit conditionality above 2021",
        "assumption (burkewhite2022_hill: 'supporting — not imposing')", (0.025, 0.1)))
    conditionality_ref: float = field(metadata=effect(
        0, 1, "", "the 2021 level of US conditionality",
        "assumption: the 2021 level, the US's conditionality in configs/actors (0.2)",
        (0.1, 0.3)))
    trade_cost: float = field(metadata=effect(
        0, 50, "", "cut in the cost of US trade per unit engagement money / GDP",
        "assumption: export credits and facilitation (burkewhite2022_hill)", (2.0, 10.0)))
    ties: float = field(metadata=effect(
        0, 10, "", "push per unit change of the US trade share since 2021", "assumption",
        (0.15, 0.6)))


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
        trade_cost=engagement_cost(p.trade_cost, engagement_bn, gdp),
    )


def apply_m13_costs(f) -> None:
    """M13's cut in the cost of US trade (stage ``costs``)."""
    f.add_cost(USA, engagement_cost(f.p.M13.trade_cost, f.usa.engagement_bn, f.gdp))


def apply_m13(f) -> None:
    """M13's offer and ties (stage ``incentives``)."""
    m13 = us_engagement(f.usa.engagement_bn, f.usa.reform_support, f.usa.conditionality,
                        f.share[:, USA], f.r.share0[USA], f.gdp, f.p.M13)
    f.incentives.append(push(f.n, usa=m13.push_offer))
    f.add_push("M13", push(f.n, usa=m13.push_offer + m13.push_ties))


@dataclass(frozen=True)
class EUPartnershipParams:
    """M14 parameters (burkewhite2022_hill, crossfire_2023)."""

    engagement_pull: float = field(metadata=effect(
        0, 50, "", "push toward the EU per unit engagement/GDP", "assumption", (1.5, 4.5)))
    energy_pull: float = field(metadata=effect(
        0, 5, "", "push toward the EU per unit EU share of Kazakh oil above 2021",
        "assumption (crossfire_2023: Kazakh oil 'a key part' of EU energy security)",
        (0.02, 0.1)))
    oil_shift: float = field(metadata=effect(
        0, 1, "", "rise of the EU's share of Kazakh oil at full extra energy demand",
        "assumption: C14 (6% of EU oil imports in 2020, about 13% later)", (0.05, 0.2)))
    trade_cost: float = field(metadata=effect(
        0, 50, "", "cut in the cost of EU trade per unit engagement money / GDP",
        "assumption: Global Gateway, trade partnership (burkewhite2022_hill)", (2.0, 10.0)))
    ties: float = field(metadata=effect(
        0, 10, "", "push per unit change of the EU trade share since 2021", "assumption",
        (0.15, 0.6)))
    listing_trade_cost: float = field(default=0.02, metadata=effect(
        0, 1, "", "ad-valorem cost on Kazakh imports from the EU while the EU lists "
        "Kazakhstan under its anti-circumvention tool (listed goods banned)",
        "assumption: Council Regulation (EU) 2023/1214 (the EU's 11th package); high-priority "
        "goods a few per cent of EU exports to Kazakhstan", (0.01, 0.05)))


def eu_partnership(engagement_bn, energy_demand, trade_share, trade_share0, gdp,
                   p: EUPartnershipParams):
    """M14 EU trade and energy partnership: the largest bloc, demand for non-Russian energy.

    burkewhite2022_hill: "Europe accounts for 40 percent of Kazakhstan's external trade";
    crossfire_2023: Kazakh oil and gas as "a key part" of Europe's energy security. The
    energy pull acts through what the EU actually buys: its share of Kazakh oil above 2021.
    """
    return Offers(
        push_offer=(p.engagement_pull * engagement_bn / gdp
                    + p.energy_pull * p.oil_shift * energy_demand),
        push_ties=p.ties * (trade_share - trade_share0),
        trade_cost=engagement_cost(p.trade_cost, engagement_bn, gdp),
    )


def apply_m14_costs(f) -> None:
    """M14's cut in the cost of EU trade, the EU's extra oil purchases (stage ``costs``).

    While the EU lists Kazakhstan under its anti-circumvention tool, listed goods cannot be
    sold to it: imports from the EU cost ``listing_trade_cost`` more.
    """
    f.add_cost(EU, engagement_cost(f.p.M14.trade_cost, f.eu.engagement_bn, f.gdp))
    f.cost_m[:, EU] += f.p.M14.listing_trade_cost * f.eu.anti_circumvention
    f.eu_oil_shift = f.p.M14.oil_shift * f.eu.energy_demand


def apply_m14(f) -> None:
    """M14's offer and ties (stage ``incentives``)."""
    m14 = eu_partnership(f.eu.engagement_bn, f.eu.energy_demand, f.share[:, EU], f.r.share0[EU],
                         f.gdp, f.p.M14)
    f.incentives.append(push(f.n, eu=m14.push_offer))
    f.add_push("M14", push(f.n, eu=m14.push_offer + m14.push_ties))


@dataclass(frozen=True)
class CorridorParams:
    """M15 parameters (bokhari2022_wt; ceilings from rows C08, C15)."""

    funding_share: float = field(metadata=effect(
        0, 1, "", "share of Western engagement money spent on the corridor",
        "assumption (bokhari2022_wt: the corridor needs 'U.S. and Western investments')",
        (0.15, 0.5)))
    build_per_bn: float = field(metadata=effect(
        0, 10, "mt/yr per month per USD bn/yr", "corridor cargo capacity added by Western funding",
        "assumption", (0.01, 0.04)))
    route_demand: float = field(metadata=effect(
        0, 10, "mt/yr per month",
        "capacity added per unit sanctions intensity (traders avoiding Russia)",
        "fitted: kzsim calibrate to kz2022 (configs/targets/kz2022.yaml)", (0.0, 0.5)))
    ceiling_mt: float = field(metadata=effect(
        0.1, 200, "mt/yr", "cargo capacity the corridor can reach",
        "assumption: the corridor's stated ambitions (C15: 1.5 mt in 2022)", (5.0, 20.0)))
    oil_build_per_bn: float = field(metadata=effect(
        0, 10, "mt/yr per month per USD bn/yr", "trans-Caspian oil capacity added by funding",
        "assumption", (0.025, 0.1)))
    oil_urgency: float = field(metadata=effect(
        0, 10, "mt/yr per outage-month", "oil capacity Kazakhstan adds after CPC outages",
        "assumption", (0.25, 1.0)))
    oil_ceiling_mt: float = field(metadata=effect(
        0.1, 100, "mt/yr", "trans-Caspian oil target (C08: 6-6.5)",
        "C08: BTC target 6-6.5 mt/yr", (4.0, 8.0)))
    transit_cost: float = field(metadata=effect(
        0, 1, "", "cost of Western trade routed through Russia per unit intensity, no bypass",
        "assumption: transit through a sanctioned Russia (bokhari2022_wt)", (0.02, 0.12)))
    corridor_need_mt: float = field(metadata=effect(
        0.1, 100, "mt/yr", "corridor cargo capacity that removes the transit cost",
        "assumption: the corridor's stated ambitions (C15)", (5.0, 20.0)))


def route_diversification(corridor_mt, caspian_oil_mt, funding_bn, intensity, outage_days,
                          p: CorridorParams):
    """M15 Route diversification: Western investment slowly grows the Middle Corridor.

    bokhari2022_wt: the Middle Corridor "bypasses Russian territory" and needs "U.S. and Western
    investments" and diplomatic support. Cargo capacity grows with funding and with traders
    avoiding Russian routes; trans-Caspian oil capacity grows with funding and after CPC
    outages; both saturate at their ceilings. ``funding_bn`` is Western corridor money plus
    Kazakhstan's own route investment. Returns (cargo mt/yr, oil mt/yr).
    """
    cargo_rate = p.build_per_bn * funding_bn + p.route_demand * intensity
    oil_rate = p.oil_build_per_bn * funding_bn + p.oil_urgency * outage_days / 30.0
    return _saturate(corridor_mt, cargo_rate, p.ceiling_mt), _saturate(caspian_oil_mt, oil_rate,
                                                                       p.oil_ceiling_mt)


def transit_cost(intensity, corridor_mt, p: CorridorParams):
    """The cost sanctions add to trade that transits Russia, less what the corridor bypasses."""
    return p.transit_cost * intensity * np.maximum(0.0, 1.0 - corridor_mt / p.corridor_need_mt)


def apply_m15(f) -> None:
    """M15 (stage ``routes``): the corridor and trans-Caspian oil capacity grow."""
    funding = ((f.usa.engagement_bn + f.eu.engagement_bn) * f.p.M15.funding_share
               + f.kaz.route_investment_bn)
    f.corridor, f.caspian = route_diversification(f.s.corridor_mt, f.s.caspian_oil_mt, funding,
                                                  f.intensity, f.s.cpc_days, f.p.M15)


def apply_m15_costs(f) -> None:
    """M15's transit cost on Western trade and, at half weight, the rest of the world's."""
    cost = transit_cost(f.intensity, f.corridor, f.p.M15)
    for k, weight in ((USA, 1.0), (EU, 1.0), (ROW, 0.5)):
        f.add_cost(k, weight * cost)


def _saturate(x, rate, ceiling):
    """One month of dx/dt = rate * (1 - x / ceiling), solved exactly: never passes the ceiling."""
    return x - (ceiling - x) * np.expm1(-rate / ceiling)


def oil_share_via_russia(caspian_oil_mt, other_bypass_mt, oil_exports_mt):
    """Share of oil exports leaving through Russia, given the capacity of routes that bypass it."""
    return 1.0 - np.minimum(1.0, (caspian_oil_mt + other_bypass_mt) / oil_exports_mt)
