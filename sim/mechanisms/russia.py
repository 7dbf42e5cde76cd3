"""Russia's levers and standing: M7-M10 and M20.

Pure functions over run-axis arrays; parameter values are assumptions in
``configs/params/default.yaml`` (direction from the cited article).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np

from sim.schema import spec


@dataclass(frozen=True)
class EnergyLeverageParams:
    """M7 parameters (bokhari2022_wt, burkewhite2022_hill)."""

    deterrence: float = field(metadata=spec(0, 5, "",
                                            "push toward Russia per unit threatened disruption"))
    resentment: float = field(metadata=spec(0, 5, "",
                                            "push away from Russia per month of political outage"))
    min_days: float = field(metadata=spec(0, 31, "days", "shortest outage"))
    max_days: float = field(metadata=spec(0, 31, "days", "longest outage"))
    severity: float = field(metadata=spec(0, 1, "",
                                          "share of CPC throughput lost during an outage"))
    technical_rate: float = field(metadata=spec(0, 1, "1/month",
                                                "probability of a non-political outage"))

    def validate(self, where: str) -> None:
        """Check the outage length range is ordered."""
        from sim.errors import ConfigError
        if self.min_days > self.max_days:
            raise ConfigError(f"{where}.min_days must not exceed {where}.max_days")


class EnergyLeverage(NamedTuple):
    """M7 output for one month."""

    days: np.ndarray
    political_days: np.ndarray
    disrupted_share: np.ndarray
    push_threat: np.ndarray
    push_outage: np.ndarray


def energy_leverage(cpc_pressure, share_via_russia, cpc_fraction, draws, p: EnergyLeverageParams):
    """M7 Energy-route leverage: Russia can disrupt the CPC, through which most oil leaves.

    bokhari2022_wt: Russia "blocked on a couple of occasions Kazakhstani crude exports via the
    Caspian Pipeline Consortium"; burkewhite2022_hill: Kazakhstan "relies on Russian oil
    pipelines". Russia's chosen outage probability ``cpc_pressure`` (already scaled by its
    capacity) bites in proportion to the oil share routed through Russia. The threat deters
    (a push toward Russia, ``push_threat``); realised political outages
    are resented (``push_outage``). Non-political outages also occur. ``draws`` holds four
    uniform arrays: political outage, its length, technical outage, its length.
    ``cpc_fraction`` is the CPC's part of the Russian routes.
    """
    u_pol, u_pol_len, u_tech, u_tech_len = draws
    span = p.max_days - p.min_days
    political = (u_pol < cpc_pressure * share_via_russia) * (p.min_days + span * u_pol_len)
    technical = (u_tech < p.technical_rate) * (p.min_days + span * u_tech_len)
    days = np.minimum(30.0, political + technical)
    return EnergyLeverage(
        days=days,
        political_days=political,
        disrupted_share=days / 30.0 * p.severity * cpc_fraction * share_via_russia,
        push_threat=threat_push(cpc_pressure, share_via_russia, p),
        push_outage=-p.resentment * political / 30.0,
    )


def threat_push(cpc_pressure, share_via_russia, p: EnergyLeverageParams):
    """M7's deterrence: push toward Russia from a threatened disruption, by route exposure."""
    return p.deterrence * cpc_pressure * share_via_russia


@dataclass(frozen=True)
class SecurityParams:
    """M8 parameters (burkewhite2022_hill, bokhari2022_wt)."""

    deterrence: float = field(metadata=spec(0, 5, "", "push toward Russia per unit threat (fear)"))
    diversification: float = field(metadata=spec(0, 5, "",
                                                 "push away from Russia per unit threat (hedging)"))
    guarantee: float = field(metadata=spec(
        0, 5, "", "push toward Russia per unit CSTO offer above its 2021 level"))
    guarantee_ref: float = field(metadata=spec(0, 1, "", "the 2021 level of the security offer"))


