"""Russia's levers and standing: M7-M10 and M20.

Pure functions over run-axis arrays; parameter values are assumptions in
``configs/params/default.yaml`` (direction from the cited article).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np

from sim.blocs import RUS
from sim.mechanisms.push import push
from sim.schema import FITTED, effect


@dataclass(frozen=True)
class EnergyLeverageParams:
    """M7 parameters (bokhari2022_wt, burkewhite2022_hill)."""

    deterrence: float = field(metadata=effect(
        0, 5, "", "push toward Russia per unit threatened disruption", "assumption",
        (0.05, 0.2)))
    resentment: float = field(metadata=effect(
        0, 5, "", "push away from Russia per month of political outage", "assumption",
        (0.025, 0.1)))
    min_days: float = field(metadata=effect(
        0, 31, "days", "shortest outage",
        "C10 C12: the July 2022 suspension lasted ~5 days, one SPM only for 10 days",
        (3.0, 10.0)))
    max_days: float = field(metadata=effect(
        0, 31, "days", "longest outage",
        "C10 C11 C13: a 30-day suspension ordered; SPM outages of about a month", (20.0, 31.0)))
    severity: float = field(metadata=effect(
        0, 1, "", "share of CPC throughput lost during an outage",
        "fitted: kzsim calibrate to kz2022 (configs/targets/kz2022.yaml); prior: C11-C13 "
        "two of three SPMs out at a time", (0.2, 1.0)))
    technical_rate: float = field(metadata=effect(
        0, 1, "1/month", "probability of a non-political outage",
        "assumption: C11-C13 (three non-political CPC outages in 2022, a bad year)",
        (0.02, 0.25)))

    def validate(self, where: str) -> None:
        """Check the outage length range is ordered."""
        from sim.errors import ConfigError
        if self.min_days > self.max_days:
            raise ConfigError(f"{where}.min_days must not exceed {where}.max_days")


class EnergyLeverage(NamedTuple):
    """M7 output for one month."""

    days: np.ndarray
    political_days: np.ndarray
    down: np.ndarray
    push_threat: np.ndarray
    push_outage: np.ndarray


def energy_leverage(cpc_pressure, share_via_russia, draws, p: EnergyLeverageParams):
    """M7 Energy-route leverage: Russia can disrupt the CPC, through which most oil leaves.

    bokhari2022_wt: Russia "blocked on a couple of occasions Kazakhstani crude exports via the
    Caspian Pipeline Consortium"; burkewhite2022_hill: Kazakhstan "relies on Russian oil
    pipelines". Russia's chosen outage probability ``cpc_pressure`` (already scaled by its
    capacity) bites in proportion to the oil share routed through Russia. The threat deters
    (a push toward Russia, ``push_threat``); realised political outages
    are resented (``push_outage``). Non-political outages also occur. ``draws`` holds four
    uniform arrays: political outage, its length, technical outage, its length. ``down`` is
    the share of CPC capacity out this month; what it costs follows from routing (M23).
    """
    u_pol, u_pol_len, u_tech, u_tech_len = draws
    span = p.max_days - p.min_days
    political = (u_pol < cpc_pressure * share_via_russia) * (p.min_days + span * u_pol_len)
    technical = (u_tech < p.technical_rate) * (p.min_days + span * u_tech_len)
    days = np.minimum(30.0, political + technical)
    return EnergyLeverage(
        days=days,
        political_days=political,
        down=days / 30.0 * p.severity,
        push_threat=threat_push(cpc_pressure, share_via_russia, p),
        push_outage=-p.resentment * political / 30.0,
    )


def threat_push(cpc_pressure, share_via_russia, p: EnergyLeverageParams):
    """M7's deterrence: push toward Russia from a threatened disruption, by route exposure."""
    return p.deterrence * cpc_pressure * share_via_russia


def _split(base, factors):
    """Attribute ``base * prod(factors)`` to the base and each factor in turn (exact sum)."""
    parts, acc = [base], base
    for f in factors:
        parts.append(acc * (f - 1.0))
        acc = acc * f
    return parts


def apply_m7(f) -> None:
    """M7 (stage ``routes``): outages this month and the threat's pull (via M15, M10)."""
    world, rstream = f.ctx.streams["world"], f.ctx.streams["RUS"]
    draws = (rstream.uniform(f.t, 0), rstream.uniform(f.t, 1),
             world.uniform(f.t, 0), world.uniform(f.t, 1))
    oil_share = f.s.oil_share
    m7 = energy_leverage(f.rus.cpc_pressure * f.power, oil_share, draws, f.p.M7)
    f.cpc_days, f.cpc_down = m7.days, m7.down
    parts = _split(threat_push(f.rus.cpc_pressure, f.r.oil_share0, f.p.M7),
                   (oil_share / f.r.oil_share0, f.power))
    f.add_push("M7", push(f.n, rus=parts[0] + m7.push_outage))
    if f.on.M15:
        f.add_push("M15", push(f.n, rus=parts[1]))
    else:
        f.add_push("M7", push(f.n, rus=parts[1]))
    if f.on.M10:
        f.add_push("M10", push(f.n, rus=parts[2]))


