"""Russia's policies: coercion or incentives, chosen each month within a capacity budget.

Russia picks a (coercion, incentive) pair from two small menus by logit choice
(:mod:`sim.choice`). Coercion raises CPC pressure (M7), sovereignty threats (M8) and trade
retaliation against Kazakh goods (M2, as in 2025); incentives raise EAEU access (M9), the CSTO
guarantee (M8) and the "gas union" (M9). It weighs each option's predicted effect on
Kazakhstan's alignment with Russia (the mechanisms' own push functions, scaled by its capacity,
M10), its wish to punish what aggrieves it, and the option's cost; options costing more than
its capacity allows are out of reach, so sanctions that erode capacity narrow its menu.
``coercive``, ``courting`` and ``tit_for_tat`` differ by weights, by menus (courting never
escalates; coercive never offers a gas union) and by what they punish.

Russia's price of incentives is revealed, not assumed (revealed preference, Samuelson 1938; by
inverse optimisation, as the US's price of designating in :mod:`sim.policies.west`): in each
run's first month the price per unit incentive level is set, by
:func:`sim.choice.revealed_price`, so that the 2021 level (o = 0: the policy's own EAEU access
and CSTO guarantee, which are the 2021 references ``M9.eaeu_ref`` and ``M8.guarantee_ref``, and
no gas union) is Russia's best response at the state it starts from; it is kept from then on, so
Russia offers more or less only as what it observes changes. The incentive menu runs below the
2021 level as well as above it (o < 0 cuts EAEU access and the guarantee toward 0).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

import numpy as np

from sim.blocs import RUS
from sim.choice import column, distinct, grid, logit_choice, pick, reveal_once, revealed_price
from sim.mechanisms.russia import offer_attraction, security_leverage, threat_push
from sim.policies.base import Observation, Policy, RusAction, clip01, west_share
from sim.schema import effect
from sim.streams import Stream


@dataclass(frozen=True)
class RusParams:
    """Russia's levers and objective weights (values in ``configs/policy_params``)."""

    cpc_pressure: float = field(metadata=effect(
        0, 1, "1/month", "probability of a political CPC outage without escalation",
        "assumption (bokhari2022_wt: CPC 'blocked on a couple of occasions'; C10)",
        (0.005, 0.1)))
    cpc_response: float = field(metadata=effect(
        0, 1, "1/month", "extra outage probability at full coercion", "assumption",
        (0.025, 0.6)))
    threat: float = field(metadata=effect(
        0, 1, "", "sovereignty/security threats without escalation",
        "assumption (bokhari2022_wt: Medvedev 'questioned Kazakhstan's sovereignty')",
        (0.05, 0.8)))
    retaliation: float = field(metadata=effect(
        0, 1, "", "trade retaliation without escalation",
        "assumption (0: none; events_2025: restrictions on Kazakh farm goods)", (0.0, 0.4)))
    eaeu_offer: float = field(metadata=effect(
        0, 1, "", "EAEU market access without new incentives",
        "assumption (pirbudagyan2022_isd: EAEU)", (0.2, 0.9)))
    security_offer: float = field(metadata=effect(
        0, 1, "", "CSTO security guarantee without new incentives",
        "assumption (burkewhite2022_hill: the CSTO offers security)", (0.2, 0.9)))
    gas_union: float = field(metadata=effect(
        0, 1, "", "'gas union' coordination offered at full incentives",
        "assumption (bokhari2022_wt: 'gas union'; 0: never offered)", (0.0, 0.8)))
    temperature: float = field(default=0.1, metadata=effect(
        0, 10, "", "logit temperature", "assumption (McKelvey & Palfrey 1995)", (0.03, 0.3)))
    horizon_months: float = field(default=12.0, metadata=effect(
        1, 60, "months", "how far ahead effects are weighed", "assumption", (6.0, 24.0)))
    align_weight: float = field(default=10.0, metadata=effect(
        0, 100, "", "utility per unit of Kazakh alignment share with Russia gained",
        "assumption", (3.0, 30.0)))
    punish_weight: float = field(default=1.0, metadata=effect(
        0, 20, "", "utility of full coercion per unit of what aggrieves Moscow",
        "assumption (bokhari2023_hill: compliance 'threatens to aggravate relations')",
        (0.2, 3.0)))
    coercion_cost: float = field(default=0.3, metadata=effect(
        0, 5, "", "cost to Russia of full coercion (lost trade, reputation)", "assumption",
        (0.1, 1.0)))
    offer_cost: float = field(default=1.0, metadata=effect(
        0, 5, "", "resources full new incentives take from the budget (market access, "
        "subsidised gas), and the fallback price of incentives where the menu reveals none",
        "assumption: the price Russia weighs incentives at is otherwise revealed per run by "
        "its 2021 level (RussianPolicy.incentive_price; Samuelson 1938)", (0.3, 3.0)))
    adjust_cost: float = field(default=0.5, metadata=effect(
        0, 10, "", "cost of moving incentives away from their 2021 level, per squared unit of "
        "incentive level: commitments, institutions and partners make large swings costly",
        "assumption: convex adjustment cost (as China's investment_cost; Russia's EAEU and CSTO "
        "offers moved gradually after 2014 and 2022, bokhari2022_wt, burkewhite2022_hill)",
        (0.1, 2.0)))
    budget: float = field(default=1.0, metadata=effect(
        0, 5, "", "most Russia spends on coercion and incentives at full capacity (M10), in "
        "the units of the costs", "assumption (bokhari2022_wt: 'Russia's weakened position')",
        (0.5, 2.0)))


