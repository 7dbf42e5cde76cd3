"""US and EU policies: the design is their stance; each actor weighs its own instruments.

``weigh_instruments`` (the default) chooses every month, by logit choice over small menus
(:mod:`sim.choice`: McFadden 1974; McKelvey & Palfrey 1995), among the instruments the actor
holds (``WestActorData.instruments``): the US designates Kazakh firms caught evading at a
tempo around the stance's secondary enforcement and offers export credits (M13); the EU may
list Kazakhstan under its anti-circumvention tool and offers its trade and energy partnership
(M14). The design says what the West wants; the actor then adapts to what it observes: the
US's cost of designating is revealed by its stance (revealed preference, Samuelson 1938;
calibrated so that the observed policy is optimal, as in inverse optimisation), so in the
regime's first month the stance is its best response, and its choice moves away from the
stance only as conditions change. Both actors are the same class and differ by data
(``configs/actors``). ``ratchet`` and ``adaptive`` move the stance on observed evasion and
alignment, then choose around it.
``follow_design`` applies the design literally: the ablation without Western choice.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from sim.blocs import EU, USA
from sim.choice import column, grid, logit_choice, pick, reveal_once, revealed_price
from sim.errors import ConfigError
from sim.policies.base import Observation, Policy, WestAction, clip01, west_share
from sim.policies.west_view import WestView
from sim.schema import effect, spec
from sim.state import first_rows
from sim.streams import Stream

INSTRUMENTS = {
    "designations": "secondary sanctions on Kazakh firms caught evading (US; chosen)",
    "export_credits": "export credits and investment finance (US; M13; chosen)",
    "c5_diplomacy": "C5+1 diplomacy (US; M19; the stance's engagement)",
    "tariffs": "tariffs on Kazakh goods (US; dated events only)",
    "packages": "sanctions packages on Russia (EU; the stance's intensity)",
    "export_controls": "controls on high-priority goods (EU; the stance's intensity)",
    "anti_circumvention": "listing under the anti-circumvention tool (EU; chosen)",
    "partnership": "trade and energy partnership (EU; M14; chosen)",
    "corridor_funding": "Middle Corridor funding (EU; M15's share of engagement money)",
}
"""Instruments an actor may hold; each maps to a lever of ``WestAction``."""


@dataclass(frozen=True)
class WestActorData:
    """What distinguishes the US from the EU (values in ``configs/actors``; assumptions)."""

    weight: float = field(metadata=effect(
        0, 1, "", "share in the West's sanctions and secondary pressure", "assumption",
        (0.3, 0.7)))
    engagement_share: float = field(metadata=effect(
        0, 1, "", "share of the design's engagement money offered",
        "assumption (D06 D09 D10: the EU the largest investor, the US ~15% of FDI)",
        (0.2, 0.8)))
    reform_support: float = field(metadata=effect(
        0, 1, "", "reform support per unit engagement",
        "assumption (burkewhite2022_hill: 'supporting — not imposing')", (0.15, 0.75)))
    conditionality: float = field(metadata=effect(
        0, 1, "", "democracy conditionality imposed", "assumption (pirbudagyan2022_isd)",
        (0.05, 0.4)))
    energy_buyer: float = field(metadata=effect(
        0, 1, "", "extra demand for Kazakh oil per unit sanctions intensity",
        "assumption (crossfire_2023: Europe seeks non-Russian energy; the US none)",
        (0.0, 1.0)))
    instruments: tuple[str, ...] = field(metadata=spec(
        doc="instruments the actor holds (names of sim.policies.west.INSTRUMENTS); exactly "
            "one of export_credits (M13) and partnership (M14)"))
    pressure_weight: float = field(metadata=effect(
        0, 20, "", "utility per USD bn/yr of leakage to Russia closed (pressure on Russia)",
        "assumption (crossfire_2023: evasion 'attracting diplomatic attention from the US "
        "and EU')", (0.5, 2.0)))
    partner_weight: float = field(metadata=effect(
        0, 1000, "USD bn/yr", "utility per unit of Western alignment share won over the "
        "horizon, at the 2021 share (keeping the partner)",
        "assumption (burkewhite2022_hill: 'must not ask too much'; bokhari2023_hill: "
        "'alienation')", (20.0, 120.0)))
    money_weight: float = field(metadata=effect(
        0, 20, "", "utility per USD bn/yr of engagement money or trade lost",
        "assumption: set so the 2022 stance's engagement is about the best response in 2022 "
        "(the US's money buys less alignment: its share is smaller)", (0.1, 1.5)))
    designation_cost: float = field(metadata=effect(
        0, 50, "USD bn/yr", "fallback cost of designations at full own secondary pressure, "
        "used only where the stance does not reveal it (a stance of no secondary enforcement; "
        "half of it where clipping merges the upper tempo with the stance)",
        "assumption: the cost of designating is otherwise revealed per run by the stance "
        "(WeighInstruments.designation_price; Samuelson 1938)", (1.0, 5.0)))
    listing_reluctance: float = field(metadata=effect(
        0, 50, "USD bn/yr", "political cost of listing a partner under the anti-circumvention "
        "tool", "assumption: Council Regulation (EU) 2023/1214 makes it an exceptional, "
        "last-resort measure after dialogue", (1.0, 4.0)))

    def validate(self, where: str) -> None:
        """Known instruments, and one engagement channel (M13 or M14)."""
        unknown = [name for name in self.instruments if name not in INSTRUMENTS]
        if unknown:
            raise ConfigError(f"{where}.instruments has unknown instrument '{unknown[0]}'; "
                              f"valid instruments: {', '.join(INSTRUMENTS)}")
        if ("export_credits" in self.instruments) == ("partnership" in self.instruments):
            raise ConfigError(f"{where}.instruments must hold exactly one of export_credits "
                              "(M13, the US) and partnership (M14, the EU)")

    def holds(self, instrument: str) -> bool:
        """Whether the actor holds ``instrument``."""
        return instrument in self.instruments

    @property
    def bloc(self) -> int:
        """The alignment bloc its engagement money pulls toward (USA for export credits)."""
        return USA if self.holds("export_credits") else EU


@dataclass(frozen=True)
class WestParams:
    """Parameters of the literal Western policy (values in ``configs/policy_params``)."""

    engagement_scale_bn: float = field(metadata=effect(
        0, 100, "USD bn/yr", "engagement money at design engagement 1", "assumption",
        (2.5, 10.0)))


@dataclass(frozen=True)
class WeighParams(WestParams):
    """Parameters of the choosing Western policies (assumptions)."""

    temperature: float = field(default=0.05, metadata=effect(
        0, 10, "USD bn/yr", "logit temperature: 0 is best response, larger is noisier choice",
        "assumption (McKelvey & Palfrey 1995)", (0.02, 0.2)))
    horizon_months: float = field(default=12.0, metadata=effect(
        1, 60, "months", "how far ahead alignment effects are weighed", "assumption",
        (6.0, 24.0)))


@dataclass(frozen=True)
class RatchetParams(WeighParams):
    """The ratchet's escalation (assumptions)."""

    ramp: float = field(default=0.0, metadata=effect(
        0, 2, "1/yr", "yearly escalation of intensity while Russia holds (ratchet)",
        "assumption (crossfire_2023: 'Western powers tighten sanctions'; 0: off)", (0.0, 0.4)))
    evasion_response: float = field(default=0.0, metadata=effect(
        0, 5, "", "extra secondary pressure per USD bn/yr of re-exports (ratchet)",
        "assumption (E17: secondary-sanctions warnings; 0: off)", (0.0, 0.2)))


