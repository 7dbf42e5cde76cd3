"""Kazakhstan's own dynamics: doctrine (M16), stability (M17), bridge value (M18).

Pure functions over run-axis arrays; parameter values are assumptions in
``configs/params/default.yaml`` (direction from the cited article).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np

from sim.blocs import bloc_shares
from sim.mechanisms.push import per_run, push
from sim.schema import effect


@dataclass(frozen=True)
class DoctrineParams:
    """M16 parameters: what the multi-vector doctrine counts as dependence and as neglect."""

    cap: float = field(default=0.45, metadata=effect(
        0.34, 1, "", "bloc share (Russia, China, the West) above which the doctrine objects",
        "assumption: the largest 2021 bloc, the West, held 0.458 (configs/baseline)",
        (0.40, 0.50)))
    floor: float = field(default=0.10, metadata=effect(
        0, 0.25, "", "share of one partner below which the doctrine objects to its neglect",
        "assumption: the smallest 2021 share, the US, was 0.135 (configs/baseline)",
        (0.05, 0.13)))


def concentration(align, p: DoctrineParams):
    """The multi-vector doctrine's penalty on dependence and neglect.

    ``sum over blocs of max(0, bloc share - cap)^2 + sum over powers of max(0, floor - share)^2``
    with the blocs of ``sim.blocs.balance_index`` (Russia, China, the West = US + EU). It is zero
    while no bloc holds more than ``cap`` and no partner less than ``floor``, and grows with the
    square of the excess: the doctrine values balance itself (no bloc dominant, no partner
    dropped) without preferring any portfolio inside those bounds, 2021's or another.
    """
    over = np.maximum(0.0, bloc_shares(align) - per_run(p.cap))
    under = np.maximum(0.0, per_run(p.floor) - align)
    return (over * over).sum(axis=1) + (under * under).sum(axis=1)


def concentration_gradient(align, p: DoctrineParams):
    """The gradient of the concentration with respect to each alignment share (runs, 4)."""
    from sim import kernels
    align = np.asarray(align, dtype=float)
    return kernels.concentration_gradient(align, kernels.run_param(p.cap),
                                          kernels.run_param(p.floor), np.empty(align.shape))


def doctrine_pull(align, weight, lean, p: DoctrineParams):
    """M16 Multi-vector doctrine: keep relations with all powers, avoid dependence on one.

    All five articles; burkewhite2022_hill: Kazakhstan "must maintain relations with Moscow and
    Beijing, Washington and Brussels". The pull is ``weight`` times the gradient of
    ``-concentration``: it acts only on a bloc above ``cap`` (pushing it down) or a partner
    below ``floor`` (pushing it up), harder the further out, and never pulls back to the 2021
    portfolio. ``lean`` (runs, 4) is the policy's own push (a westward pivot, or bandwagoning
    on last month's push).
    """
    w = weight if np.ndim(weight) == 0 else np.asarray(weight)[:, None]
    return -w * concentration_gradient(align, p) + lean


def apply_m16(f) -> None:
    """M16 (stage ``doctrine``): not scaled by responsiveness, it is Kazakhstan's own pull."""
    f.pushes["M16"] = doctrine_pull(f.s.align, f.kaz.doctrine_weight, f.kaz.lean, f.p.M16)


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
    gap: np.ndarray   # instability: how far stability is below its 2021 level (>= 0)


def domestic_stability(stability, stability0, loss_share, security_offer, p: StabilityParams):
    """M17 Domestic stability and reform: losses raise unrest; instability favours Russia.

    bokhari2023_hill: the January 2022 unrest, reform "at a very critical juncture". Income
    losses (share of GDP) lower stability; it recovers toward its 2021 level. Instability makes
    Russia's security offer more attractive and slows the reform that draws the West.
    """
    s = np.clip(stability + p.recovery * (stability0 - stability) - p.unrest * loss_share, 0.0, 1.0)
    gap = np.maximum(0.0, stability0 - s)
    return Stability(s, p.security_demand * gap * security_offer, -p.reform_drag * gap, gap)


def instability_from_losses(gap, counterfactual) -> np.ndarray:
    """The share (runs,) of each row's instability ``gap`` (M17's) that the measured loss causes.

    Stability falls with the loss against the paired no-sanctions run (M17) and with dated
    events such as the January 2022 unrest, which that run shares; its loss is zero, so its
    gap is the events' part. A run's share is its gap less its counterfactual's, over its gap
    (exact while stability stays inside [0, 1]; clipped to [0, 1]). Rows without a
    counterfactual, and the counterfactual rows, measure no loss: share 0.
    ``counterfactual`` is each run's counterfactual row (or None).
    """
    gap = np.asarray(gap, dtype=float)
    share = np.zeros_like(gap)
    if counterfactual is not None:
        n = counterfactual.shape[0]
        run_gap = gap[:n]
        caused = np.where(run_gap > 0.0, (run_gap - gap[counterfactual]) / np.where(
            run_gap > 0.0, run_gap, 1.0), 0.0)
        share[:n] = np.clip(caused, 0.0, 1.0)
    return share


def m17_credit(loss_share_of_gap) -> dict:
    """M17's credit among actors (:mod:`sim.attribution`), given the loss's share of the gap.

    Its pull toward Russia is the instability gap times Russia's security offer, half Russia's;
    the gap's half, and the drag on the West (the gap alone), go to the West for the part the
    sanctions' loss causes and to Kazakhstan for the part of dated events (its own unrest, no
    chooser). ``None`` (no share recorded: a push that is only M25's benchmark level, from
    quiet months without losses): share 0.
    """
    phi = (np.zeros(1) if loss_share_of_gap is None
           else np.asarray(loss_share_of_gap, dtype=float))[:, None]
    gap_columns = np.array([0.5, 1.0, 1.0, 1.0])
    return {"RUS": np.array([0.5, 0.0, 0.0, 0.0]), "WEST": phi * gap_columns,
            "KAZ": (1.0 - phi) * gap_columns}


def apply_m17(f) -> None:
    """M17 (stage ``domestic``)."""
    m17 = domestic_stability(f.s.stability, f.r.stability0, f.loss_share, f.rus.security_offer,
                             f.p.M17)
    f.stability = m17.stability
    f.add_push("M17", push(f.n, rus=m17.push_rus, usa=m17.push_west / 2, eu=m17.push_west / 2))
    if f.ctx.keep_pushes:
        f.credit["M17"] = instability_from_losses(m17.gap, f.ctx.counterfactual)


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
        total = 0 + f.incentives[0]   # sum(f.incentives), in place after the first addition
        for incentive in f.incentives[1:]:
            total += incentive
        total *= (bridge - 1.0)[:, None]
        f.add_push("M18", total)
