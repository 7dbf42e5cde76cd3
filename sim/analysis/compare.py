"""The comparison table: each outcome per design with its interval, and paired differences."""

from __future__ import annotations

import numpy as np
import pandas as pd

from sim.analysis.pareto import pareto_front
from sim.analysis.stats import interval, paired_difference

HEADLINE = (
    ("mean_pressure_on_russia_usd_bn", "pressure on Russia (USD bn/yr, mean)", True),
    ("mean_pressure_on_russia", "pressure on Russia (share of its 2021 trade, mean)", True),
    ("welfare_loss_usd_bn", "Kazakh welfare loss (USD bn/yr, mean)", False),
    ("welfare_loss_pct_gdp", "Kazakh welfare loss (% of GDP)", False),
    ("final_align_west", "alignment with the West (final share)", True),
    ("final_align_rus", "alignment with Russia (final share)", None),
    ("final_align_chn", "alignment with China (final share)", None),
    ("final_balance_index", "balance index (final, 1 = even)", True),
    ("final_captured_rus", "captured by Russia at the end (share of runs)", False),
    ("final_captured_chn", "captured by China at the end (share of runs)", False),
    ("final_captured_west", "captured by the West at the end (share of runs)", None),
    ("ever_captured_rus", "ever captured by Russia, any month (share of runs)", False),
    ("ever_captured_chn", "ever captured by China, any month (share of runs)", False),
    ("ever_captured_west", "ever captured by the West, any month (share of runs)", None),
    ("mean_evasion_usd_bn", "re-exports to Russia (USD bn/yr)", None),
    ("mean_leakage", "blocked imports reaching Russia anyway (share)", False),
    ("mean_west_outlay_usd_bn", "what the West pays: compensation and engagement (USD bn/yr)",
     False),
    ("final_russia_capacity", "Russia's capacity (final, 2021 = 1)", False),
    ("mean_stability", "stability (mean)", True),
    ("cpc_disruption_days", "CPC outage days (total)", False),
)
FRONTS = {
    "pareto_welfare": ("mean_pressure_on_russia", "welfare_loss_pct_gdp", (True, False)),
    "pareto_west": ("mean_pressure_on_russia", "final_align_west", (True, True)),
    "pareto_balance": ("mean_pressure_on_russia", "final_balance_index", (True, True)),
}


def comparison_table(runs: pd.DataFrame, reference: str, level: float = 0.95,
                     cluster: str = "uncertainty_sample") -> pd.DataFrame:
    """Long table: design, outcome, estimate and interval, paired difference to ``reference``.

    ``runs`` needs a ``design`` column and a ``pair`` column identifying paired runs (same
    seed and uncertainty sample) across designs. Intervals (:mod:`sim.analysis.stats`): t for
    means, Wilson for shares of runs, t on the run-by-run differences for paired differences
    of means and Newcombe's method 10 for paired differences of shares. When runs come from
    two or more uncertainty draws (the ``cluster`` column), the runs of one draw are
    correlated, so every interval is also cluster-robust by draw (t on draws - 1 degrees of
    freedom); ``clusters`` gives the number of draws (0: runs treated as independent).
    Outcomes missing from ``runs`` (results stored by an older kzsim) are left out.
    """
    ref = runs[runs["design"] == reference].set_index("pair").sort_index()
    clustered = cluster in runs.columns and runs[cluster].nunique() >= 2
    rows = []
    for design, group in runs.groupby("design", sort=False):
        g = group.set_index("pair").sort_index()
        common = g.index.intersection(ref.index)
        by = g[cluster].to_numpy() if clustered else None
        by_pair = g.loc[common, cluster].to_numpy() if clustered else None
        for col, label, _ in HEADLINE:
            if col not in runs.columns:
                continue
            est = interval(g[col].to_numpy(), level, by)
            diff = paired_difference(g.loc[common, col].to_numpy(), ref.loc[common, col].to_numpy(),
                                     level, by_pair)
            rows.append({"design": design, "outcome": col, "label": label, "n": len(g),
                         "clusters": int(runs[cluster].nunique()) if clustered else 0,
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