@dataclass(frozen=True)
class SecurityParams:
    """M8 parameters (burkewhite2022_hill, bokhari2022_wt)."""

    deterrence: float = field(metadata=effect(
        0, 5, "", "push toward Russia per unit threat (fear)", "assumption", (0.01, 0.04)))
    diversification: float = field(metadata=effect(
        0, 5, "", "push away from Russia per unit threat (hedging)",
        "assumption (bokhari2022_wt: Medvedev 'questioned Kazakhstan's sovereignty')",
        (0.02, 0.08)))
    guarantee: float = field(metadata=effect(
        0, 5, "", "push toward Russia per unit CSTO offer above its 2021 level", "assumption",
        (0.025, 0.1)))
    guarantee_ref: float = field(metadata=effect(
        0, 1, "", "the 2021 level of the security offer",
        "assumption: the 2021 level, amid Russia's policies' offers (0.4-0.7)", (0.3, 0.7)))


def security_leverage(threat, security_offer, p: SecurityParams):
    """M8 Security leverage and sovereignty threats: they both deter and push to diversify.

    burkewhite2022_hill: through the CSTO "Russia offers international security and domestic
    stability"; bokhari2022_wt: Medvedev "questioned Kazakhstan's sovereignty", the CSTO force
    "was in and out ... largely symbolic". Returns the push on Russia (before capacity).
    """
    return ((p.deterrence - p.diversification) * threat
            + p.guarantee * (security_offer - p.guarantee_ref))


def apply_m8(f) -> None:
    """M8 (stage ``politics``), scaled by Russia's capacity (the scaling is M10's)."""
    base8, via10 = _split(security_leverage(f.rus.threat, f.rus.security_offer, f.p.M8),
                          (f.power,))
    f.add_push("M8", push(f.n, rus=base8))
    if f.on.M10:
        f.add_push("M10", push(f.n, rus=via10))


@dataclass(frozen=True)
class RussianOffersParams:
    """M9 parameters (bokhari2022_wt, pirbudagyan2022_isd)."""

    eaeu: float = field(metadata=effect(
        0, 5, "", "push toward Russia per unit EAEU offer above 2021", "assumption",
        (0.025, 0.1)))
    eaeu_ref: float = field(metadata=effect(
        0, 1, "", "the 2021 level of EAEU market access",
        "assumption: the 2021 level, amid Russia's policies' offers (0.4-0.7)", (0.3, 0.7)))
    gas_union: float = field(metadata=effect(
        0, 5, "", "push toward Russia per unit gas-union offer",
        "assumption (bokhari2022_wt: Putin 'called for a gas union')", (0.01, 0.04)))
    trade_cost: float = field(metadata=effect(
        0, 1, "", "cut in the cost of Kazakh-Russian trade per unit EAEU offer above 2021",
        FITTED + "customs union with no internal border (pirbudagyan2022_isd)",
        (0.0, 0.1)))
    ties: float = field(metadata=effect(
        0, 10, "", "push per unit change of Russia's trade share since 2021", "assumption",
        (0.15, 0.6)))


class Offers(NamedTuple):
    """Output of an incentive mechanism.

    The offer push, the trade-ties push, and the trade-cost change it brings (negative:
    cheaper).
    """

    push_offer: np.ndarray
    push_ties: np.ndarray
    trade_cost: np.ndarray


def russian_offers(eaeu_offer, gas_union, trade_share, trade_share0, p: RussianOffersParams):
    """M9 Russian geoeconomic offers: EAEU market access and a "gas union".

    bokhari2022_wt: Putin "called for a 'gas union'"; pirbudagyan2022_isd: the EAEU is
    "dominated by Russia". Offers above their 2021 level attract (before capacity scaling);
    deeper EAEU access lowers the cost of Russian trade (M22 shares it out); the change in
    Russia's trade share since 2021 pulls.
    """
    return Offers(
        push_offer=offer_attraction(eaeu_offer, gas_union, p),
        push_ties=p.ties * (trade_share - trade_share0),
        trade_cost=eaeu_cost(eaeu_offer, p),
    )


