"""Russia's side of the sanctions: what is blocked, what leaks, and the pressure that results.

M3 Transshipment (reworked for v2) and M24 Displacement, plus the pressure accounting of
MODEL_V2.md ("Outcomes that are outcomes"): pressure on Russia is its lost import capacity and
export revenue against a no-sanctions counterfactual, net of leakage (through Kazakhstan and
elsewhere) and carve-outs. Structure from Chupilkin, Javorcik & Plekhanov (2023), "The Eurasian
Roundabout", EBRD Working Paper 276 (product-level rerouting through the Caucasus and Central
Asia); rows B03 (exports to Russia +25% in 2022), B04/B06 (a small pre-war flow of
high-priority goods), B14 (parallel imports 10-20 bn), B08/B09 and B12/B13 (Western origin).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np

from sim.schema import FITTED, effect


@dataclass(frozen=True)
class RussiaTradeParams:
    """Russia's 2021 trade and how much of it sanctions reach (assumptions with priors)."""

    imports_usd_bn: float = field(metadata=effect(
        50.0, 600.0, "USD bn/yr", "Russia's 2021 goods imports",
        "assumption: order of Bank of Russia 2021 balance of payments", (280.0, 310.0)))
    exports_usd_bn: float = field(metadata=effect(
        100.0, 1000.0, "USD bn/yr", "Russia's 2021 goods exports",
        "assumption: order of Bank of Russia 2021 balance of payments", (470.0, 520.0)))
    controlled_share: float = field(metadata=effect(
        0.0, 1.0, "", "share of Russia's imports that export controls cover at full intensity",
        "assumption: Western high-priority and dual-use goods", (0.2, 0.4)))
    reach: float = field(metadata=effect(
        0.0, 1.0, "", "share of controlled imports actually stopped at full intensity",
        "Chowdhry, Hinz, Kamin & Wanner 2024: sanctions reached 32-37% of their potential",
        (0.3, 0.6)))
    export_reach: float = field(metadata=effect(
        0.0, 1.0, "", "share of Russia's export revenue lost at full intensity",
        "assumption: embargoes and the price cap", (0.05, 0.2)))
    carve_out: float = field(metadata=effect(
        0.0, 1.0, "", "share of the export-revenue loss that full licences give back",
        "assumption: CPC and energy carve-outs (events_2025 GL 121)", (0.05, 0.3)))
    elsewhere: float = field(metadata=effect(
        0.0, 1.0, "", "share of blocked imports reaching Russia through other countries",
        "Chupilkin, Javorcik & Plekhanov 2023 (rerouting via the Caucasus, Central Asia, "
        "China, Turkey)", (0.2, 0.5)))


@dataclass(frozen=True)
class TransshipmentParams:
    """M3 parameters (crossfire_2023, bokhari2023_hill; Chupilkin et al. 2023)."""

    baseline_flow: float = field(metadata=effect(
        0.0, 10.0, "USD bn/yr", "pre-war Kazakh exports of high-priority goods to Russia",
        "B04 B06: small but non-zero in 2021", (0.1, 0.6)))
    route_share: float = field(metadata=effect(
        0.0, 1.0, "", "share of blocked Russian imports that seek the Kazakh route",
        FITTED + "Kazakhstan's part of the Eurasian roundabout (B03, B14, B19)",
        (0.05, 0.35)))
    premium: float = field(metadata=effect(
        0.0, 2.0, "", "Russia's price premium on blocked goods at full intensity",
        "assumption: intermediaries' margin under export controls", (0.1, 0.4)))
    enforcement_effect: float = field(metadata=effect(
        0.0, 1.0, "", "share of the Kazakh route full Kazakh enforcement closes",
        "assumption: B16-B18 (bans, tracking, blocked attempts)", (0.3, 0.8)))
    detection: float = field(metadata=effect(
        0.0, 1.0, "", "probability evasion is detected without Kazakh enforcement",
        "assumption", (0.05, 0.2)))
    detection_enforcement: float = field(metadata=effect(
        0.0, 1.0, "", "extra detection probability at full Kazakh enforcement",
        "assumption", (0.2, 0.6)))
    penalty: float = field(metadata=effect(
        0.0, 10.0, "", "penalty per USD of detected evasion at full secondary enforcement",
        "assumption: designations cost the firm its Western business", (0.5, 3.0)))
    deterrence: float = field(metadata=effect(
        0.0, 100.0, "", "fall of the flow per unit expected penalty rate (exponential)",
        "assumption", (5.0, 20.0)))
    adjust: float = field(metadata=effect(
        0.0, 1.0, "1/month", "monthly speed at which the flow moves to its target",
        FITTED + "assumption", (0.1, 0.4)))
    western_origin: float = field(metadata=effect(
        0.0, 1.0, "", "share of re-exported goods of Western origin (the rest Chinese)",
        FITTED + "Chupilkin et al. 2023; B08 B09 (German exports doubled)", (0.3, 0.7)))
    tie: float = field(metadata=effect(
        0.0, 100.0, "", "push toward Russia per unit evasion / GDP",
        "assumption: traders tied to Russian demand (crossfire_2023)", (0.2, 1.0)))
    listing_secondary: float = field(default=0.6, metadata=effect(
        0.0, 5.0, "", "deterrence on the Kazakh route, as secondary pressure, while the EU "
        "lists Kazakhstan under its anti-circumvention tool (a ban on listed high-priority "
        "goods)",
        "assumption: the tool of the EU's 11th package, Council Regulation (EU) 2023/1214 "
        "(June 2023); never used on Kazakhstan to the data's end", (0.3, 1.0)))