@dataclass(frozen=True)
class AdaptiveParams(WeighParams):
    """The adaptive policy's feedback (assumptions)."""

    ease: float = field(default=0.0, metadata=effect(
        0, 50, "", "secondary pressure eased per unit Western alignment lost (adaptive)",
        "assumption (0: off)", (0.0, 10.0)))
    compensate: float = field(default=0.0, metadata=effect(
        0, 100, "", "compensation added per unit income loss/GDP (adaptive)",
        "assumption (0: off)", (0.0, 40.0)))


class FollowDesign(Policy):
    """Apply the sanctions design literally: the ablation without Western choice.

    Every lever is the design's (the stance), with the actor's engagement share, reform
    support, conditionality and energy demand; nothing is weighed. Names: bokhari2023_hill
    (the sanctions regime and its calibration); burkewhite2022_hill (licences, clarity,
    engagement); crossfire_2023 (pressure on Kazakhstan).
    """

    name = "follow_design"
    actors = ("USA", "EU")
    sources = ("bokhari2023_hill", "burkewhite2022_hill", "crossfire_2023")
    Params = WestParams

    def levels(self, obs: Observation):
        """The stance: (intensity, secondary enforcement, compensation) of the design."""
        d = obs.design
        return d.intensity, d.secondary_enforcement, d.compensation

    def decide(self, obs: Observation, stream: Stream) -> WestAction:
        """Read the design; nothing is applied before the regime starts.

        Engagement money is the design's, scaled by M18's bridge value: a balanced Kazakhstan
        is offered more.
        """
        intensity, secondary, compensation = self.levels(obs)
        return self.action(obs, intensity, secondary, compensation, 1.0, 1.0, 0.0)

    def action(self, obs: Observation, intensity, secondary, compensation, tempo, level,
               listing) -> WestAction:
        """The action at the stance with the chosen instruments.

        Designations at ``tempo`` times the stance's secondary enforcement, engagement at
        ``level`` times the stance's, and the anti-circumvention ``listing`` (0 or 1).
        """
        d, data, on = obs.design, self.data, float(obs.active)
        designations = on * clip01(tempo * secondary) if data.holds("designations") else 0.0
        own_secondary = designations if data.holds("designations") else on * secondary
        engagement = on * level * d.engagement
        return WestAction(
            sanctions=on * intensity,
            secondary=own_secondary,
            compensation=compensation,
            licences=d.licences,
            clarity=d.clarity,
            coalition_consistency=d.coalition_consistency,
            engagement_bn=(engagement * self.params.engagement_scale_bn * data.engagement_share
                           * obs.bridge),
            reform_support=engagement * data.reform_support,
            conditionality=data.conditionality,
            diplomacy=self.diplomacy(on * d.engagement),
            energy_demand=on * intensity * data.energy_buyer,
            designations=designations,
            anti_circumvention=on * listing,
            export_controls=on * intensity if data.holds("export_controls") else 0.0,
        )

    def diplomacy(self, engagement):
        """C5+1 diplomacy: the stance's engagement (read from the US by M19)."""
        return engagement


