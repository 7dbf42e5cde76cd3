"""The hindcast figure: yearly quantities 2021-2025 with their 5-95% range and the data."""

from __future__ import annotations

import math

import pandas as pd

from experiments.figures.style import plt

PANELS = ("trade_usd_bn.RUS", "trade_usd_bn.CHN", "trade_usd_bn.EU", "trade_usd_bn.USA",
          "exports_usd_bn.RUS", "imports_usd_bn.EU", "import_share.CHN", "oil_share_via_russia",
          "middle_corridor_mt", "reexports_to_russia_usd_bn", "alignment.RUS", "alignment.EU")
UNITS = {"trade": "USD bn", "exports": "USD bn", "imports": "USD bn", "import_share": "share",
         "oil_share_via_russia": "share", "middle_corridor_mt": "mt", "reexports": "USD bn/yr",
         "alignment": "share"}


def hindcast_figure(table: pd.DataFrame, observed: pd.DataFrame):
    """Model mean and 5-95% band per year; observed 2021 (baseline) and 2022 (targets) as dots."""
    ncols = 4
    nrows = math.ceil(len(PANELS) / ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(15, 3.0 * nrows + 0.8), squeeze=False)
    for ax, q in zip(axes.flat, PANELS):
        d = table[table.quantity == q].sort_values("year")
        ax.fill_between(d.year, d.p05, d.p95, color="#56B4E9", alpha=0.35, lw=0, label="model 5-95%")
        ax.plot(d.year, d.value, color="#0072B2", marker="o", ms=3, label="model mean")
        o = observed[observed.quantity == q]
        ax.scatter(o.year, o.observed, color="black", zorder=5, s=25, label="observed (data rows)")
        ax.axvspan(2022.5, d.year.max() + 0.3, color="#999999", alpha=0.12, lw=0)
        unit = next((u for k, u in UNITS.items() if q.startswith(k)), "")
        ax.set_title(f"{q} ({unit})", fontsize=9)
        ax.set_xticks(range(int(d.year.min()), int(d.year.max()) + 1))
        ax.grid(alpha=0.3)
    for ax in axes.flat[len(PANELS):]:
        ax.set_visible(False)
    axes.flat[0].legend(fontsize=7, loc="best")
    fig.suptitle("Hindcast 2021-2025: grey = predictions (2023 on are not in the shared data); "
                 "2021 = baseline, 2022 = replay of the year's events", fontsize=10)
    fig.tight_layout()
    return fig
