"""Kazakhstan's policies: the balancer chooses its sanctions posture, signals, coordination, routes.

Every month Kazakhstan scores the options of four small menus by their predicted consequences
(:mod:`sim.choice`: logit choice, McFadden 1974; McKelvey & Palfrey 1995) and picks one per
menu, for every run at once:

- **sanctions posture**: a (compliance, enforcement) pair. Enforcement closes part of the
  re-export route (M3: lost intermediaries' margin) and raises detection, so in the month
  ahead it can raise the penalties on what still passes; compliance spares Kazakhstan Western
  demands (M4) but adds to Moscow's grievance (M2), which a coercive Russia answers.
- **signal** (only when an occasion arises, e.g. a UN vote on Ukraine): against the West's
  position, abstain, or with it (M20), weighing Moscow's provocation against Western
  disapproval.
- **C5+1 coordination** (M19): relief from the side effects of sanctions against its effort.
- **route investment**: its own money for trans-Caspian routes (M15), against the CPC risk it
  observes.

Its objectives: income (weighted more when stability has fallen, M17), Western pressure felt,
the Russian coercion it expects, and the multi-vector doctrine, which penalises concentration
on any one power (``sim.mechanisms.domestic.concentration``). The four policies differ by
their weights, by their menus (what they consider acceptable) and by their lean.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from sim.blocs import CHN, EU, RUS, USA
from sim.choice import column, grid, logit_choice, pick
from sim.economy.russia_trade import blocked_imports, transshipment
from sim.mechanisms.russia import diplomatic_signal
from sim.mechanisms.sanctions_costs import compliance_strain, felt_pressure, regional_relief
from sim.policies.base import KazAction, Observation, Policy
from sim.schema import effect
from sim.streams import Stream


@dataclass(frozen=True)
class KazParams:
    """Kazakhstan's objective weights (values in ``configs/policy_params``; assumptions)."""

    responsiveness: float = field(metadata=effect(
        0, 5, "", "multiplier on all outside pushes", "assumption", (0.25, 3.0)))
    doctrine_weight: float = field(metadata=effect(
        0, 20, "", "strength of the doctrine against dependence and neglect (M16 and "
        "choices)", "assumption (0 for bandwagon: no doctrine)", (0.0, 3.0)))
    temperature: float = field(default=0.1, metadata=effect(
        0, 10, "", "logit temperature: 0 is best response, larger is noisier choice",
        "assumption (McKelvey & Palfrey 1995)", (0.03, 0.3)))
    horizon_months: float = field(default=12.0, metadata=effect(
        1, 60, "months", "how far ahead consequences are weighed", "assumption", (6.0, 24.0)))
    income_weight: float = field(default=1.0, metadata=effect(
        0, 20, "", "utility per 1% of GDP of income", "assumption", (0.5, 2.0)))
    stability_weight: float = field(default=2.0, metadata=effect(
        0, 20, "", "extra weight on income per unit of stability lost since 2021 (M17)",
        "assumption (bokhari2023_hill: the January 2022 unrest)", (0.0, 5.0)))
    west_weight: float = field(default=1.0, metadata=effect(
        0, 20, "", "utility lost per unit of Western pressure felt (M4)", "assumption",
        (0.5, 3.0)))
    russia_weight: float = field(default=1.0, metadata=effect(
        0, 20, "", "utility lost per unit of Russian coercion expected",
        "assumption (bokhari2023_hill: compliance 'threatens to aggravate relations with "
        "Moscow')", (0.5, 3.0)))
    disapproval: float = field(default=0.3, metadata=effect(
        0, 5, "", "Western pressure felt for a vote against the West's position",
        "assumption", (0.1, 0.6)))
    signal_rate: float = field(default=0.25, metadata=effect(
        0, 1, "1/month", "probability of an occasion to signal (a UN vote, a summit speech)",
        "unga_ukraine_votes: 6 Ukraine votes in 2022, 1 in 2014; E08 (SPIEF, June 2022)",
        (0.05, 0.5)))
    signal_size: float = field(default=0.3, metadata=effect(
        0, 1, "", "size of a signal", "assumption", (0.1, 0.8)))
    coordination_cost: float = field(default=0.05, metadata=effect(
        0, 5, "", "utility cost of full C5+1 coordination effort",
        "assumption (crossfire_2023: 'a unified regional position')", (0.01, 0.2)))
    route_value: float = field(default=3.0, metadata=effect(
        0, 100, "", "utility per point of oil share moved off Russian routes, per unit CPC "
        "risk observed", "assumption (bokhari2022_wt: CPC 'blocked on a couple of occasions')",
        (1.0, 10.0)))