class RussianPolicy(Policy):
    """Shared choice over (coercion, incentive) levels; subclasses set menus and grievances."""

    actors = ("RUS",)
    chooses_by_logit = True
    Params = RusParams
    coercion_menu: tuple[float, ...] = (0.0, 0.5, 1.0)
    incentive_menu: tuple[float, ...] = (-1.0, -0.5, 0.0, 0.5, 1.0)
    """Incentive levels o: 0 is the 2021 level, 1 full offers; below 0, cuts (-1: none at e_0 0.5).

    Symmetric around 0, so that at the revealed price (:meth:`incentive_price`) Russia's
    expected offer in its first month is its 2021 level."""

    def reset(self, n_runs: int) -> None:
        """Forget the revealed price of incentives (per run; revealed again in month one)."""
        self._incentive_price = np.full(n_runs, np.nan)

    def aggrieved(self, obs: Observation, stream: Stream) -> np.ndarray:
        """What Moscow wants to punish this month (>= 0): its grievance (M2, M20)."""
        return obs.state.grievance

    def levers(self, g, o) -> dict:
        """The levers at coercion level ``g`` in [0, 1] and incentive level ``o`` in [-1, 1].

        EAEU access and the CSTO guarantee move from the policy's 2021 levels by the same
        step per unit ``o`` up and down (``e_0 + (1 - e_0)·o``, clipped at 0), so their
        expected level follows the expected ``o``; a gas union is offered only above 0.
        """
        return {**self.coercion_levers(g), **self.incentive_levers(o)}

    def coercion_levers(self, g) -> dict:
        """CPC pressure, threats and trade retaliation at coercion level ``g``."""
        p = self.params
        return dict(cpc_pressure=clip01(p.cpc_pressure + p.cpc_response * g),
                    threat=clip01(p.threat + g), retaliation=clip01(p.retaliation + g))

    def incentive_levers(self, o) -> dict:
        """EAEU access, the CSTO guarantee and the gas union at incentive level ``o``."""
        p = self.params
        return dict(eaeu_offer=clip01(p.eaeu_offer + (1.0 - p.eaeu_offer) * o),
                    security_offer=clip01(p.security_offer + (1.0 - p.security_offer) * o),
                    gas_union=p.gas_union * np.maximum(o, 0.0))

    @staticmethod
    def offer_push(lv: dict, mp) -> np.ndarray:
        """The push on Russia of the offers in ``lv`` (M8's guarantee, M9), before capacity."""
        return (security_leverage(0.0, lv["security_offer"], mp.M8)
                + offer_attraction(lv["eaeu_offer"], lv["gas_union"], mp.M9))

    @staticmethod
    def value_of_push(obs: Observation, p: RusParams) -> np.ndarray:
        """Utility (runs,) of a unit push on Russia: ``align_weight·r·a_R(1 - a_R)·H·K``."""
        a = obs.state.align[:, RUS]
        return (p.align_weight
                * (obs.params.alignment.rate * a * (1.0 - a) * p.horizon_months
                   * obs.state.capacity))

    def incentive_price(self, obs: Observation) -> np.ndarray:
        """Russia's price per unit incentive level (runs,), revealed by its 2021 level.

        Revealed preference (Samuelson 1938), by inverse optimisation (the policy is calibrated
        so that the observed one is optimal), as the US's price of designating
        (:meth:`sim.policies.west.WeighInstruments.designation_price`): what Russia was doing
        in 2021 is the 2021 level of incentives, o = 0 (the references ``M9.eaeu_ref`` and
        ``M8.guarantee_ref``; no gas union), so in each run's first month that level is made
        its best response. The gains of the incentive levels next to it on the menu,
        ``G(o) = value_of_push·B·offer(o)`` for ``o`` in (``o_-``, 0, ``o_+``), are predicted in
        that month, and the price is :func:`~sim.choice.revealed_price` of ``G`` over ``o``:
        the midpoint of ``[(G(o_+) - G(0))/o_+, (G(0) - G(o_-))/(-o_-)]``, or the chord slope
        ``(G(o_+) - G(o_-))/(o_+ - o_-)`` where ``G`` is convex (the gas union, offered only
        above 0, makes the upper step the steeper), which leaves ``o_-`` and ``o_+`` equally
        good. ``G`` is linear on each side of 0, so on a menu symmetric around 0 the utility of
        the incentives is symmetric too and the expected level in the first month is 0 exactly
        (the coercion options add the same to every incentive level, up to the budget).
        Where the menu has no level below (or above) 0, the price is the other bound moved by
        ``offer_cost/2`` (:func:`~sim.choice.revealed_price`).

        The price is kept from the first month on (per run; cleared by :meth:`reset`): Russia
        then offers more as Kazakhstan's alignment with it becomes worth more to push (the
        replicator's ``a_R(1 - a_R)``, the bridge value, its capacity) and less as it becomes
        worth less, e.g. as sanctions erode its capacity (M10). The budget still counts new
        incentives at ``offer_cost`` (resources); the revealed price is their value forgone.
        """
        menu = np.asarray(self.incentive_menu, dtype=float)

        def reveal():
            below, above = menu[menu < 0.0], menu[menu > 0.0]
            o = column((below.max() if below.size else 0.0, 0.0,
                        above.min() if above.size else 0.0))
            gain = (self.value_of_push(obs, self.params) * obs.bridge
                    * self.offer_push(self.levers(0.0, o), obs.params))
            return revealed_price(gain, o, self.params.offer_cost)

        if getattr(self, "_incentive_price", None) is None:   # never reset: one use
            self.reset(obs.state.align.shape[0])
        self._incentive_price = reveal_once(self._incentive_price, reveal)
        return self._incentive_price

    def utility(self, obs: Observation, g, o, aggrieved) -> np.ndarray:
        """Predicted alignment gain, punishment and cost of each option (options, runs).

        ``g`` and ``o`` are (options, 1) columns of coercion and incentive levels. Coercion
        costs ``coercion_cost·g``; incentives cost the revealed ``incentive_price·o`` (a cut
        below 2021, o < 0, saves it) and an adjustment cost ``adjust_cost·o²``: gains and price
        are linear in ``o``, so without it Russia, indifferent at the revealed price, would
        answer any change at the ends of its menu; with it the best level moves in proportion
        to the change (``o* = Δslope / (2·adjust_cost)``).
        """
        p, st, mp = self.params, obs.state, obs.params
        share = st.oil_share
        # each part is evaluated once per distinct level it depends on, then expanded to the
        # options (g, o): coercion once per coercion level, the offers once per incentive level
        g_levels, g_row = distinct(g)
        o_levels, o_row = distinct(o)
        coercion = self.coercion_levers(g_levels)
        cpc = coercion["cpc_pressure"]
        coerce = threat_push(cpc, share, mp.M7)
        resented = np.multiply(mp.M7.resentment * cpc, share)
        resented *= mp.M7.min_days + mp.M7.max_days
        resented /= 60.0
        coerce -= resented
        coerce += security_leverage(coercion["threat"], mp.M8.guarantee_ref, mp.M8)
        offered = np.multiply(self.offer_push(self.incentive_levers(o_levels), mp), obs.bridge)
        # the rest, option by option in one compiled pass (sim.kernels.russia_utility):
        # u = (coerce + offered)·value_of_push + punish_weight·aggrieved·g - coercion_cost·g
        #     - incentive_price·o - adjust_cost·o² (graded: large swings from 2021 are
        #     costly), less 1e6 where the budget does not reach: it counts what new levers
        #     take, coercion_cost·g + offer_cost·max(o, 0) (a cut below 2021 frees nothing)
        from sim import kernels
        n = st.align.shape[0]
        vec = functools.partial(kernels.run_vector, n=n)
        return kernels.russia_utility(
            kernels.contiguous(coerce, (len(coerce), n)),
            kernels.contiguous(offered, (len(offered), n)), g_row, o_row,
            np.ascontiguousarray(g.reshape(-1), dtype=float),
            np.ascontiguousarray(o.reshape(-1), dtype=float), vec(self.value_of_push(obs, p)),
            vec(p.punish_weight * aggrieved), vec(self.incentive_price(obs)),
            vec(p.budget * st.capacity + 1e-12), vec(p.coercion_cost), vec(p.adjust_cost),
            vec(p.offer_cost), np.empty((len(g), n)))

    def decide(self, obs: Observation, stream: Stream) -> RusAction:
        """Choose a coercion and an incentive level; the levers follow from them."""
        g, o = grid(self.coercion_menu, self.incentive_menu)
        u = self.utility(obs, g, o, self.aggrieved(obs, stream))
        k = logit_choice(u, self.params.temperature, stream.uniform(obs.turn, 2))
        return RusAction(**self.levers(pick(g[:, 0], k), pick(o[:, 0], k)))