def security_leverage(threat, security_offer, p: SecurityParams):
    """M8 Security leverage and sovereignty threats: they both deter and push to diversify.

    burkewhite2022_hill: through the CSTO "Russia offers international security and domestic
    stability"; bokhari2022_wt: Medvedev "questioned Kazakhstan's sovereignty", the CSTO force
    "was in and out ... largely symbolic". Returns the push on Russia (before capacity).
    """
    return ((p.deterrence - p.diversification) * threat
            + p.guarantee * (security_offer - p.guarantee_ref))


@dataclass(frozen=True)
class RussianOffersParams:
    """M9 parameters (bokhari2022_wt, pirbudagyan2022_isd)."""

    eaeu: float = field(metadata=spec(0, 5, "",
                                      "push toward Russia per unit EAEU offer above 2021"))
    eaeu_ref: float = field(metadata=spec(0, 1, "", "the 2021 level of EAEU market access"))
    gas_union: float = field(metadata=spec(0, 5, "", "push toward Russia per unit gas-union offer"))
    trade_growth: float = field(metadata=spec(
        0, 1, "1/yr", "Russian trade growth per unit EAEU offer above 2021"))
    ties: float = field(metadata=spec(0, 10, "",
                                      "push per unit change of Russia's trade share since 2021"))


class Offers(NamedTuple):
    """Output of an incentive mechanism: the offer push, the trade-ties push, trade growth."""

    push_offer: np.ndarray
    push_ties: np.ndarray
    trade_growth: np.ndarray


def russian_offers(eaeu_offer, gas_union, trade_share, trade_share0, p: RussianOffersParams):
    """M9 Russian geoeconomic offers: EAEU market access and a "gas union".

    bokhari2022_wt: Putin "called for a 'gas union'"; pirbudagyan2022_isd: the EAEU is
    "dominated by Russia". Offers above their 2021 level attract (before capacity scaling);
    EAEU access sustains Russian trade; the change in Russia's trade share since 2021 pulls.
    """
    return Offers(
        push_offer=p.eaeu * (eaeu_offer - p.eaeu_ref) + p.gas_union * gas_union,
        push_ties=p.ties * (trade_share - trade_share0),
        trade_growth=p.trade_growth * (eaeu_offer - p.eaeu_ref),
    )


@dataclass(frozen=True)
class DeclineParams:
    """M10 parameters (bokhari2022_wt)."""

    erosion: float = field(metadata=spec(0, 1, "1/month",
                                         "monthly loss of capacity at full pressure"))
    recovery: float = field(metadata=spec(0, 1, "1/month",
                                          "monthly recovery toward full capacity without pressure"))
    influence_loss: float = field(metadata=spec(0, 5, "",
                                                "push away from Russia per unit capacity lost"))


def russia_decline(capacity, pressure, p: DeclineParams):
    """M10 Russia's decline: sanctions and the war erode its capacity to coerce and to pay.

    bokhari2022_wt: "Russia's weakened position ... accelerating the decline of its influence".
    Returns (new capacity in (0, 1], push on Russia from lost standing).
    """
    new = np.clip(capacity + p.recovery * (1.0 - pressure) * (1.0 - capacity)
                  - p.erosion * pressure * capacity, 0.0, 1.0)
    return new, -p.influence_loss * (1.0 - new)


@dataclass(frozen=True)
class SignalParams:
    """M20 parameters (pirbudagyan2022_isd, bokhari2022_wt)."""

    strength: float = field(metadata=spec(0, 5, "",
                                          "push toward the West (and from Russia) per unit signal"))
    provocation: float = field(metadata=spec(0, 5, "",
                                             "Russian grievance per unit westward signal"))


def diplomatic_signal(signal, p: SignalParams):
    """M20 Diplomatic signals: non-recognition and similar acts shift alignment, provoke Moscow.

    pirbudagyan2022_isd: Tokayev called the breakaway regions "quasi-states"; bokhari2022_wt:
    no recognition of Donbas or Crimea. ``signal`` in [-1, 1] (westward positive). Returns
    (push on Russia, push on the West as a whole, grievance added).
    """
    return -p.strength * signal, p.strength * signal, p.provocation * np.maximum(0.0, signal)
