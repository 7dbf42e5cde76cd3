"""The mechanism registry: M1-M20 of MODEL.md, each a named, switchable, pure piece.

``MECHANISMS`` maps each id to its function, the articles behind it and the actors its push is
attributed to ("WEST" splits between the US and the EU by their share of sanctions pressure;
"OWN" gives each power's column to that power).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from sim.mechanisms.domestic import bridge_value, doctrine_pull, domestic_stability
from sim.mechanisms.partners import (
    china_courtship,
    china_discontent,
    eu_partnership,
    route_diversification,
    us_engagement,
)
from sim.mechanisms.russia import (
    diplomatic_signal,
    energy_leverage,
    russia_decline,
    russian_offers,
    security_leverage,
)
from sim.mechanisms.sanctions_costs import (
    backfire,
    bystander_cost,
    calibration_relief,
    compliance_strain,
    regional_relief,
    transshipment,
    unfairness,
)


@dataclass(frozen=True)
class Mechanism:
    """Metadata of one mechanism."""

    id: str
    title: str
    function: Callable
    sources: tuple[str, ...]
    actors: dict | str


_M = Mechanism
MECHANISMS: dict[str, Mechanism] = {m.id: m for m in (
    _M("M1", "Bystander cost", bystander_cost, ("bokhari2023_hill",), "WEST"),
    _M("M2", "Compliance strains relations with Russia", compliance_strain,
       ("bokhari2023_hill",), {"RUS": 1.0}),
    _M("M3", "Transshipment", transshipment, ("crossfire_2023", "bokhari2023_hill"), {"RUS": 1.0}),
    _M("M4", "Backfire", backfire, ("crossfire_2023", "burkewhite2022_hill"), "WEST"),
    _M("M5", "Calibration", calibration_relief,
       ("bokhari2023_hill", "burkewhite2022_hill"), "WEST"),
    _M("M6", "Fairness", unfairness, ("bokhari2023_hill",), "WEST"),
    _M("M7", "Energy-route leverage", energy_leverage,
       ("bokhari2022_wt", "burkewhite2022_hill"), {"RUS": 1.0}),
    _M("M8", "Security leverage", security_leverage,
       ("burkewhite2022_hill", "bokhari2022_wt"), {"RUS": 1.0}),
    _M("M9", "Russian geoeconomic offers", russian_offers,
       ("bokhari2022_wt", "pirbudagyan2022_isd"), {"RUS": 1.0}),
    _M("M10", "Russia's decline", russia_decline, ("bokhari2022_wt",), "WEST"),
    _M("M11", "China's economic courtship", china_courtship,
       ("burkewhite2022_hill", "pirbudagyan2022_isd", "bokhari2022_wt"), {"CHN": 1.0}),
    _M("M12", "Public discontent with Chinese influence", china_discontent,
       ("pirbudagyan2022_isd",), {"KAZ": 1.0}),
    _M("M13", "US engagement", us_engagement,
       ("burkewhite2022_hill", "pirbudagyan2022_isd"), {"USA": 1.0}),
    _M("M14", "EU trade and energy partnership", eu_partnership,
       ("burkewhite2022_hill", "crossfire_2023"), {"EU": 1.0}),
    _M("M15", "Route diversification", route_diversification, ("bokhari2022_wt",), "WEST"),
    _M("M16", "Multi-vector doctrine", doctrine_pull,
       ("burkewhite2022_hill", "bokhari2022_wt", "bokhari2023_hill", "crossfire_2023",
        "pirbudagyan2022_isd"),
       {"KAZ": 1.0}),
    _M("M17", "Domestic stability and reform", domestic_stability,
       ("bokhari2023_hill",), {"KAZ": 1.0}),
    _M("M18", "Bridge value", bridge_value, ("burkewhite2022_hill",), "OWN"),
    _M("M19", "Regional coordination (C5+1)", regional_relief,
       ("crossfire_2023",), {"KAZ": 0.5, "USA": 0.5}),
    _M("M20", "Diplomatic signals", diplomatic_signal,
       ("pirbudagyan2022_isd", "bokhari2022_wt"), {"KAZ": 1.0}),
)}

MECHANISM_IDS: tuple[str, ...] = tuple(MECHANISMS)

__all__ = ["MECHANISMS", "MECHANISM_IDS", "Mechanism"]
