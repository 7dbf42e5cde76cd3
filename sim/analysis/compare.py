"""The comparison table: each outcome per design with its interval, and paired differences."""

from __future__ import annotations

import numpy as np
import pandas as pd

from sim.analysis.pareto import pareto_front
from sim.analysis.stats import interval, paired_difference

HEADLINE = (
    ("mean_pressure_on_russia", "pressure on Russia (mean, 0-1)", True),
    ("welfare_loss_pct_gdp", "Kazakh welfare loss (% of GDP)", False),
    ("final_align_west", "alignment with the West (final share)", True),
    ("final_align_rus", "alignment with Russia (final share)", None),
    ("final_align_chn", "alignment with China (final share)", None),
    ("final_balance_index", "balance index (final, 1 = even)", True),
    ("captured_rus", "captured by Russia (share of runs)", False),
    ("captured_chn", "captured by China (share of runs)", False),
    ("captured_west", "captured by the West (share of runs)", None),
    ("mean_evasion_usd_bn", "re-exports to Russia (USD bn/yr)", None),
    ("mean_leakage", "pressure lost to leakage (share)", False),
    ("final_russia_capacity", "Russia's capacity (final, 2021 = 1)", False),
    ("mean_stability", "stability (mean)", True),
    ("cpc_disruption_days", "CPC outage days (total)", False),
)
FRONTS = {
    "pareto_welfare": ("mean_pressure_on_russia", "welfare_loss_pct_gdp", (True, False)),
    "pareto_west": ("mean_pressure_on_russia", "final_align_west", (True, True)),
    "pareto_balance": ("mean_pressure_on_russia", "final_balance_index", (True, True)),
}


def comparison_table(runs: pd.DataFrame, reference: str, level: float = 0.95) -> pd.DataFrame:
    """Long table: design, outcome, estimate and interval, paired difference to ``reference``.

    ``runs`` needs a ``design`` column and a ``pair`` column identifying paired runs (same
    seed and uncertainty sample) across designs.
    """
    ref = runs[runs["design"] == reference].set_index("pair").sort_index()
    rows = []
    for design, group in runs.groupby("design", sort=False):
        g = group.set_index("pair").sort_index()
        common = g.index.intersection(ref.index)
        for col, label, _ in HEADLINE:
            est = interval(g[col].to_numpy(), level)
            diff = paired_difference(g.loc[common, col].to_numpy(), ref.loc[common, col].to_numpy(),
                                     level)
            rows.append({"design": design, "outcome": col, "label": label, "n": len(g),
                         "estimate": est.estimate, "low": est.low, "high": est.high,
                         "diff": diff.estimate, "diff_low": diff.low, "diff_high": diff.high})
    return pd.DataFrame(rows)


def pareto_marks(table: pd.DataFrame) -> pd.DataFrame:
    """Per design: whether it is on each Pareto front (pressure vs welfare, West, balance)."""
    wide = table.pivot(index="design", columns="outcome", values="estimate")
    out = pd.DataFrame(index=wide.index)
    for name, (x, y, senses) in FRONTS.items():
        out[name] = pareto_front(wide[[x, y]].to_numpy(), senses)
    return out


def significant(row) -> bool:
    """Whether a paired difference's interval excludes zero."""
    return bool(np.sign(row["diff_low"]) == np.sign(row["diff_high"]) and row["diff_low"] != 0)
