"""China's policies: steady courtship, or filling the vacuum Russia leaves."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from sim.policies.base import ChnAction, Observation, Policy
from sim.schema import effect
from sim.streams import Stream


@dataclass(frozen=True)
class ChnParams:
    """Levels of China's courtship (values in ``configs/policy_params``; assumptions)."""

    trade_push: float = field(metadata=effect(
        0, 1, "", "share of the historical trade growth China pursues",
        "assumption (burkewhite2022_hill: trade grew '14.9 percent' a year)", (0.2, 0.8)))
    investment_growth: float = field(metadata=effect(
        -0.5, 1, "1/yr", "annual growth of Belt and Road investment", "assumption",
        (0.0, 0.1)))
    vacuum: float = field(default=0.0, metadata=effect(
        0, 20, "", "extra courtship per unit of Russian capacity lost",
        "assumption (bokhari2022_wt: China 'trying to fill the vacuum'; 0: steady)",
        (0.0, 6.0)))
    budget_share: float = field(default=0.02, metadata=effect(
        0, 0.2, "", "most China spends on Belt and Road investment in Kazakhstan, share of "
        "Kazakh GDP", "assumption: 2021 investment 1.8 bn (D04) was about 0.9% of GDP",
        (0.01, 0.03)))
    west_vacuum: float = field(default=0.0, metadata=effect(
        0, 20, "", "extra courtship per unit the West's engagement falls short of full",
        "assumption (bokhari2022_wt: 'fill the vacuum'; 0: ignores the West)", (0.0, 2.0)))


class SteadyCourtship(Policy):
    """Grow trade and Belt and Road investment at a steady pace.

    Names: burkewhite2022_hill (trade "14.9 percent" a year for 25 years; BRI "over $25
    billion"); pirbudagyan2022_isd ("at least 55 major projects").
    """

    name = "steady_courtship"
    actors = ("CHN",)
    sources = ("burkewhite2022_hill", "pirbudagyan2022_isd")
    Params = ChnParams

    def decide(self, obs: Observation, stream: Stream) -> ChnAction:
        """Trade push and investment within a budget.

        Both scale up as Russia weakens (``vacuum``) and as the West's engagement falls short
        (``west_vacuum``); investment never exceeds ``budget_share`` of Kazakh GDP.
        """
        p, st = self.params, obs.state
        boost = (1.0 + p.vacuum * (1.0 - st.capacity)
                 + p.west_vacuum * (1.0 - obs.design.engagement))
        growth = (1.0 + p.investment_growth) ** (obs.turn / 12.0)
        wanted = obs.refs.investment_chn * growth * boost
        return ChnAction(trade_push=p.trade_push * boost,
                         investment_bn=np.minimum(wanted, p.budget_share * st.gdp))


class VacuumFiller(SteadyCourtship):
    """Invest and trade more as Russia weakens (``vacuum`` > 0).

    Names: bokhari2022_wt ("With the Kremlin struggling to shape events in Central Asia, China
    trying to fill the vacuum").
    """

    name = "vacuum_filler"
    sources = ("bokhari2022_wt",)
