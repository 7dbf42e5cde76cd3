"""China's policies: trade push and Belt and Road investment chosen within a budget.

Each month China picks a trade push and an investment level (a share of its budget, itself a
share of Kazakh GDP) by logit choice (:mod:`sim.choice`), weighing the predicted pull toward
China (M11's push function) against the money and against Kazakh public discontent with
Chinese influence (M12): when discontent is active, visible courtship costs it more. The two
policies differ by what they see as an opportunity: ``steady_courtship`` values Kazakhstan the
same whatever others do; ``vacuum_filler`` values it more as Russia weakens (M10) and as the
West disengages.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from sim.blocs import CHN
from sim.choice import distinct, grid, logit_choice, pick, reveal_once
from sim.mechanisms.partners import china_discontent, investment_attraction
from sim.policies.base import ChnAction, Observation, Policy
from sim.schema import effect
from sim.streams import Stream


@dataclass(frozen=True)
class ChnParams:
    """China's budget and objective weights (values in ``configs/policy_params``)."""

    budget_share: float = field(metadata=effect(
        0, 0.2, "", "most China spends on Belt and Road investment in Kazakhstan, share of "
        "Kazakh GDP", "assumption: 2021 investment 1.8 bn (D04) was about 0.9% of GDP",
        (0.01, 0.03)))
    temperature: float = field(default=0.1, metadata=effect(
        0, 10, "", "logit temperature", "assumption (McKelvey & Palfrey 1995)", (0.03, 0.3)))
    horizon_months: float = field(default=12.0, metadata=effect(
        1, 60, "months", "how far ahead effects are weighed", "assumption", (6.0, 24.0)))
    align_weight: float = field(default=10.0, metadata=effect(
        0, 100, "", "utility per unit of Kazakh alignment share with China gained",
        "assumption", (3.0, 30.0)))
    investment_cost: float = field(default=2.5, metadata=effect(
        0, 50, "", "cost of spending the whole budget (quadratic in the share spent), where "
        "the baseline's investment reveals none",
        "assumption: otherwise revealed per run by the baseline's investment "
        "(SteadyCourtship.investment_cost; Samuelson 1938)", (1.0, 5.0)))
    trade_value: float = field(default=0.4, metadata=effect(
        0, 10, "", "utility of a full trade push", "assumption (burkewhite2022_hill: trade "
        "grew '14.9 percent' a year)", (0.2, 0.8)))
    trade_effort: float = field(default=0.5, metadata=effect(
        0, 10, "", "cost of a full trade push (quadratic)", "assumption", (0.25, 1.0)))
    discontent_weight: float = field(default=10.0, metadata=effect(
        0, 100, "", "cost of full courtship per unit of Kazakh discontent (M12)",
        "assumption (pirbudagyan2022_isd: 'growing public discontent')", (2.0, 30.0)))
    vacuum: float = field(default=0.0, metadata=effect(
        0, 20, "", "extra value of Kazakhstan per unit of Russian capacity lost",
        "assumption (bokhari2022_wt: China 'trying to fill the vacuum'; 0: steady)",
        (0.0, 6.0)))
    west_vacuum: float = field(default=0.0, metadata=effect(
        0, 20, "", "extra value per unit the West's engagement falls short of full",
        "assumption (bokhari2022_wt: 'fill the vacuum'; 0: ignores the West)", (0.0, 2.0)))


