"""Mechanisms of the sanctions regime's side effects on Kazakhstan: M1-M6 and M19.

Every function is pure: arrays in (a leading run axis, or scalars that broadcast), arrays out.
Each ``apply_*`` adapter reads a turn's frame (:class:`sim.world.Frame`), calls the pure
function and writes its results back; the registry (``sim.mechanisms``) says at which stage.
Effect sizes carry their source and prior range (:func:`sim.schema.effect`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np

from sim.blocs import RUS
from sim.economy.russia_trade import TransshipmentParams, transshipment
from sim.mechanisms.push import push, west
from sim.schema import FITTED, effect

__all__ = ["TransshipmentParams", "transshipment"]


@dataclass(frozen=True)
class BystanderParams:
    """M1 parameters (bokhari2023_hill)."""

    friction: float = field(metadata=effect(
        0, 1, "", "ad-valorem cost of trade with Russia per unit sanctions intensity",
        "fitted: kzsim calibrate to kz2022 (configs/targets/kz2022.yaml); prior: payment "
        "delays and bank de-risking (bokhari2023_hill)", (0.05, 0.25)))
    over_compliance: float = field(metadata=effect(
        0, 5, "", "extra friction from over-compliance when the reach is unclear",
        "assumption (burkewhite2022_hill: 'clarify the reach')", (0.2, 1.0)))
    accumulation: float = field(metadata=effect(
        0, 10, "1/yr", "growth of the friction per year without a review",
        "assumption (bokhari2023_hill: 'open-ended process')", (0.0, 0.3)))
    resentment: float = field(metadata=effect(
        0, 100, "", "push away from the West per unit income loss / GDP",
        "assumption", (1.5, 4.5)))


def bystander_friction(intensity, months_under, relief, p: BystanderParams):
    """M1 Bystander cost: sanctions on Russia raise the cost of Kazakhstan's Russian trade.

    bokhari2023_hill: "Sanctions did not come with a mechanism to compensate innocent
    bystanders"; they "did not count on them being an open-ended process". Returns the
    ad-valorem trade-cost increase on Russian trade: proportional to intensity, with
    over-compliance, growing with the months since the last review, reduced by ``relief``
    (M5, M19). Its welfare cost follows from substitution (M22), not from a coefficient.
    """
    return (p.friction * intensity * (1.0 + p.over_compliance)
            * (1.0 + p.accumulation * months_under / 12.0) * relief)


def resentment_push(loss_share, p: BystanderParams):
    """Push away from the West (negative) from the income lost to sanctions (M1)."""
    return -p.resentment * loss_share


def apply_m1_costs(f) -> None:
    """M1's friction on Russian trade (stage ``costs``)."""
    pay = bystander_friction(f.intensity, f.ctx.months_under, f.relief, f.p.M1)
    f.add_cost(RUS, pay)


def apply_m1_push(f) -> None:
    """M1's resentment of the measured loss (stage ``income``)."""
    f.add_push("M1", west(f.n, resentment_push(f.loss_share, f.p.M1), f.usa_share))


@dataclass(frozen=True)
class CalibrationParams:
    """M5 parameters (bokhari2023_hill, burkewhite2022_hill)."""

    licence_coverage: float = field(metadata=effect(
        0, 1, "", "share of the friction a full licence regime removes",
        "assumption", (0.5, 0.9)))


def calibration_relief(licences, clarity, over_compliance, p: CalibrationParams):
    """M5 Calibration: licences, carve-outs and clarity remove part of the bystander friction.

    bokhari2023_hill: "calibrate the sanctions regime"; burkewhite2022_hill: "clarify the reach
    of sanctions and grant ... licenses where necessary". Returns a factor in (0, 1] on M1's
    friction: licences exempt trade, clarity removes the over-compliance ("chilling") part.
    Licences are not free: they give back part of the pressure on Russia (carve-outs).
    """
    return ((1.0 - p.licence_coverage * licences)
            * (1.0 + over_compliance * (1.0 - clarity)) / (1.0 + over_compliance))


def apply_m5(f) -> None:
    """M5's relief on M1's friction (stage ``politics``)."""
    f.relief = f.relief * calibration_relief(f.licences, f.clarity, f.p.M1.over_compliance,
                                             f.p.M5)


