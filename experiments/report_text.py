"""Plain-language summaries generated from the numbers of a results folder (not canned text)."""

from __future__ import annotations

import pandas as pd

from sim.analysis.compare import HEADLINE, significant
from sim.results import Results
from sim.sweep.settings import lever_field

LABEL = {c: lab for c, lab, _ in HEADLINE}
BETTER_HIGH = {c: b for c, _, b in HEADLINE}


def _fmt(x: float) -> str:
    return f"{x:+.3f}" if abs(x) < 10 else f"{x:+.1f}"


def compare_summary(table: pd.DataFrame, marks: pd.DataFrame, reference: str,
                    res: Results) -> list[str]:
    """Sentences on what a comparison shows: differences whose 95% interval excludes zero."""
    c = res.manifest["counts"]
    comp = res.manifest.get("compare", {})
    u = comp.get("uncertainty_samples", 0)
    out = [f"{len(marks)} designs were run on the same {c['replications']:,} paired "
           f"{'seed and parameter draws' if u else 'seeds'} each ({c['runs']:,} runs of "
           f"{c['turns']} months from {res.manifest['config']['start']}); differences below are "
           f"paired against {reference} and reported only where their 95% interval excludes zero."]
    for design in dict.fromkeys(table["design"]):
        if design == reference:
            continue
        sub = table[(table["design"] == design)].set_index("outcome")
        parts = []
        for col in ("mean_pressure_on_russia_usd_bn", "welfare_loss_pct_gdp", "final_align_west",
                    "final_align_rus", "final_align_chn", "final_captured_rus",
                    "final_captured_chn"):
            if col not in sub.index:
                continue
            r = sub.loc[col]
            if significant(r):
                word = "raises" if r["diff"] > 0 else "lowers"
                lo, hi = sorted((abs(r["diff_low"]), abs(r["diff_high"])))
                unit = {"welfare_loss_pct_gdp": " points of GDP",
                        "mean_pressure_on_russia_usd_bn": " USD bn/yr"}.get(col, "")
                parts.append(f"{word} {LABEL[col].split(' (')[0]} by {abs(r['diff']):.3g}{unit} "
                             f"(95% CI {lo:.3g} to {hi:.3g})")
        out.append(f"{design}: "
                   + ("; ".join(parts) if parts else
                      f"no difference from {reference} that the runs can resolve")
                   + ".")
    for col, text in (("pareto_welfare", "pressure on Russia against Kazakh welfare loss"),
                      ("pareto_west", "pressure on Russia against alignment with the West")):
        front = list(marks.index[marks[col]])
        out.append(f"On the Pareto front of {text}: {', '.join(front)}; each other design is "
                   "outdone on both counts by at least one of these.")
    est = table.pivot(index="design", columns="outcome", values="estimate")
    east = (est["final_captured_rus"] + est["final_captured_chn"]).sort_values(ascending=False)
    if east.iloc[0] > 0:
        out.append(f"Runs end captured by Russia or China (a bloc above one half at the end) most "
                   f"often under {east.index[0]} ({east.iloc[0]:.0%} of runs); under "
                   f"{east.index[-1]} in {east.iloc[-1]:.0%}.")
    else:
        out.append("No run of any design ended with Russia or China holding more than half of "
                   "Kazakhstan's alignment.")
    if {"ever_captured_rus", "ever_captured_chn"} <= set(est.columns):
        ever = (est["ever_captured_rus"] + est["ever_captured_chn"]).sort_values(ascending=False)
        if ever.iloc[0] > east.max():
            out.append(f"Counting any month, not only the end, Russia or China held more than "
                       f"half at some point in up to {ever.iloc[0]:.0%} of runs (under "
                       f"{ever.index[0]}): ever captured, not captured at the end.")
    best = est["final_align_west"].idxmax()
    worst = est["final_align_west"].idxmin()
    out.append(f"Final alignment with the West is highest under {best} "
               f"({est.loc[best, 'final_align_west']:.3f}) and lowest under {worst} "
               f"({est.loc[worst, 'final_align_west']:.3f}).")
    return out


def lever_effects(runs: pd.DataFrame, levers: list[str], outcomes) -> pd.DataFrame:
    """Mean outcome at each lever's highest level minus its lowest level (others pooled)."""
    rows = []
    for lever in levers:
        lo, hi = runs[lever].min(), runs[lever].max()
        q = runs[lever].quantile([0.1, 0.9]) if runs[lever].nunique() > 12 else pd.Series([lo, hi])
        low_runs = runs[runs[lever] <= q.iloc[0]]
        high_runs = runs[runs[lever] >= q.iloc[-1]]
        row = {"lever": lever, "low": float(q.iloc[0]), "high": float(q.iloc[-1])}
        for col in outcomes:
            row[col] = float(high_runs[col].mean() - low_runs[col].mean())
        rows.append(row)
    return pd.DataFrame(rows)


def sweep_summary(res: Results, effects: pd.DataFrame) -> list[str]:
    """Sentences on what a sweep shows: ranges, capture, and each lever's pooled effect."""
    runs, m = res.runs, res.manifest
    c = m["counts"]
    levers = m["levers"]
    per_point = runs.groupby("point_id")[["final_align_west", "welfare_loss_pct_gdp",
                                          "mean_pressure_on_russia", "final_captured_rus",
                                          "final_captured_chn", "final_captured_west"]].mean()
    pts = res.points.set_index("point_id")
    out = [f"{c['points']:,} points of the {m.get('sweep', {}).get('design', 'sweep')} design over "
           f"{', '.join(lever_field(lv) for lv in levers)}, {c['replications']} paired "
           f"replications each: {c['runs']:,} runs of {c['turns']} months."]

    def where(pid) -> str:
        return ", ".join(f"{lever_field(lv)} {pts.loc[pid, lv]:.2g}" for lv in levers)

    hi, lo = per_point["final_align_west"].idxmax(), per_point["final_align_west"].idxmin()
    out.append(f"Mean final alignment with the West ranges from "
               f"{per_point.loc[lo, 'final_align_west']:.3f} "
               f"({where(lo)}) to {per_point.loc[hi, 'final_align_west']:.3f} ({where(hi)}).")
    east = per_point["final_captured_rus"] + per_point["final_captured_chn"]
    risky = int((east > 0.5).sum())
    out.append(f"More than half the runs end captured by Russia or China (a bloc above one half "
               f"at the end of the run) at {risky} of {len(per_point)} points (worst: "
               f"{east.max():.0%} of runs at {where(east.idxmax())}); more than half end captured "
               f"by the West at {int((per_point['final_captured_west'] > 0.5).sum())} points.")
    for _, e in effects.iterrows():
        name = lever_field(e["lever"]).replace("_", " ")
        out.append(f"Raising {name} from {e['low']:.2g} to {e['high']:.2g} (other levers pooled) "
                   f"changes West alignment by {_fmt(e['final_align_west'])}, welfare loss by "
                   f"{_fmt(e['welfare_loss_pct_gdp'])} points of GDP, pressure on Russia by "
                   f"{_fmt(e['mean_pressure_on_russia'])} of Russia's 2021 trade and the share "
                   f"of runs ending captured "
                   f"by Russia or China by {_fmt(e['east'])}.")
    return out
