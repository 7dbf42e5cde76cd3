"""Kazakhstan's own dynamics: doctrine (M16), stability (M17), bridge value (M18).

Pure functions over run-axis arrays; parameter values are assumptions in
``configs/params/default.yaml`` (direction from the cited article).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np

from sim.mechanisms.push import push
from sim.schema import effect


BLOC_SIZE = np.array([1.0, 1.0, 2.0, 2.0])
"""Powers in each power's bloc (RUS, CHN, USA, EU): the US and the EU make up the West."""


def concentration(align):
    """The multi-vector doctrine's penalty: sum over powers of (bloc size) x share^2.

    With the US and the EU holding equal halves of the West it is the Herfindahl index of the
    three blocs of ``sim.blocs.balance_index`` (Russia, China, the West); an uneven split of the
    West raises it. So it is least, 1/3, with a third to each bloc and the West's third split
    evenly, and it grows with concentration on any one bloc or partner and with the neglect of
    one, instead of preferring any portfolio of 2021. Counting the West as one bloc keeps the
    doctrine's ideal off the capture line: a balance over four powers would give the West one
    half.
    """
    return (BLOC_SIZE * align * align).sum(axis=1)


def concentration_gradient(align):
    """The gradient of the concentration with respect to each alignment share (runs, 4)."""
    return 2.0 * BLOC_SIZE * align


def doctrine_pull(align, weight, lean):
    """M16 Multi-vector doctrine: keep relations with all powers, avoid dependence on one.

    All five articles; burkewhite2022_hill: Kazakhstan "must maintain relations with Moscow and
    Beijing, Washington and Brussels". The pull is ``weight`` times the gradient of
    ``-concentration``: after the replicator step it moves alignment toward a third for each
    bloc, the West's split evenly, so the doctrine penalises dependence on any one power
    instead of pulling back to the 2021 portfolio. ``lean`` (runs, 4) is the policy's own push (a westward
    pivot, or bandwagoning on last month's push).
    """
    w = weight if np.ndim(weight) == 0 else np.asarray(weight)[:, None]
    return -w * concentration_gradient(align) + lean


def apply_m16(f) -> None:
    """M16 (stage ``doctrine``): not scaled by responsiveness, it is Kazakhstan's own pull."""
    f.pushes["M16"] = doctrine_pull(f.s.align, f.kaz.doctrine_weight, f.kaz.lean)


@dataclass(frozen=True)
class StabilityParams:
    """M17 parameters (bokhari2023_hill)."""

    recovery: float = field(metadata=effect(
        0, 1, "1/month", "monthly return of stability toward its 2021 level", "assumption",
        (0.05, 0.2)))
    unrest: float = field(metadata=effect(
        0, 50, "", "monthly stability lost per unit income loss (share of GDP)",
        "assumption (bokhari2023_hill: the January 2022 unrest); 1.0 means a sustained loss "
        "of 1% of GDP lowers stability by 0.1 at the default recovery", (0.5, 3.0)))
    security_demand: float = field(metadata=effect(
        0, 5, "", "push toward Russia per unit instability x security offer",
        "assumption (burkewhite2022_hill: the CSTO offers 'domestic stability')",
        (0.025, 0.1)))
    reform_drag: float = field(metadata=effect(
        0, 5, "", "push away from the West per unit instability", "assumption",
        (0.025, 0.1)))


class Stability(NamedTuple):
    """M17 output."""

    stability: np.ndarray
    push_rus: np.ndarray
    push_west: np.ndarray


def domestic_stability(stability, stability0, loss_share, security_offer, p: StabilityParams):
    """M17 Domestic stability and reform: losses raise unrest; instability favours Russia.

    bokhari2023_hill: the January 2022 unrest, reform "at a very critical juncture". Income
    losses (share of GDP) lower stability; it recovers toward its 2021 level. Instability makes
    Russia's security offer more attractive and slows the reform that draws the West.
    """
    s = np.clip(stability + p.recovery * (stability0 - stability) - p.unrest * loss_share, 0.0, 1.0)
    gap = np.maximum(0.0, stability0 - s)
    return Stability(s, p.security_demand * gap * security_offer, -p.reform_drag * gap)


def apply_m17(f) -> None:
    """M17 (stage ``domestic``)."""
    m17 = domestic_stability(f.s.stability, f.r.stability0, f.loss_share, f.rus.security_offer,
                             f.p.M17)
    f.stability = m17.stability
    f.add_push("M17", push(f.n, rus=m17.push_rus, usa=m17.push_west / 2, eu=m17.push_west / 2))


@dataclass(frozen=True)
class BridgeParams:
    """M18 parameters (burkewhite2022_hill)."""

    strength: float = field(metadata=effect(
        0, 10, "", "extra share of incentives per unit balance gained since 2021",
        "assumption (burkewhite2022_hill: 'credibility on all sides')", (0.5, 2.0)))


def bridge_value(balance, balance0, p: BridgeParams):
    """M18 Bridge value: a balanced Kazakhstan is worth more to everyone as a mediator.

    burkewhite2022_hill: mediation in 2014 and 2015 and "credibility on all sides". Returns the
    factor by which every power's incentives (M9, M11, M13, M14) are scaled: above 1 when
    Kazakhstan is more balanced than in 2021, below 1 when less.
    """
    return np.maximum(0.0, 1.0 + p.strength * (balance - balance0))


def apply_m18(f) -> None:
    """M18 (stage ``incentives``, last): scales this month's offers of M9, M11, M13, M14."""
    if f.incentives:
        bridge = bridge_value(f.balance_now, f.r.balance0, f.p.M18)
        f.add_push("M18", sum(f.incentives) * (bridge - 1.0)[:, None])