class WeighInstruments(FollowDesign):
    """Weigh the actor's own instruments each month around its stance (the design).

    Two logit choices (stream slots 0 and 1; McFadden 1974): the enforcement menu, designation
    tempo x listing (the US: tempo {0.5, 1, 1.5} x the stance's secondary enforcement, clipped
    to [0, 1]; the EU: list Kazakhstan or not), and the engagement menu ({0.5, 1, 1.5} x the
    stance's engagement money). Utilities (:class:`~sim.policies.west_view.WestView`): leakage
    to Russia closed, Western alignment kept, money and trade cost, weighted by the actor's
    data. An instrument the actor does not hold stays at the stance.

    The design is the actor's stance, and it reveals the actor's preferences: the cost of
    designating is the per-run price that makes tempo 1 the best response in the first active
    month (:meth:`designation_price`), kept from then on. The stance has no listing, so a
    listing keeps its assumed reluctance cost and stays rare; the engagement money keeps its
    assumed ``money_weight``, under which the stance's level is already the modal choice in
    the first year (measured: 39% US and 52% EU of the first 12 months under the 2022 stance;
    61% and 95% under ``calibrated``).

    Names: crossfire_2023 (evasion "attracting diplomatic attention from the US and EU";
    "Overly aggressive approaches could push Kazakhstan closer to ... China");
    burkewhite2022_hill (export credits, "must not ask too much"); bokhari2023_hill
    ("unnecessary economic pain and alienation").
    """

    name = "weigh_instruments"
    sources = ("crossfire_2023", "burkewhite2022_hill", "bokhari2023_hill")
    chooses_by_logit = True
    Params = WeighParams
    tempo_menu: tuple[float, ...] = (0.5, 1.0, 1.5)
    listing_menu: tuple[float, ...] = (0.0, 1.0)
    engagement_menu: tuple[float, ...] = (0.5, 1.0, 1.5)

    def reset(self, n_runs: int) -> None:
        """Forget the revealed price of designating (per run; revealed again when active)."""
        self._designation_price = np.full(n_runs, np.nan)

    def decide(self, obs: Observation, stream: Stream) -> WestAction:
        """Pick a designation tempo and listing, then an engagement level.

        In a paired no-sanctions counterfactual (``obs.sanctions`` false) the tempo and
        listing are not weighed: the model replaces the levers they set. In a batch whose
        counterfactual rows follow its runs they are weighed in the runs' rows only
        (``obs.runs``), and the counterfactual rows take tempo 1 without listing.
        """
        intensity, secondary, compensation = self.levels(obs)
        if not obs.active:
            return self.action(obs, intensity, secondary, compensation, 1.0, 1.0, 0.0)
        p, data, d = self.params, self.data, obs.design
        view = WestView(obs, data, p, intensity, secondary, data.bloc)
        tempo, listing = grid(self.tempo_menu if data.holds("designations") else (1.0,),
                              self.listing_menu if data.holds("anti_circumvention") else (0.0,))
        if len(tempo) > 1 and obs.sanctions:   # a counterfactual's levers are replaced
            tempo, listing = self.weigh_enforcement(obs, view, stream, tempo, listing,
                                                    intensity, secondary)
        else:
            tempo, listing = 1.0, 0.0
        level = 1.0
        if data.holds("export_credits") or data.holds("partnership"):
            menu = np.asarray(self.engagement_menu)[:, None]
            money = menu * (d.engagement * p.engagement_scale_bn * data.engagement_share
                            * obs.bridge)
            k = logit_choice(view.engagement_utility(money, menu, d.engagement),
                             p.temperature, stream.uniform(obs.turn, 1))
            level = pick(self.engagement_menu, k)
        return self.action(obs, intensity, secondary, compensation, tempo, level, listing)

    def weigh_enforcement(self, obs: Observation, view: WestView, stream: Stream, tempo,
                          listing, intensity, secondary):
        """The chosen designation tempo and listing (runs,) by logit choice over their grid.

        Weighed in the rows of ``obs.runs`` when the batch has counterfactual rows (tempo 1
        without listing in those, whose levers the model replaces).
        """
        p, data = self.params, self.data
        rows = view.n
        if obs.runs is not None:
            n = obs.runs.state.align.shape[0]
            intensity, secondary = (first_rows(v, n, rows) for v in (intensity, secondary))
            view = WestView(obs.runs, data, p, intensity, secondary, data.bloc)
        if data.holds("designations"):
            own = clip01(tempo * secondary)
            price = self.designation_price(view, secondary)
        else:       # the stance's pressure in every option: no designating to price
            own, price = secondary + 0.0 * tempo, 0.0
        k = logit_choice(view.enforcement_utility(own, listing, price), p.temperature,
                         stream.uniform(obs.turn, 0)[:view.n])
        tempo, listing = pick(tempo[:, 0], k), pick(listing[:, 0], k)
        if view.n < rows:
            tempo = np.concatenate([tempo, np.ones(rows - view.n)])
            listing = np.concatenate([listing, np.zeros(rows - view.n)])
        return tempo, listing

    def designation_price(self, view: WestView, secondary) -> np.ndarray:
        """The actor's marginal cost of designating (runs,), revealed by its stance.

        Revealed preference (Samuelson 1938), by inverse optimisation (the policy is calibrated
        so that the observed one is optimal): the design says what the West wants, so in the
        first month the actor acts, its stance's tempo (1) is made its best response. The
        gains of the tempo options without listing, ``U(τ) = pressure_weight·closed(τ) +
        kept(τ)``, are predicted in that month, and the price ``c`` per unit own secondary is
        :func:`~sim.choice.revealed_price` of ``U`` over ``s(τ) = clip(τ·S)``: the midpoint of
        ``[(U(1.5) - U(1))/(s(1.5) - s(1)), (U(1) - U(0.5))/(s(1) - s(0.5))]``, or the chord
        slope ``(U(1.5) - U(0.5))/(s(1.5) - s(0.5))`` where ``U`` is convex and the interval
        empty. Where the stance designates nothing (``S = 0``) the assumed
        ``designation_cost`` is used; where clipping makes ``s(1.5) = s(1)`` the upper bound
        less ``designation_cost/2``. A negative ``c`` means the stance designates more than
        the leakage closed and the alignment kept would justify: the actor values designating
        for itself (resolve, signalling to Russia and to other evaders).

        ``c`` is kept from that month on (per run; cleared by :meth:`reset`): the actor then
        adapts to what it observes, designating faster as evasion becomes worth closing and
        slower as Western alignment slips, and a stance that moves later (``ratchet``,
        ``adaptive``) is weighed at the same price.
        """
        def reveal():
            s = np.broadcast_to(clip01(column(self.tempo_menu) * secondary),
                                (len(self.tempo_menu), view.n))
            return revealed_price(view.enforcement_gain(s, 0.0), s, self.data.designation_cost)

        kept = self._designation_price[:view.n]   # the weighed rows (the runs')
        price = reveal_once(kept, reveal)
        if price is not kept:
            kept[:] = price
        return kept

    def diplomacy(self, engagement):
        """C5+1 diplomacy only from an actor that holds it (the US)."""
        return engagement if self.data.holds("c5_diplomacy") else 0.0