class Coercive(RussianPolicy):
    """Coerce: punish what aggrieves Moscow with CPC disruptions, threats and retaliation.

    Never offers a gas union, and moves its incentives at most half-way from its 2021 level
    (up or down). Names: bokhari2022_wt (CPC
    "blocked on a couple of occasions", Medvedev "questioned Kazakhstan's sovereignty");
    burkewhite2022_hill ("relies on Russian oil pipelines").
    """

    name = "coercive"
    sources = ("bokhari2022_wt", "burkewhite2022_hill")
    incentive_menu = (-0.5, 0.0, 0.5)


class Courting(RussianPolicy):
    """Court: EAEU access, CSTO guarantees and a "gas union"; never escalates coercion.

    Names: burkewhite2022_hill (through the CSTO "Russia offers international security and
    domestic stability"); bokhari2022_wt ("gas union"); pirbudagyan2022_isd (EAEU).
    """

    name = "courting"
    sources = ("burkewhite2022_hill", "bokhari2022_wt", "pirbudagyan2022_isd")
    coercion_menu = (0.0,)


@dataclass(frozen=True)
class TitForTatParams(RusParams):
    """Tit-for-tat adds the lag and the weights of what counts as a westward move."""

    lag_months: int = field(default=1, metadata=effect(
        0, 24, "months", "delay before retaliating",
        "E08: the CPC court order came 19 days after the June 2022 signal", (0, 3)))
    move_weight: float = field(default=20.0, metadata=effect(
        0, 1000, "", "grievance per unit monthly rise of Western alignment", "assumption",
        (10.0, 40.0)))
    signal_weight: float = field(default=1.0, metadata=effect(
        0, 10, "", "grievance per unit westward signal", "assumption", (0.5, 2.0)))


class TitForTat(RussianPolicy):
    """Punish Kazakh westward moves after a lag; otherwise court.

    Names: bokhari2022_wt and row E08 (the CPC court order came 19 days after Tokayev's
    non-recognition at SPIEF); bokhari2023_hill (compliance "threatens to aggravate relations
    with Moscow").
    """

    name = "tit_for_tat"
    sources = ("bokhari2022_wt", "bokhari2023_hill")
    Params = TitForTatParams

    def reset(self, n_runs: int) -> None:
        """Empty the memory of westward moves and forget the revealed price."""
        super().reset(n_runs)
        self._moves = np.zeros((self.params.lag_months + 1, n_runs))
        self._last_west = None

    def aggrieved(self, obs: Observation, stream: Stream) -> np.ndarray:
        """Westward moves of ``lag_months`` ago (alignment gains and signals)."""
        p, st = self.params, obs.state
        west = west_share(st.align)
        gain = 0.0 if self._last_west is None else np.maximum(0.0, west - self._last_west)
        self._last_west = west
        move = p.move_weight * gain + p.signal_weight * np.maximum(0.0, st.signal)
        self._moves[1:] = self._moves[:-1]   # shift the memory by one month
        self._moves[0] = move
        return self._moves[-1].copy()
