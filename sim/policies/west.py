"""US and EU policies: each reads the active sanctions design; the actors differ by data."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from sim.policies.base import Observation, Policy, WestAction, clip01, west_share
from sim.schema import effect
from sim.streams import Stream


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


@dataclass(frozen=True)
class WestParams:
    """Parameters of the Western policies (values in ``configs/policy_params``; assumptions)."""

    engagement_scale_bn: float = field(metadata=effect(
        0, 100, "USD bn/yr", "engagement money at design engagement 1", "assumption",
        (2.5, 10.0)))
    ramp: float = field(default=0.0, metadata=effect(
        0, 2, "1/yr", "yearly escalation of intensity while Russia holds (ratchet)",
        "assumption (crossfire_2023: 'Western powers tighten sanctions'; 0: off)", (0.0, 0.4)))
    evasion_response: float = field(default=0.0, metadata=effect(
        0, 5, "", "extra secondary pressure per USD bn/yr of re-exports (ratchet)",
        "assumption (E17: secondary-sanctions warnings; 0: off)", (0.0, 0.2)))
    ease: float = field(default=0.0, metadata=effect(
        0, 50, "", "secondary pressure eased per unit Western alignment lost (adaptive)",
        "assumption (0: off)", (0.0, 10.0)))
    compensate: float = field(default=0.0, metadata=effect(
        0, 100, "", "compensation added per unit income loss/GDP (adaptive)",
        "assumption (0: off)", (0.0, 40.0)))


class FollowDesign(Policy):
    """Apply the sanctions design as configured, with the actor's engagement and conditionality.

    Names: bokhari2023_hill (the sanctions regime and its calibration); burkewhite2022_hill
    (licences, clarity, engagement); crossfire_2023 (pressure on Kazakhstan).
    """

    name = "follow_design"
    actors = ("USA", "EU")
    sources = ("bokhari2023_hill", "burkewhite2022_hill", "crossfire_2023")
    Params = WestParams

    def levels(self, obs: Observation):
        """(intensity, secondary enforcement, compensation) before the policy's adjustments."""
        d = obs.design
        return d.intensity, d.secondary_enforcement, d.compensation

    def decide(self, obs: Observation, stream: Stream) -> WestAction:
        """Read the design; nothing is applied before the regime starts.

        Engagement money is the design's, scaled by M18's bridge value: a balanced Kazakhstan
        is offered more.
        """
        d, data, on = obs.design, self.data, float(obs.active)
        intensity, secondary, compensation = self.levels(obs)
        engagement = on * d.engagement
        return WestAction(
            sanctions=on * intensity,
            secondary=on * secondary,
            compensation=compensation,
            licences=d.licences,
            clarity=d.clarity,
            coalition_consistency=d.coalition_consistency,
            engagement_bn=(engagement * self.params.engagement_scale_bn * data.engagement_share
                           * obs.bridge),
            reform_support=engagement * data.reform_support,
            conditionality=data.conditionality,
            diplomacy=engagement,
            energy_demand=on * intensity * data.energy_buyer,
        )


class Ratchet(FollowDesign):
    """Escalate while Russia holds out, and press harder on observed evasion.

    Names: crossfire_2023 ("Western powers tighten sanctions"; concerns about evasion "attracting
    diplomatic attention from the US and EU"); row E17 (secondary-sanctions warnings).
    """

    name = "ratchet"
    sources = ("crossfire_2023",)

    def levels(self, obs: Observation):
        """Intensity ramps with time and Russian capacity; secondary pressure with re-exports."""
        d, p, st = obs.design, self.params, obs.state
        intensity = clip01(d.intensity + p.ramp * obs.months_active / 12.0 * st.capacity)
        secondary = clip01(d.secondary_enforcement + p.evasion_response * st.reexports)
        return intensity, secondary, d.compensation


class Adaptive(FollowDesign):
    """Calibrate on feedback: ease secondary pressure as Western alignment slips, compensate losses.

    Names: bokhari2023_hill ("calibrate the sanctions regime ... not have our allies and
    partners incur unnecessary economic pain and alienation"); burkewhite2022_hill ("must not
    ask too much").
    """

    name = "adaptive"
    sources = ("bokhari2023_hill", "burkewhite2022_hill")

    def levels(self, obs: Observation):
        """Secondary pressure eased by lost Western alignment; compensation raised by losses."""
        d, p, st = obs.design, self.params, obs.state
        slipped = np.maximum(0.0, west_share(obs.refs.align0[None, :]) - west_share(st.align))
        secondary = d.secondary_enforcement * clip01(1.0 - p.ease * slipped)
        compensation = clip01(np.maximum(d.compensation, p.compensate * st.loss_share))
        return d.intensity, secondary, compensation