class Ratchet(WeighInstruments):
    """Escalate while Russia holds out, and press harder on observed evasion; then weigh.

    The stance moves, and the instruments are weighed around it: intensity ramps with time
    and Russia's capacity, secondary enforcement rises with the re-exports observed. Names:
    crossfire_2023 ("Western powers tighten sanctions"; concerns about evasion "attracting
    diplomatic attention from the US and EU"); row E17 (secondary-sanctions warnings).
    """

    name = "ratchet"
    sources = ("crossfire_2023",)
    Params = RatchetParams

    def levels(self, obs: Observation):
        """Intensity ramps with time and Russian capacity; secondary pressure with re-exports."""
        d, p, st = obs.design, self.params, obs.state
        intensity = clip01(d.intensity + p.ramp * obs.months_active / 12.0 * st.capacity)
        secondary = clip01(d.secondary_enforcement + p.evasion_response * st.reexports)
        return intensity, secondary, d.compensation


class Adaptive(WeighInstruments):
    """Calibrate on feedback, then weigh the instruments around that stance.

    Secondary pressure eases as Western alignment slips; income losses are compensated.

    Names: bokhari2023_hill ("calibrate the sanctions regime ... not have our allies and
    partners incur unnecessary economic pain and alienation"); burkewhite2022_hill ("must not
    ask too much").
    """

    name = "adaptive"
    sources = ("bokhari2023_hill", "burkewhite2022_hill")
    Params = AdaptiveParams

    def levels(self, obs: Observation):
        """Secondary pressure eased by lost Western alignment; compensation raised by losses."""
        d, p, st = obs.design, self.params, obs.state
        slipped = np.maximum(0.0, west_share(obs.refs.align0[None, :]) - west_share(st.align))
        secondary = d.secondary_enforcement * clip01(1.0 - p.ease * slipped)
        compensation = clip01(np.maximum(d.compensation, p.compensate * st.loss_share))
        return d.intensity, secondary, compensation