def offer_attraction(eaeu_offer, gas_union, p: RussianOffersParams):
    """M9's pull of EAEU access above its 2021 level and of a gas union (before capacity)."""
    return p.eaeu * (eaeu_offer - p.eaeu_ref) + p.gas_union * gas_union


def eaeu_cost(eaeu_offer, p: RussianOffersParams):
    """The change in the cost of Kazakh-Russian trade from EAEU access above 2021."""
    return -p.trade_cost * (eaeu_offer - p.eaeu_ref)


def apply_m9_costs(f) -> None:
    """M9's EAEU trade-cost change (stage ``costs``)."""
    f.add_cost(RUS, eaeu_cost(f.rus.eaeu_offer, f.p.M9))


def apply_m9(f) -> None:
    """M9's offers and ties (stage ``incentives``); the offer's capacity scaling is M10's."""
    m9 = russian_offers(f.rus.eaeu_offer, f.rus.gas_union, f.share[:, RUS], f.r.share0[RUS],
                        f.p.M9)
    offer, via10 = _split(m9.push_offer, (f.power,))
    f.incentives.append(push(f.n, rus=offer + via10))
    f.add_push("M9", push(f.n, rus=offer + m9.push_ties))
    if f.on.M10:
        f.add_push("M10", push(f.n, rus=via10))


@dataclass(frozen=True)
class DeclineParams:
    """M10 parameters (bokhari2022_wt)."""

    erosion: float = field(metadata=effect(
        0, 1, "1/month", "monthly loss of capacity at full pressure", "assumption",
        (0.004, 0.012)))
    recovery: float = field(metadata=effect(
        0, 1, "1/month", "monthly recovery toward full capacity without pressure", "assumption",
        (0.005, 0.02)))
    influence_loss: float = field(metadata=effect(
        0, 5, "", "push away from Russia per unit capacity lost",
        "assumption (bokhari2022_wt: 'accelerating the decline of its influence')",
        (0.015, 0.06)))
    supply_cost: float = field(metadata=effect(
        0, 5, "", "elasticity of the cost of Russian supply to Russia's lost capacity",
        "assumption: Russia's own shortages raise its export prices", (0.2, 1.0)))


def russia_decline(capacity, pressure, p: DeclineParams):
    """M10 Russia's decline: sanctions and the war erode its capacity to coerce and to pay.

    bokhari2022_wt: "Russia's weakened position ... accelerating the decline of its influence".
    ``pressure`` is the pressure actually reaching Russia over its leak-free maximum, so
    leakage and carve-outs slow the decline. Returns (new capacity in (0, 1], push on Russia
    from lost standing).
    """
    new = np.clip(capacity + p.recovery * (1.0 - pressure) * (1.0 - capacity)
                  - p.erosion * pressure * capacity, 0.0, 1.0)
    return new, -p.influence_loss * (1.0 - new)


def apply_m10(f) -> None:
    """M10 (stage ``decline``): capacity eroded by the pressure that reaches Russia."""
    f.capacity, push10 = russia_decline(f.s.capacity, f.pressure.index, f.p.M10)
    f.add_push("M10", push(f.n, rus=push10))


def apply_m10_costs(f) -> None:
    """M10's cost of Russian supply as Russia's capacity falls (stage ``costs``)."""
    f.cost_m[:, RUS] += np.maximum(f.s.capacity, 1e-6) ** (-f.p.M10.supply_cost) - 1.0


@dataclass(frozen=True)
class SignalParams:
    """M20 parameters (pirbudagyan2022_isd, bokhari2022_wt)."""

    strength: float = field(metadata=effect(
        0, 5, "", "push toward the West (and from Russia) per unit signal", "assumption",
        (0.025, 0.1)))
    provocation: float = field(metadata=effect(
        0, 5, "", "Russian grievance per unit westward signal",
        "assumption (E08: the CPC court order came 19 days after a westward signal)",
        (0.25, 1.0)))


def diplomatic_signal(signal, p: SignalParams):
    """M20 Diplomatic signals: non-recognition and similar acts shift alignment, provoke Moscow.

    pirbudagyan2022_isd: Tokayev called the breakaway regions "quasi-states"; bokhari2022_wt:
    no recognition of Donbas or Crimea. ``signal`` in [-1, 1] (westward positive). Returns
    (push on Russia, push on the West as a whole, grievance added).
    """
    return -p.strength * signal, p.strength * signal, p.provocation * np.maximum(0.0, signal)


def apply_m20(f) -> None:
    """M20 (stage ``politics``)."""
    p_rus, p_west, provoked = diplomatic_signal(f.kaz.signal, f.p.M20)
    f.grievance = f.grievance + provoked
    f.add_push("M20", push(f.n, rus=p_rus, usa=p_west / 2.0, eu=p_west / 2.0))