class KazakhPolicy(Policy):
    """Shared choice: every Kazakh policy scores the same consequences with its own weights."""

    actors = ("KAZ",)
    chooses_by_logit = True
    Params = KazParams
    compliance_menu: tuple[float, ...] = (0.5, 0.75, 1.0)
    enforcement_menu: tuple[float, ...] = (0.2, 0.5, 0.8)
    signal_menu: tuple[float, ...] = (-1.0, 0.0, 1.0)   # against, abstain, with the West
    coordination_menu: tuple[float, ...] = (0.0, 0.5, 1.0)
    route_menu_bn: tuple[float, ...] = (0.0, 0.25, 0.5)  # assumption: USD bn/yr

    def lean(self, obs: Observation):
        """The policy's own preferred direction, a push (runs, 4) or 0 (default none)."""
        return 0.0

    def decide(self, obs: Observation, stream: Stream) -> KazAction:
        """Pick one option per menu by logit choice over predicted utilities."""
        p = self.params
        view = _View(obs, p, self.lean(obs))
        compliance, enforcement = grid(self.compliance_menu, self.enforcement_menu)
        k = logit_choice(view.posture_utility(self.compliance_menu, self.enforcement_menu),
                         p.temperature, stream.uniform(obs.turn, 0))
        compliance, enforcement = pick(compliance[:, 0], k), pick(enforcement[:, 0], k)
        occasion = stream.uniform(obs.turn, 1) < p.signal_rate
        k = logit_choice(view.signal_utility(self.signal_menu), p.temperature,
                         stream.uniform(obs.turn, 2))
        signal = occasion * pick(self.signal_menu, k) * p.signal_size
        k = logit_choice(view.coordination_utility(self.coordination_menu), p.temperature,
                         stream.uniform(obs.turn, 3))
        coordination = pick(self.coordination_menu, k)
        k = logit_choice(view.route_utility(self.route_menu_bn), p.temperature,
                         stream.uniform(obs.turn, 4))
        return KazAction(
            enforcement=enforcement, compliance=compliance, signal=signal,
            coordination=coordination, route_investment_bn=pick(self.route_menu_bn, k),
            responsiveness=p.responsiveness, doctrine_weight=p.doctrine_weight,
            lean=view.lean,
        )


class _View:
    """What Kazakhstan sees and predicts this month; one utility array (runs, options) per menu."""

    def __init__(self, obs: Observation, p: KazParams, lean):
        self.obs, self.p, self.mp, self.st = obs, p, obs.params, obs.state
        self.n = self.st.align.shape[0]
        self.lean = lean
        st = self.st
        last = obs.last or {}
        rus = last.get("RUS")
        usa = last.get("USA")
        # Russian coercion seen last month: its threats, trade retaliation and CPC pressure
        self.coercion = (0.0 if rus is None else
                         (np.asarray(rus.threat) + np.asarray(rus.retaliation)) / 2.0
                         + np.asarray(rus.cpc_pressure)) * st.capacity
        self.diplomacy = obs.design.engagement if usa is None else usa.diplomacy
        self.gdp = st.gdp
        lost = np.maximum(0.0, obs.refs.stability0 - st.stability) / obs.refs.stability0
        self.income_weight = p.income_weight * (1.0 + p.stability_weight * lost) * 100.0
        self.intensity = st.intensity
        self.secondary = st.west_pressure
        self._w = None

    def doctrine(self, rus=None, chn=None, usa=None, eu=None) -> np.ndarray:
        """Utility of an option's predicted alignment change, from its push on each power.

        The doctrine's objection to concentration (-weight * change of
        ``sim.mechanisms.domestic.concentration``) plus the policy's lean, for pushes
        sustained over the horizon through the replicator step of
        :func:`sim.stages.alignment.replicator`, linearised: with gradient ``g`` and shares
        ``a``, a push ``P`` is worth ``sum_k a_k (g_k - a.g) P_k``. Pushes are (options, runs);
        a power without a push (``None``) adds nothing.
        """
        if self._w is None:
            from sim import kernels
            p, a, m16 = self.p, np.asarray(self.st.align, dtype=float), self.mp.M16
            self._w = kernels.doctrine_weights(
                a, kernels.run_param(m16.cap), kernels.run_param(m16.floor),
                kernels.run_param(p.doctrine_weight), np.broadcast_to(self.lean, a.shape),
                kernels.run_param(self.mp.alignment.rate * p.responsiveness * p.horizon_months),
                np.empty((4, a.shape[0])))
        w, out = self._w, None
        for k, value in ((RUS, rus), (CHN, chn), (USA, usa), (EU, eu)):
            if value is not None:
                term = w[k] * value
                out = term if out is None else np.add(out, term, out=out)
        return out

    def posture_utility(self, compliance, enforcement) -> np.ndarray:
        """Income, Western pressure, Russian coercion and doctrine of every posture.

        One row per (compliance, enforcement) pair, compliance major (the order of
        :func:`sim.choice.grid`): M3 is evaluated once per
        enforcement level and M2 once per compliance level, then broadcast over the grid.
        """
        mp, st, p = self.mp, self.st, self.p
        c = np.asarray(compliance, dtype=float)[:, None, None]
        e = np.asarray(enforcement, dtype=float)[None, :, None]
        blocked = blocked_imports(self.intensity, mp.russia)
        m3 = transshipment(st.reexports, blocked, st.capacity, self.intensity, e,
                           self.secondary, self.gdp, mp.M3)
        m2 = compliance_strain(0.0, c, self.intensity, 0.0, mp.M2)
        felt = felt_pressure(self.secondary, m3.evasion + m3.deterred, c, m3.penalties,
                             self.gdp, mp.M4)
        # u = income - west_weight * felt - russia_weight * horizon * coercion * grievance
        #     + doctrine, evaluated in that order in one (compliance, enforcement, runs) array
        u = np.multiply(felt, p.west_weight, out=felt)
        np.subtract(self.income_weight * (m3.margin - m3.penalties) / self.gdp, u, out=u)
        u -= p.russia_weight * p.horizon_months * self.coercion * m2.grievance
        u += self.doctrine(rus=m2.push_rus + m3.push_rus)
        return u.reshape(len(compliance) * len(enforcement), -1)

    def signal_utility(self, menu) -> np.ndarray:
        """Moscow's provocation, Western disapproval and doctrine for each signal."""
        mp, p = self.mp, self.p
        s = column(menu)
        p_rus, p_west, provoked = diplomatic_signal(s * p.signal_size, mp.M20)
        return (-p.russia_weight * self.coercion * provoked
                - p.west_weight * p.disapproval * np.maximum(0.0, -s)
                + self.doctrine(rus=p_rus, usa=p_west / 2.0, eu=p_west / 2.0))

    def coordination_utility(self, menu) -> np.ndarray:
        """Income spared by a joint regional position (M19) against the effort."""
        k = column(menu)
        spared = self.st.loss_share * (1.0 - regional_relief(k, self.diplomacy, self.mp.M19))
        return self.income_weight * spared - self.p.coordination_cost * k

    def route_utility(self, menu_bn) -> np.ndarray:
        """Oil moved off Russian routes over the horizon (M15) against the money, by CPC risk."""
        mp, st, p, refs = self.mp, self.st, self.p, self.obs.refs
        r = column(menu_bn)
        risk = self.coercion + st.cpc_days / 30.0
        moved = p.horizon_months * mp.M15.oil_build_per_bn * r / refs.oil_exports_mt
        return p.route_value * 100.0 * moved * risk - self.income_weight * r / self.gdp


