"""The mechanism registry: M1-M25, each a named, switchable, pure piece.

``MECHANISMS`` maps each id to its pure function, its parameters (``params.<id>``), the
stages of a turn at which its adapters run (``stages``: stage hook -> adapter; see
:mod:`sim.stages`), the articles or papers behind it, and the actors whose choices its
alignment push is credited to (:mod:`sim.attribution` states the rule): a mapping of actor to
weight, one number or one per power column (RUS, CHN, USA, EU), the weights of each column
summing to 1; "WEST" (alone or as a key) splits between the US and the EU by their share of
sanctions pressure; "OWN" gives each power's column to that power; a function maps the
turn's ``TurnResult.credit`` entry for the mechanism to such a mapping; ``None``: it moves the
economy, not alignment directly. The registry is what drives a turn:
:meth:`sim.world.Frame.run` runs, at each hook, the switched-on mechanisms registered for it,
in this order.

Adding a mechanism touches three files: its module (pure function, parameter dataclass,
adapter), one line here, and its parameter values in ``configs/params/default.yaml``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from sim.economy import macro, oil, russia_trade, substitution
from sim.mechanisms import benchmark as bench
from sim.mechanisms import domestic as dom
from sim.mechanisms import partners as par
from sim.mechanisms import russia as rus
from sim.mechanisms import sanctions_costs as sc

HOOKS = ("macro", "evasion", "decline", "politics", "routes", "oil", "costs", "trade", "income",
         "incentives", "domestic", "doctrine")


@dataclass(frozen=True)
class Mechanism:
    """Metadata of one mechanism."""

    id: str
    title: str
    function: Callable
    sources: tuple[str, ...]
    actors: dict | str | Callable | None
    params: type | None = None
    stages: dict[str, Callable] = field(default_factory=dict)


_M = Mechanism
MECHANISMS: dict[str, Mechanism] = {m.id: m for m in (
    _M("M1", "Bystander cost", sc.bystander_friction, ("bokhari2023_hill",), "WEST",
       sc.BystanderParams, {"costs": sc.apply_m1_costs, "income": sc.apply_m1_push}),
    _M("M2", "Compliance strains relations with Russia", sc.compliance_strain,
       ("bokhari2023_hill",), {"KAZ": 0.5, "WEST": 0.5}, sc.ComplianceStrainParams,
       {"politics": sc.apply_m2, "costs": sc.apply_m2_costs}),
    _M("M3", "Transshipment", russia_trade.transshipment,
       ("crossfire_2023", "bokhari2023_hill", "Chupilkin, Javorcik & Plekhanov 2023"),
       "WEST", russia_trade.TransshipmentParams, {"evasion": sc.apply_m3}),
    _M("M4", "Backfire", sc.backfire, ("crossfire_2023", "burkewhite2022_hill"), "WEST",
       sc.BackfireParams, {"politics": sc.apply_m4}),
    _M("M5", "Calibration", sc.calibration_relief,
       ("bokhari2023_hill", "burkewhite2022_hill"), None, sc.CalibrationParams,
       {"politics": sc.apply_m5}),
    _M("M6", "Fairness", sc.unfairness, ("bokhari2023_hill",), "WEST", sc.FairnessParams,
       {"politics": sc.apply_m6}),
    _M("M7", "Energy-route leverage", rus.energy_leverage,
       ("bokhari2022_wt", "burkewhite2022_hill"), {"RUS": 1.0}, rus.EnergyLeverageParams,
       {"routes": rus.apply_m7}),
    _M("M8", "Security leverage", rus.security_leverage,
       ("burkewhite2022_hill", "bokhari2022_wt"), {"RUS": 1.0}, rus.SecurityParams,
       {"politics": rus.apply_m8}),
    _M("M9", "Russian geoeconomic offers", rus.russian_offers,
       ("bokhari2022_wt", "pirbudagyan2022_isd"), {"RUS": 1.0}, rus.RussianOffersParams,
       {"costs": rus.apply_m9_costs, "incentives": rus.apply_m9}),
    _M("M10", "Russia's decline", rus.russia_decline, ("bokhari2022_wt",), "WEST",
       rus.DeclineParams, {"decline": rus.apply_m10, "costs": rus.apply_m10_costs}),
    _M("M11", "China's economic courtship", par.china_courtship,
       ("burkewhite2022_hill", "pirbudagyan2022_isd", "bokhari2022_wt"), {"CHN": 1.0},
       par.ChinaParams, {"costs": par.apply_m11_costs, "incentives": par.apply_m11}),
    _M("M12", "Public discontent with Chinese influence", par.china_discontent,
       ("pirbudagyan2022_isd",), {"KAZ": 1.0}, par.DiscontentParams,
       {"incentives": par.apply_m12}),
    _M("M13", "US engagement", par.us_engagement,
       ("burkewhite2022_hill", "pirbudagyan2022_isd"), {"USA": 1.0}, par.USEngagementParams,
       {"costs": par.apply_m13_costs, "incentives": par.apply_m13}),
    _M("M14", "EU trade and energy partnership", par.eu_partnership,
       ("burkewhite2022_hill", "crossfire_2023"), {"EU": 1.0}, par.EUPartnershipParams,
       {"costs": par.apply_m14_costs, "incentives": par.apply_m14}),
    _M("M15", "Route diversification", par.route_diversification, ("bokhari2022_wt",), "WEST",
       par.CorridorParams, {"routes": par.apply_m15, "costs": par.apply_m15_costs}),
    _M("M16", "Multi-vector doctrine", dom.doctrine_pull,
       ("burkewhite2022_hill", "bokhari2022_wt", "bokhari2023_hill", "crossfire_2023",
        "pirbudagyan2022_isd"),
       {"KAZ": 1.0}, dom.DoctrineParams, {"doctrine": dom.apply_m16}),
    _M("M17", "Domestic stability and reform", dom.domestic_stability,
       ("bokhari2023_hill",), dom.m17_credit, dom.StabilityParams, {"domestic": dom.apply_m17}),
    _M("M18", "Bridge value", dom.bridge_value, ("burkewhite2022_hill",), "OWN",
       dom.BridgeParams, {"incentives": dom.apply_m18}),
    _M("M19", "Regional coordination (C5+1)", sc.regional_relief,
       ("crossfire_2023",), None, sc.RegionalParams, {"politics": sc.apply_m19}),
    _M("M20", "Diplomatic signals", rus.diplomatic_signal,
       ("pirbudagyan2022_isd", "bokhari2022_wt"), {"KAZ": 1.0}, rus.SignalParams,
       {"politics": rus.apply_m20}),
    _M("M21", "Macro frame: GDP, oil price, oil output", macro.macro_frame,
       ("MODEL_V2", "Schwartz 1997"), None, macro.MacroParams, {"macro": macro.apply_m21}),
    _M("M22", "Partner substitution (Armington trade diversion)", substitution.allocate,
       ("Armington 1969", "Yotov et al. 2016", "Head & Mayer 2014",
        "Chowdhry, Hinz, Kamin & Wanner 2024"), None, substitution.SubstitutionParams,
       {"costs": substitution.apply_m22_costs, "trade": substitution.apply_m22}),
    _M("M23", "Oil routes, disruptions by source, carve-outs", oil.route_oil,
       ("bokhari2022_wt", "MODEL_V2"), None, oil.OilRouteParams, {"oil": oil.apply_m23}),
    _M("M24", "Displacement of evasion to other routes", russia_trade.displace,
       ("Chupilkin, Javorcik & Plekhanov 2023",), None, russia_trade.DisplacementParams,
       {"evasion": russia_trade.apply_m24}),
    _M("M25", "Benchmark replication: pushes counted from the quiet benchmark",
       bench.benchmark_pushes, ("Shoven & Whalley 1992", "Dawkins, Srinivasan & Whalley 2001"),
       None, None,
       {"doctrine": bench.apply_m25}),
)}

MECHANISM_IDS: tuple[str, ...] = tuple(MECHANISMS)
PUSHING_IDS: tuple[str, ...] = tuple(m.id for m in MECHANISMS.values() if m.actors is not None)
"""Mechanisms that push alignment directly (they get "why" columns)."""

BY_STAGE: dict[str, tuple[tuple[str, Callable], ...]] = {
    hook: tuple((m.id, m.stages[hook]) for m in MECHANISMS.values() if hook in m.stages)
    for hook in HOOKS}

__all__ = ["BY_STAGE", "HOOKS", "MECHANISMS", "MECHANISM_IDS", "PUSHING_IDS", "Mechanism"]