@dataclass(frozen=True)
class RegionalParams:
    """M19 parameters (crossfire_2023)."""

    relief: float = field(metadata=effect(
        0, 1, "", "friction share removed by full regional coordination", "assumption",
        (0.1, 0.4)))


def regional_relief(coordination, diplomacy, p: RegionalParams):
    """M19 Regional coordination (C5+1): a joint Central Asian position softens side effects.

    crossfire_2023: Kazakhstan advocates "a unified regional position" within C5+1. Kazakh
    coordination effort counts fully when the US engages through C5+1 and half otherwise.
    Returns a factor in (0, 1] on the bystander friction.
    """
    return 1.0 - p.relief * coordination * (0.5 + 0.5 * diplomacy)


def apply_m19(f) -> None:
    """M19's relief on M1's friction (stage ``politics``)."""
    f.relief = f.relief * regional_relief(f.kaz.coordination, f.usa.diplomacy, f.p.M19)


@dataclass(frozen=True)
class ComplianceStrainParams:
    """M2 parameters (bokhari2023_hill)."""

    strain: float = field(metadata=effect(
        0, 5, "", "push away from Russia per unit compliance x intensity", "assumption",
        (0.01, 0.04)))
    grievance_rate: float = field(metadata=effect(
        0, 5, "", "Russian grievance added per unit compliance x intensity", "assumption",
        (0.02, 0.1)))
    grievance_decay: float = field(metadata=effect(
        0, 1, "1/month", "monthly decay of Russian grievance", "assumption", (0.05, 0.2)))
    retaliation_cost: float = field(metadata=effect(
        0, 2, "", "ad-valorem cost on Kazakh exports to Russia at full retaliation",
        FITTED + "2025 restrictions on Kazakh farm goods (events_2025)", (0.05, 0.3)))


class ComplianceStrain(NamedTuple):
    """M2 output."""

    push_rus: np.ndarray
    grievance: np.ndarray
    export_cost: np.ndarray


def compliance_strain(grievance, compliance, intensity, retaliation, p: ComplianceStrainParams):
    """M2 Compliance strains relations with Russia, and Moscow retaliates in trade.

    bokhari2023_hill: complying "threatens to aggravate relations with Moscow". Compliance with
    an intense regime adds to Russia's grievance (which its policies read) and pushes away from
    Russia; Russian retaliation raises the cost of Kazakh exports to Russia (M22 turns that
    into lost sales and diversion).
    """
    strain = compliance * intensity
    return ComplianceStrain(
        push_rus=-p.strain * strain,
        grievance=grievance + p.grievance_rate * strain,
        export_cost=p.retaliation_cost * retaliation,
    )


def apply_m2(f) -> None:
    """M2 (stage ``politics``); its export cost is added at stage ``costs``."""
    m2 = compliance_strain(f.grievance, f.kaz.compliance, f.intensity,
                           f.rus.retaliation * f.power, f.p.M2)
    f.grievance, f.retaliation_cost = m2.grievance, m2.export_cost
    f.add_push("M2", push(f.n, rus=m2.push_rus))


def apply_m2_costs(f) -> None:
    """M2's retaliation cost on exports to Russia (stage ``costs``)."""
    f.cost_x[:, RUS] += f.retaliation_cost


def apply_m3(f) -> None:
    """M3 Transshipment (stage ``evasion``): see :func:`sim.economy.russia_trade.transshipment`.

    An EU anti-circumvention listing (``f.listing``, stage ``stance``) deters on the route as
    extra secondary pressure; it is not a demand on Kazakh firms, so M4 does not read it.
    """
    m3 = transshipment(f.s.reexports, f.blocked, f.power, f.intensity, f.kaz.enforcement,
                       f.secondary + f.listing, f.s.gdp, f.p.M3)
    f.flow, f.evasion, f.deterred = m3.flow, m3.evasion, m3.deterred
    f.margin, f.penalties = m3.margin, m3.penalties
    f.add_push("M3", push(f.n, rus=m3.push_rus))


