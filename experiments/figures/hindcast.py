"""The hindcast figure: yearly quantities 2021-2025 with their 5-95% range and the data."""

from __future__ import annotations

import math

import pandas as pd

from kzsim.figures.style import BLOC_COLOURS, plt, user_text_safe, with_note
from sim.targets import bound_column

PANELS = ("trade_usd_bn.RUS", "trade_usd_bn.CHN", "trade_usd_bn.EU", "trade_usd_bn.USA",
          "exports_usd_bn.RUS", "imports_usd_bn.EU", "import_share.CHN", "oil_share_via_russia",
          "middle_corridor_mt", "reexports_to_russia_usd_bn", "alignment.RUS", "alignment.EU",
          "unga_agreement.RUS", "unga_agreement.CHN", "unga_agreement.USA", "unga_agreement.EU")
UNITS = {"trade": "USD bn", "exports": "USD bn", "imports": "USD bn", "import_share": "share",
         "oil_share_via_russia": "share", "middle_corridor_mt": "mt", "reexports": "USD bn/yr",
         "alignment": "share", "unga_agreement": "share"}
NAMES = {"trade_usd_bn": "trade with {p}", "exports_usd_bn": "exports to {p}",
         "imports_usd_bn": "imports from {p}", "import_share": "{p}'s share of imports",
         "alignment": "alignment with {p}",
         "unga_agreement": "UN vote agreement with {p}",
         "oil_share_via_russia": "share of oil exported via Russia",
         "middle_corridor_mt": "Middle Corridor cargo",
         "reexports_to_russia_usd_bn": "re-exports to Russia"}
POWERS = {"RUS": ("Russia", "rus"), "CHN": ("China", "chn"), "EU": ("the EU", "eu"),
          "USA": ("the US", "usa")}
NEUTRAL = "#444444"  # quantities that belong to no one power


def panel_title(quantity: str) -> tuple[str, str]:
    """('trade with Russia (USD bn)', colour of the power it concerns) for a quantity key."""
    base, _, code = quantity.partition(".")
    power, bloc = POWERS.get(code, ("", None))
    if bloc is None and "russia" in base:
        bloc = "rus"
    unit = next((u for k, u in UNITS.items() if quantity.startswith(k)), "")
    name = NAMES.get(base, base.replace("_", " ")).format(p=power).strip()
    return f"{name[0].upper()}{name[1:]} ({unit})", BLOC_COLOURS.get(bloc, NEUTRAL)


@user_text_safe
def hindcast_figure(table: pd.DataFrame, observed: pd.DataFrame, note: str = ""):
    """Model mean and 5-95% band per year; observed 2021 (baseline) and 2022 (targets) as dots.

    The UN vote agreement panels show the expected agreement and a band that includes the
    vote's observation error, with the observed agreement of 2021 and 2022.

    Each panel's model line has the colour of the power it concerns. ``note`` (settings
    changed from the defaults) is shown under the title.
    """
    ncols = 4
    nrows = math.ceil(len(PANELS) / ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(15, 3.0 * nrows + 1.0), squeeze=False,
                             layout="constrained")
    for ax, q in zip(axes.flat, PANELS, strict=False):
        d = table[table.quantity == q].sort_values("year")
        title, colour = panel_title(q)
        ax.fill_between(d.year, d.p05, d.p95, color=colour, alpha=0.25, lw=0, label="model 5-95%")
        ax.plot(d.year, d.value, color=colour, marker="o", ms=3, label="model mean")
        o = observed[observed.quantity == q]
        at_least = bound_column(o) == "lower"
        ax.scatter(o.year[~at_least], o.observed[~at_least], color="black", marker="D",
                   zorder=5, s=22, label="observed (data rows)")
        if at_least.any():
            floor = ax.scatter(o.year[at_least], o.observed[at_least], color="black",
                               marker="^", zorder=5, s=30, label="observed lower bound")
            ax.legend(handles=[floor], fontsize=7, loc="upper right")
        ax.axvspan(2022.5, d.year.max() + 0.3, color="#999999", alpha=0.12, lw=0)
        ax.set_title(title, fontsize=9)
        ax.set_xticks(range(int(d.year.min()), int(d.year.max()) + 1))
        ax.grid(alpha=0.3)
    for ax in axes.flat[len(PANELS):]:
        ax.set_visible(False)
    axes.flat[0].legend(fontsize=7, loc="best")
    fig.suptitle(with_note("Hindcast 2021-2025: grey = predictions (2023 on are not in the "
                           "shared data); 2021 = baseline, 2022 = replay of the year's events; "
                           "line colour = the power a quantity concerns;\nUN vote agreement "
                           "= expected agreement, its band includes the vote's observation error",
                           note), fontsize=10)
    return fig
