"""What a Western actor sees and predicts this month: the utility of each option of its menus.

The predictions are the mechanisms' own pure functions, broadcast over the menu (options
first, as :mod:`sim.choice` wants), evaluated on last month's state, as Kazakhstan's view does
(:mod:`sim.policies.kazakhstan`):

- **pressure on Russia**: the leakage an option closes, M3's ``deterred`` flow at the option's
  secondary pressure (:func:`~sim.economy.russia_trade.transshipment`) less what M24 displaces
  to other routes (:func:`~sim.economy.russia_trade.displace`), in USD bn/yr;
- **keeping the partner**: the Western alignment the option's pushes are predicted to win or
  lose over the horizon: M4's backfire of the felt pressure (:func:`felt_pressure`,
  :func:`backfire`, with M6's unfairness lowering the tolerance), M3's tie of evaders to
  Russia, and the engagement offer (M13's :func:`us_engagement` for export credits, M14's
  :func:`eu_partnership` for the partnership), scaled by M18's bridge value as M18 scales
  incentives;
- **money and trade cost**: the engagement money, a listing's trade cost (the EU's exports of
  listed goods lost) and political reluctance, and the cost of designating: a per-run price
  revealed by the stance (revealed preference, Samuelson 1938), set so that the stance's tempo
  is the best response in the regime's first month (:mod:`sim.policies.west`).

Option-independent terms (the alignment gradient, blocked imports, the others' pressure) are
computed once per run.
"""

from __future__ import annotations

import numpy as np

from sim.blocs import EU, RUS, USA
from sim.economy.russia_trade import blocked_imports, displace, transshipment
from sim.mechanisms.partners import eu_partnership, us_engagement
from sim.mechanisms.sanctions_costs import backfire, felt_pressure, unfairness
from sim.policies.base import Observation, west_share


class WestView:
    """One Western actor's predictions for this month (arrays (options, runs))."""

    def __init__(self, obs: Observation, data, params, intensity, secondary, bloc: int):
        st, mp = obs.state, obs.params
        self.obs, self.data, self.mp, self.st, self.bloc = obs, data, mp, st, bloc
        self.n = st.align.shape[0]
        self.gdp = st.gdp
        self.intensity = intensity
        self.stance_secondary = secondary
        # the other Western actor is expected at its stance (simultaneous moves)
        self.others = (1.0 - data.weight) * secondary
        self.blocked = blocked_imports(intensity, mp.russia)
        a = st.align
        kaz = (obs.last or {}).get("KAZ")
        rho = 1.0 if kaz is None else np.asarray(kaz.responsiveness, dtype=float)
        aw = west_share(a)
        # Linearised replicator (sim.stages.alignment.replicator) over the horizon: a push P
        # changes the West's share by sum_k grad_k P_k, grad_k = r rho H a_k (1[k West] - a_W).
        scale = mp.alignment.rate * rho * params.horizon_months
        # the West's alignment is worth more the further it has slipped since 2021
        worth = data.partner_weight * west_share(obs.refs.align0[None, :]) / aw
        self._worth, self._scale, self._west_share = worth, scale, aw
        self._values: dict[int, np.ndarray] = {}

    def value(self, k: int) -> np.ndarray:
        """``worth grad_k`` (runs,): bloc ``k``'s alignment (Russia or the West) in own units.

        Bloc by bloc, the same elementwise products as over the whole (runs, 4) array;
        computed when first read.
        """
        if k not in self._values:
            a, aw = self.st.align, self._west_share
            self._values[k] = self._worth * (self._scale * a[:, k]
                                             * ((1.0 if k in (USA, EU) else 0.0) - aw))
        return self._values[k]

    @property
    def value_west(self) -> np.ndarray:
        """The value of the West's alignment, the actor's own share weighted by its weight."""
        us_part = self.data.weight if self.bloc == USA else 1.0 - self.data.weight
        return self.value(USA) * us_part + self.value(EU) * (1.0 - us_part)

    def enforcement_gain(self, own_secondary, listing) -> np.ndarray:
        """Leakage closed and alignment kept of each (own secondary, listing) option.

        Less a listing's costs: everything but the cost of designating.
        """
        mp, st, data = self.mp, self.st, self.data
        s = data.weight * own_secondary + self.others
        m3 = transshipment(st.reexports, self.blocked, st.capacity, self.intensity,
                           st.enforcement, s + mp.M3.listing_secondary * listing, self.gdp,
                           mp.M3)
        closed = m3.deterred - displace(m3.deterred, mp.M24)
        felt = felt_pressure(s, m3.evasion + m3.deterred, st.compliance, m3.penalties,
                             self.gdp, mp.M4)
        unfair = unfairness(self.obs.design.coalition_consistency, felt, mp.M6)
        push_west = backfire(felt, mp.M4.tolerance - unfair, mp.M4) - mp.M6.resentment * unfair
        kept = self.value_west * push_west + self.value(RUS) * m3.push_rus
        eu_exports = st.imports[:, EU]
        cost = listing * (data.listing_reluctance
                          + data.money_weight * mp.M14.listing_trade_cost * eu_exports)
        return data.pressure_weight * closed + kept - cost

    def enforcement_utility(self, own_secondary, listing, designation_price) -> np.ndarray:
        """The gain of each option less ``designation_price`` (runs,) per unit own secondary.

        ``designation_price`` is the actor's marginal cost of designating, revealed by its
        stance (:meth:`sim.policies.west.WeighInstruments.designation_price`).
        """
        return (self.enforcement_gain(own_secondary, listing)
                - np.asarray(designation_price) * own_secondary)

    def engagement_utility(self, money_bn, level, stance_engagement) -> np.ndarray:
        """Western alignment bought by each engagement option against its money.

        ``money_bn`` is ``level`` times the stance's money: money beyond the stance's budget
        is dearer (cost ``money_weight·money·level``, marginal cost twice ``money_weight`` at
        the stance), so the choice moves with the value of alignment, not to a corner.
        """
        mp, data = self.mp, self.data
        if self.bloc == USA:
            offer = us_engagement(money_bn, level * stance_engagement * data.reform_support,
                                  data.conditionality, 0.0, 0.0, self.gdp, mp.M13).push_offer
        else:
            offer = eu_partnership(money_bn, 0.0, 0.0, 0.0, self.gdp, mp.M14).push_offer
        return (self.value(self.bloc) * offer * self.obs.bridge
                - data.money_weight * money_bn * level)