@dataclass(frozen=True)
class BackfireParams:
    """M4 parameters (crossfire_2023, burkewhite2022_hill)."""

    tolerance: float = field(metadata=effect(
        0, 2, "", "felt Western pressure Kazakhstan bears without backlash", "assumption",
        (0.3, 0.7)))
    strength: float = field(metadata=effect(
        0, 5, "", "push away from the West per unit felt pressure above tolerance",
        "assumption", (0.15, 0.45)))
    evasion_ref: float = field(metadata=effect(
        0.01, 100, "USD bn/yr", "policed flow (evaded or deterred) at which Western demands "
        "on Kazakhstan are at full strength", "assumption: of the order of B03's +1.76 bn",
        (0.5, 3.0)))
    penalty_weight: float = field(metadata=effect(
        0, 1000, "", "felt pressure per unit penalties imposed / GDP", "assumption",
        (50.0, 300.0)))
    compliance_relief: float = field(default=0.4, metadata=effect(
        0, 1, "", "share of Western demands a fully compliant Kazakhstan is spared",
        "assumption (bokhari2023_hill: Astana 'worked hard to block attempts at sanctions "
        "evasion' and was spared secondary measures)", (0.1, 0.7)))


def felt_pressure(secondary, policed, compliance, penalties, gdp, p: BackfireParams):
    """What the West actually does to Kazakhstan (read by M4 and M6, and by Kazakhstan's choice).

    Demands in proportion to the West's secondary enforcement and to the flow of sanctioned
    goods it polices on the Kazakh route (evaded or deterred), fewer for a compliant
    Kazakhstan, plus the penalties imposed on detected evasion. With nothing sanctioned there
    is nothing to police and nothing is felt.
    """
    demands = secondary * np.minimum(1.0, policed / p.evasion_ref)
    return demands * (1.0 - p.compliance_relief * compliance) + p.penalty_weight * penalties / gdp


def backfire(felt, tolerance, p: BackfireParams):
    """M4 Backfire: Western pressure beyond what Kazakhstan can bear pushes it away.

    crossfire_2023: "Overly aggressive approaches could push Kazakhstan closer to ... China,
    or even back into Moscow's orbit"; burkewhite2022_hill: "must not ask too much". ``felt``
    is the pressure actually applied (``sim.stages.politics``): demands scaled by the flow of
    sanctioned goods the West polices on the Kazakh route, plus penalties imposed on detected
    evasion, so with nothing to enforce nothing backfires. Returns the (negative) push on the
    West.
    """
    return -p.strength * np.maximum(0.0, felt - tolerance)


def apply_m4(f) -> None:
    """M4 (stage ``politics``)."""
    f.add_push("M4", west(f.n, backfire(f.felt, f.p.M4.tolerance, f.p.M4), f.usa_share))


@dataclass(frozen=True)
class FairnessParams:
    """M6 parameters (bokhari2023_hill)."""

    sensitivity: float = field(metadata=effect(
        0, 5, "", "unfairness per unit felt pressure when others' evasion is tolerated",
        "assumption", (0.5, 1.5)))
    resentment: float = field(metadata=effect(
        0, 5, "", "push away from the West per unit unfairness", "assumption", (0.05, 0.2)))


def unfairness(coalition_consistency, felt, p: FairnessParams):
    """M6 Fairness: pressing Kazakhstan while tolerating others' evasion is resented.

    bokhari2023_hill: Saudi Arabia, UAE and India "flaunt U.S. efforts"; ignoring them
    "creates a precedent". Returns unfairness (>= 0), which lowers Kazakhstan's tolerance of
    pressure (M4) and its willingness to comply (read by its policy), and pushes away from the
    West by ``-resentment * unfairness``.
    """
    return p.sensitivity * (1.0 - coalition_consistency) * felt


def apply_m6(f) -> None:
    """M6 (stage ``politics``, after M4: it also lowers M4's tolerance)."""
    f.unfair = unfairness(f.coalition, f.felt, f.p.M6)
    f.add_push("M6", west(f.n, -f.p.M6.resentment * f.unfair, f.usa_share))
    if f.on.M4:
        tol, bf = f.p.M4.tolerance, f.p.M4
        extra = backfire(f.felt, tol - f.unfair, bf) - backfire(f.felt, tol, bf)
        f.add_push("M6", west(f.n, extra, f.usa_share))