@dataclass(frozen=True)
class DisplacementParams:
    """M24 parameters."""

    share: float = field(metadata=effect(
        0.0, 1.0, "", "share of evasion deterred in Kazakhstan that moves to other routes",
        "Chupilkin et al. 2023: rerouting shifts between hubs", (0.3, 0.8)))


class Reexports(NamedTuple):
    """One month's high-priority trade with Russia (USD bn/yr)."""

    flow: np.ndarray          # Kazakh exports of high-priority goods to Russia (with baseline)
    evasion: np.ndarray       # the part above the pre-war baseline, i.e. sanctioned goods
    deterred: np.ndarray      # potential flow closed by enforcement and deterrence
    margin: np.ndarray        # Kazakh intermediaries' income
    penalties: np.ndarray     # Western penalties imposed on detected evasion
    push_rus: np.ndarray


def transshipment(flow, blocked, rus_capacity, intensity, enforcement, secondary, gdp,
                  p: TransshipmentParams) -> Reexports:
    """M3 Transshipment: blocked goods seek the Kazakh route.

    crossfire_2023: "sharp increase in the transportation of sanctioned goods from Kazakhstan
    to Russia"; bokhari2023_hill: Astana "worked hard to block attempts at sanctions evasion".
    The potential flow is a share of Russia's blocked imports, scaled by its capacity to pay the
    premium; Kazakh enforcement closes part of the route and the expected penalty on
    *detected* evasion deters part of the rest. What is deterred (``deterred``) may move to
    other routes (:func:`displace`, M24).
    """
    potential = p.route_share * blocked * rus_capacity
    detection = np.minimum(1.0, p.detection + p.detection_enforcement * enforcement)
    expected_penalty = secondary * detection * p.penalty
    open_share = (1.0 - p.enforcement_effect * enforcement) * np.exp(-p.deterrence
                                                                     * expected_penalty)
    target = p.baseline_flow + potential * open_share
    new = flow + p.adjust * (target - flow)
    evasion = np.maximum(0.0, new - p.baseline_flow)
    return Reexports(
        flow=new,
        evasion=evasion,
        deterred=potential * (1.0 - open_share),
        margin=p.premium * intensity * evasion,
        penalties=expected_penalty * evasion,
        push_rus=p.tie * evasion / gdp,
    )


def displace(deterred, p: DisplacementParams):
    """M24 Displacement: evasion deterred in Kazakhstan moves to other routes.

    Chupilkin, Javorcik & Plekhanov (2023) find rerouting shifting between hubs as controls
    tighten. A share of what Kazakh enforcement and Western deterrence close reaches Russia
    by another route, so that pressure is lost elsewhere, not gained for free.
    """
    return p.share * deterred


class Pressure(NamedTuple):
    """Pressure on Russia this month (USD bn/yr) and its parts."""

    blocked: np.ndarray
    leaked: np.ndarray
    lost_imports: np.ndarray
    lost_exports: np.ndarray
    total: np.ndarray
    share: np.ndarray
    index: np.ndarray


def blocked_imports(intensity, p: RussiaTradeParams):
    """Russia's imports stopped at the Western border this month (USD bn/yr)."""
    return p.imports_usd_bn * p.controlled_share * p.reach * intensity


def pressure_on_russia(blocked, evasion, displaced, intensity, licences,
                       p: RussiaTradeParams) -> Pressure:
    """Lost import capacity plus lost export revenue, net of leakage and carve-outs.

    Leakage is what reaches Russia anyway: through Kazakhstan (``evasion``), through other
    countries (``elsewhere`` of the blocked goods) and what Kazakh enforcement displaced.
    Licences give back a share of the export-revenue loss (carve-outs cost pressure). With no
    sanctions every term is exactly zero. ``index`` is pressure over its leak-free maximum at
    full intensity (what M10's erosion reads); ``share`` is over Russia's 2021 trade.
    """
    leaked = np.minimum(blocked, evasion + p.elsewhere * blocked + displaced)
    lost_imports = blocked - leaked
    lost_exports = p.exports_usd_bn * p.export_reach * intensity * (1.0 - p.carve_out * licences)
    total = lost_imports + lost_exports
    full = p.imports_usd_bn * p.controlled_share * p.reach + p.exports_usd_bn * p.export_reach
    return Pressure(blocked, leaked, lost_imports, lost_exports, total,
                    total / (p.imports_usd_bn + p.exports_usd_bn), total / full)


def apply_m24(f) -> None:
    """M24 (stage ``evasion``, after M3)."""
    f.displaced = displace(f.deterred, f.p.M24)
