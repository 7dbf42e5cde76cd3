"""Kazakh real income this month, the quantity whose paired difference is the welfare loss.

MODEL_V2.md ("Outcomes that are outcomes"): the welfare loss is real income against a paired
counterfactual run without sanctions on the same seeds (``sim.model``), so with no sanctions
it is exactly zero. Income here is the GDP path less what trade costs, lost markets, lost oil
and penalties take, plus intermediaries' margins and compensation received.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sim.schema import FITTED, effect


@dataclass(frozen=True)
class IncomeParams:
    """How trade losses become income losses."""

    value_added: float = field(metadata=effect(
        0.0, 1.0, "", "income lost per USD of non-oil export sales lost",
        "assumption: domestic value added of exports", (0.3, 0.6)))
    oil_value_added: float = field(metadata=effect(
        0.0, 1.0, "", "income lost per USD of oil revenue lost",
        "assumption: rents and taxes of oil exports", (0.5, 0.9)))
    import_windfall: float = field(metadata=effect(
        0.0, 3.0, "", "extra imports per USD of oil revenue above its 2021 value",
        FITTED + "assumption, windfalls are partly spent on imports", (0.2, 1.0)))


def real_income(gdp, import_price_loss, export_access_loss, oil_shortfall, margin, penalties,
                compensation, p: IncomeParams):
    """Real income (USD bn/yr): GDP less trade, oil and penalty losses, plus gains."""
    return (gdp - import_price_loss - p.value_added * export_access_loss
            - p.oil_value_added * oil_shortfall + margin - penalties + compensation)