class SteadyCourtship(Policy):
    """Court Kazakhstan steadily within the budget, whatever Russia and the West do.

    Names: burkewhite2022_hill (trade "14.9 percent" a year for 25 years; BRI "over $25
    billion"); pirbudagyan2022_isd ("at least 55 major projects").
    """

    name = "steady_courtship"
    actors = ("CHN",)
    sources = ("burkewhite2022_hill", "pirbudagyan2022_isd")
    chooses_by_logit = True
    Params = ChnParams
    trade_menu: tuple[float, ...] = (0.2, 0.4, 0.6)
    investment_menu: tuple[float, ...] = (0.25, 0.5, 0.75, 1.0)   # shares of the budget

    def reset(self, n_runs: int) -> None:
        """Forget the revealed cost of investing (per run; revealed again in month one)."""
        self._investment_cost = np.full(n_runs, np.nan)

    def opportunity(self, obs: Observation):
        """How much a unit of Kazakh alignment is worth to China now (1 = as in 2021)."""
        return 1.0

    def investment_cost(self, obs: Observation, base_worth, budget) -> np.ndarray:
        """The cost of spending the whole budget (runs,), revealed by the baseline's investment.

        Revealed preference (Samuelson 1938), as Russia's price of incentives
        (:meth:`sim.policies.russia.RussianPolicy.incentive_price`): China invested
        ``refs.investment_chn`` in the baseline year, so in each run's first month the quadratic
        cost ``c·share²`` is set so that this share of the budget is its best response,
        ``c = worth·d(pull)/d(share) / (2·share_0)`` (M11's pull is linear in the share), and
        kept from then on: China then invests more or less only as the worth of Kazakh
        alignment changes. ``base_worth`` is the worth at the baseline's opportunity (1, as in
        2021), so a design that already opens a vacuum in month one is answered, not absorbed
        into the revealed cost. ``investment_cost`` (params) is the fallback where the baseline
        share is not inside (0, 1].
        """
        p, mp = self.params, obs.params

        def reveal():
            share0 = obs.refs.investment_chn / np.maximum(budget, 1e-9)
            slope = base_worth * mp.M11.investment_pull * budget / obs.state.gdp
            ok = (share0 > 0.0) & (share0 <= 1.0)
            return np.where(ok, slope / (2.0 * np.where(ok, share0, 1.0)), p.investment_cost)

        if getattr(self, "_investment_cost", None) is None:   # never reset: one use
            self.reset(obs.state.align.shape[0])
        self._investment_cost = reveal_once(self._investment_cost, reveal)
        return self._investment_cost

    def decide(self, obs: Observation, stream: Stream) -> ChnAction:
        """Choose a trade push and a share of the budget to invest."""
        p, st, mp = self.params, obs.state, obs.params
        a = st.align[:, CHN]
        budget = p.budget_share * st.gdp
        opportunity = self.opportunity(obs)
        base_worth = (p.align_weight * mp.alignment.rate * a * (1.0 - a) * p.horizon_months
                      * obs.bridge)
        worth = base_worth * opportunity
        discontent = -china_discontent(a, mp.M12)
        tp, share = grid(self.trade_menu, self.investment_menu)
        levels, row = distinct(share)   # the pull depends on the investment level only
        pull = investment_attraction(levels * budget, obs.refs.investment_chn, st.gdp,
                                     mp.M11)
        # u = worth * pull + trade value - investment cost - trade effort - discontent, in
        # that order, option by option in one compiled pass (sim.kernels.china_utility)
        from sim import kernels
        n = a.shape[0]
        u = kernels.china_utility(
            kernels.run_vector(worth, n), kernels.contiguous(pull, (len(levels), n)), row,
            kernels.run_param(p.trade_value * opportunity),
            kernels.run_param(self.investment_cost(obs, base_worth, budget)),
            kernels.run_param(p.trade_effort), kernels.run_param(p.discontent_weight * discontent),
            np.ascontiguousarray(tp.reshape(-1)), np.ascontiguousarray(share.reshape(-1)),
            np.empty((len(tp), n)))
        k = logit_choice(u, p.temperature, stream.uniform(obs.turn, 0))
        return ChnAction(trade_push=pick(tp[:, 0], k), investment_bn=pick(share[:, 0], k) * budget)


class VacuumFiller(SteadyCourtship):
    """Court harder as Russia weakens and as the West disengages.

    Names: bokhari2022_wt ("With the Kremlin struggling to shape events in Central Asia, China
    trying to fill the vacuum").
    """

    name = "vacuum_filler"
    sources = ("bokhari2022_wt",)

    def opportunity(self, obs: Observation):
        """Worth more for every unit of Russian capacity lost and of Western engagement missing."""
        p = self.params
        return (1.0 + p.vacuum * (1.0 - obs.state.capacity)
                + p.west_vacuum * (1.0 - obs.design.engagement))
