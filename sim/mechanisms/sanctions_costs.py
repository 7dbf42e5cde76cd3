"""Mechanisms of the sanctions regime's side effects on Kazakhstan: M1-M6 and M19.

Every function is pure: arrays in (a leading run axis, or scalars that broadcast), arrays out.
Parameter values live in ``configs/params/default.yaml``; all are assumptions whose
*direction* comes from the cited article and whose size is to be fitted (see the README).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np

from sim.schema import spec


@dataclass(frozen=True)
class BystanderParams:
    """M1 parameters (bokhari2023_hill)."""

    cost_share: float = field(metadata=spec(0, 1, "1/yr",
                                            "cost as a share of Russian trade per unit intensity"))
    over_compliance: float = field(metadata=spec(
        0, 5, "", "extra cost from over-compliance when the reach is unclear"))
    accumulation: float = field(metadata=spec(0, 10, "1/yr",
                                              "growth of the cost per year without a review"))
    friction: float = field(metadata=spec(0, 1, "1/yr",
                                          "annual fall of Russian trade per unit intensity"))
    resentment: float = field(metadata=spec(0, 100, "",
                                            "push away from the West per unit net cost/GDP"))


class BystanderCost(NamedTuple):
    """M1 output: annualised costs in USD bn/yr and the growth rate of Russian trade."""

    unrelieved: np.ndarray
    net: np.ndarray
    trade_growth: np.ndarray


def bystander_cost(intensity, trade_rus, months_under, relief, compensation, p: BystanderParams):
    """M1 Bystander cost: sanctions on Russia cost Kazakhstan by its Russian exposure.

    bokhari2023_hill: "Sanctions did not come with a mechanism to compensate innocent
    bystanders"; they "did not count on them being an open-ended process". The cost is
    proportional to trade with Russia and the sanctions' intensity, includes over-compliance,
    grows with the months since the last review, is reduced by ``relief`` (M5, M19) and offset
    only by a design's ``compensation`` share.
    """
    unrelieved = (p.cost_share * intensity * trade_rus * (1.0 + p.over_compliance)
                  * (1.0 + p.accumulation * months_under / 12.0))
    net = unrelieved * relief * (1.0 - compensation)
    return BystanderCost(unrelieved, net, -p.friction * intensity * relief)


def resentment_push(cost_bn, compensation, gdp, p: BystanderParams):
    """Push away from the West (negative amount) from an uncompensated cost (M1)."""
    return -p.resentment * cost_bn * (1.0 - compensation) / gdp


@dataclass(frozen=True)
class CalibrationParams:
    """M5 parameters (bokhari2023_hill, burkewhite2022_hill)."""

    licence_coverage: float = field(metadata=spec(
        0, 1, "", "share of the cost a full licence regime removes"))


def calibration_relief(licences, clarity, over_compliance, p: CalibrationParams):
    """M5 Calibration: licences, carve-outs and clarity remove part of the bystander cost.

    bokhari2023_hill: "calibrate the sanctions regime"; burkewhite2022_hill: "clarify the reach
    of sanctions and grant ... licenses where necessary". Returns a factor in (0, 1] on the
    unrelieved cost of M1: licences exempt trade, clarity removes the over-compliance
    ("chilling") part.
    """
    return ((1.0 - p.licence_coverage * licences)
            * (1.0 + over_compliance * (1.0 - clarity)) / (1.0 + over_compliance))


@dataclass(frozen=True)
class RegionalParams:
    """M19 parameters (crossfire_2023)."""

    relief: float = field(metadata=spec(0, 1, "",
                                        "cost share removed by full regional coordination"))


def regional_relief(coordination, diplomacy, p: RegionalParams):
    """M19 Regional coordination (C5+1): a joint Central Asian position softens side effects.

    crossfire_2023: Kazakhstan advocates "a unified regional position" within C5+1. Kazakh
    coordination effort counts fully when the US engages through C5+1 and half otherwise.
    Returns a factor in (0, 1] on the bystander cost.
    """
    return 1.0 - p.relief * coordination * (0.5 + 0.5 * diplomacy)


@dataclass(frozen=True)
class ComplianceStrainParams:
    """M2 parameters (bokhari2023_hill)."""

    strain: float = field(metadata=spec(0, 5, "",
                                        "push away from Russia per unit compliance x intensity"))
    grievance_rate: float = field(metadata=spec(
        0, 5, "", "Russian grievance added per unit compliance x intensity"))
    grievance_decay: float = field(metadata=spec(0, 1, "1/month",
                                                 "monthly decay of Russian grievance"))
    retaliation_trade: float = field(metadata=spec(
        0, 1, "1/yr", "annual fall of Russian trade at full retaliation"))
    retaliation_cost: float = field(metadata=spec(
        0, 1, "", "income lost as a share of 2021 Russian trade at full retaliation"))


class ComplianceStrain(NamedTuple):
    """M2 output."""

    push_rus: np.ndarray
    grievance: np.ndarray
    trade_growth: np.ndarray
    loss_bn: np.ndarray


def compliance_strain(grievance, compliance, intensity, retaliation, trade_rus0,
                      p: ComplianceStrainParams):
    """M2 Compliance strains relations with Russia, and Moscow retaliates in trade.

    bokhari2023_hill: complying "threatens to aggravate relations with Moscow". Compliance with
    an intense regime adds to Russia's grievance (which its policies read) and pushes away from
    Russia; Russian trade retaliation lowers Russian trade and Kazakh income.
    """
    strain = compliance * intensity
    return ComplianceStrain(
        push_rus=-p.strain * strain,
        grievance=grievance * (1.0 - p.grievance_decay) + p.grievance_rate * strain,
        trade_growth=-p.retaliation_trade * retaliation,
        loss_bn=p.retaliation_cost * retaliation * trade_rus0,
    )


@dataclass(frozen=True)
class TransshipmentParams:
    """M3 parameters (crossfire_2023, bokhari2023_hill)."""

    max_flow: float = field(metadata=spec(0, 100, "USD bn/yr",
                                          "re-export flow at full intensity, no enforcement"))
    enforcement_effect: float = field(metadata=spec(
        0, 1, "", "share of the flow full Kazakh enforcement blocks"))
    deterrence: float = field(metadata=spec(
        0, 20, "", "fall of the flow per unit of secondary pressure (exponential)"))
    adjust: float = field(metadata=spec(0, 1, "1/month",
                                        "monthly speed at which the flow moves to its target"))
    import_content: float = field(metadata=spec(0, 5, "", "Western imports per USD of re-exports"))
    margin: float = field(metadata=spec(0, 1, "", "Kazakh income per USD of re-exports"))
    penalty_rate: float = field(metadata=spec(
        0, 1, "", "expected penalty per USD of re-exports at full secondary pressure"))
    leak_half: float = field(metadata=spec(0.01, 1000, "USD bn/yr",
                                           "re-export flow at which half the pressure leaks"))
    tie: float = field(metadata=spec(0, 100, "", "push toward Russia per unit re-exports/GDP"))


class Transshipment(NamedTuple):
    """M3 output: the new flow (USD bn/yr), leakage share, income (USD bn/yr), push on Russia."""

    reexports: np.ndarray
    leakage: np.ndarray
    income_bn: np.ndarray
    push_rus: np.ndarray


def transshipment(reexports, intensity, rus_power, enforcement, secondary, gdp,
                  p: TransshipmentParams):
    """M3 Transshipment: sanctioned goods flow through Kazakhstan to Russia.

    crossfire_2023: "sharp increase in the transportation of sanctioned goods from Kazakhstan
    to Russia"; bokhari2023_hill: Astana "worked hard to block attempts at sanctions evasion".
    The flow's target rises with the price premium (intensity times Russia's capacity to pay)
    and falls with Kazakh enforcement and with the expected cost of secondary sanctions. The
    flow leaks pressure on Russia, earns a margin net of expected penalties, and ties
    Kazakh traders to Russian demand.
    """
    target = (p.max_flow * intensity * rus_power * (1.0 - p.enforcement_effect * enforcement)
              * np.exp(-p.deterrence * secondary))
    flow = reexports + p.adjust * (target - reexports)
    return Transshipment(
        reexports=flow,
        leakage=flow / (flow + p.leak_half),
        income_bn=(p.margin - p.penalty_rate * secondary) * flow,
        push_rus=p.tie * flow / gdp,
    )


@dataclass(frozen=True)
class BackfireParams:
    """M4 parameters (crossfire_2023, burkewhite2022_hill)."""

    tolerance: float = field(metadata=spec(0, 2, "",
                                           "Western pressure Kazakhstan bears without backlash"))
    strength: float = field(metadata=spec(
        0, 5, "", "push away from the West per unit pressure above tolerance"))


def backfire(west_pressure, tolerance, p: BackfireParams):
    """M4 Backfire: Western pressure beyond what Kazakhstan can bear pushes it away.

    crossfire_2023: "Overly aggressive approaches could push Kazakhstan closer to ... China,
    or even back into Moscow's orbit"; burkewhite2022_hill: "must not ask too much". Returns
    the (negative) push on the West; on the simplex this moves share to Russia and China.
    """
    return -p.strength * np.maximum(0.0, west_pressure - tolerance)


@dataclass(frozen=True)
class FairnessParams:
    """M6 parameters (bokhari2023_hill)."""

    sensitivity: float = field(metadata=spec(
        0, 5, "", "unfairness per unit pressure when others' evasion is tolerated"))
    resentment: float = field(metadata=spec(0, 5, "",
                                            "push away from the West per unit unfairness"))


def unfairness(coalition_consistency, west_pressure, p: FairnessParams):
    """M6 Fairness: pressing Kazakhstan while tolerating others' evasion is resented.

    bokhari2023_hill: Saudi Arabia, UAE and India "flaunt U.S. efforts"; ignoring them
    "creates a precedent". Returns unfairness (>= 0), which lowers Kazakhstan's tolerance of
    pressure (M4) and its willingness to comply (read by its policy), and pushes away from the
    West by ``-resentment * unfairness``.
    """
    return p.sensitivity * (1.0 - coalition_consistency) * west_pressure