class Multivector(KazakhPolicy):
    """Keep ties diversified: weigh every side's pressure and object to dependence on any one.

    Names: the multi-vector doctrine of all five articles; burkewhite2022_hill ("must maintain
    relations with Moscow and Beijing, Washington and Brussels"), bokhari2022_wt.
    """

    name = "multivector"
    sources = ("burkewhite2022_hill", "bokhari2022_wt", "bokhari2023_hill")


@dataclass(frozen=True)
class BandwagonParams(KazParams):
    """Bandwagon adds momentum: how strongly last month's net push is followed again."""

    momentum: float = field(default=1.0, metadata=effect(
        0, 5, "", "share of last month's push repeated", "assumption", (0.25, 1.0)))


class Bandwagon(KazakhPolicy):
    """Follow the largest net benefit: no doctrine, last month's push is followed again.

    Names: the alternative the articles warn of — crossfire_2023 ("Any missteps here could lead
    Kazakhstan to align more closely with Russia or China").
    """

    name = "bandwagon"
    sources = ("crossfire_2023",)
    Params = BandwagonParams

    def lean(self, obs: Observation):
        """Momentum: repeat last month's net push (also what its choices value)."""
        return self.params.momentum * obs.state.last_push


@dataclass(frozen=True)
class PivotParams(KazParams):
    """Westward pivot adds the strength of its westward lean."""

    pivot: float = field(default=0.02, metadata=effect(
        0, 1, "", "push from Russia and China toward the West the policy adds each month",
        "assumption", (0.005, 0.04)))


class WestwardPivot(KazakhPolicy):
    """Lean toward the West while keeping ties with all; never votes against the West.

    Names: pirbudagyan2022_isd ("As long as the West is willing, Astana will follow suit");
    bokhari2022_wt (distancing "from the Russian behavior that the world deplores").
    """

    name = "westward_pivot"
    sources = ("pirbudagyan2022_isd", "bokhari2022_wt")
    Params = PivotParams
    signal_menu = (0.0, 1.0)
    compliance_menu = (0.75, 1.0)

    def lean(self, obs: Observation):
        """A constant push from Russia and China to the US and the EU."""
        d = self.params.pivot
        out = np.zeros((obs.state.align.shape[0], 4))
        out[:, [RUS, CHN]], out[:, [USA, EU]] = -d, d
        return out


class StatusQuo(KazakhPolicy):
    """Hold the 2021 position: no public signals, no new routes, compliance never full.

    Names: bokhari2023_hill (the hope that "its balancing act would get it through this
    conflict with minimal cost").
    """

    name = "status_quo"
    sources = ("bokhari2023_hill",)
    signal_menu = (0.0,)
    compliance_menu = (0.5, 0.75)
    route_menu_bn = (0.0,)
