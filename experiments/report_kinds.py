"""Reports of the folders ``load_results`` does not read (run, hindcast, calibration, ...).

These are run, hindcast, calibration, fit and sensitivity folders, and the scenario discovery
``kzsim discover`` writes.

Each folder's manifest is validated and every listed file checked against its SHA-256 before
anything is read; the figures are the folder's stored PNGs or drawn from its stored tables.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from kzsim.figures.style import png_bytes
from kzsim.report_render import Report
from sim.errors import ConfigError
from sim.files import shown
from sim.results import check_intact
from sim.targets import bound_column, shortfall, within_tolerance


@dataclass
class Stored:
    """A verified results folder of a kind that :func:`sim.results.load_results` does not read.

    ``manifest`` is validated and every file it lists has been checked against its size and
    SHA-256; :meth:`data` reads only listed files.
    """

    path: Path
    manifest: dict

    @property
    def kind(self) -> str:
        """What wrote the folder (``run``, ``hindcast``, ``calibration``, ``sensitivity``)."""
        return self.manifest.get("kind", "discovery")

    def data(self, name: str) -> bytes:
        """Return a listed, verified file's bytes."""
        if name not in self.manifest.get("files", {}):
            raise ConfigError(f"{shown(self.path)}/{name} is not listed in its manifest; re-run "
                              f"the command that wrote {shown(self.path)}")
        return (self.path / name).read_bytes()

    def text(self, name: str) -> str:
        """Return a listed, verified text file."""
        return self.data(name).decode("utf-8", errors="replace")

    def csv(self, name: str) -> pd.DataFrame:
        """Return a listed, verified CSV file as a table."""
        return pd.read_csv(io.BytesIO(self.data(name)))


FRESH_HINTS = {"sensitivity": "sensitivity.fresh=true"}


def _verified(path: Path, manifest: dict) -> Stored:
    """The folder, after checking it is complete and every listed file is intact."""
    hint = FRESH_HINTS.get(manifest["kind"], "another out=")
    if not manifest["complete"]:
        raise ConfigError(f"{shown(path)} is not complete (the {manifest['kind']} that writes it "
                          "did not finish); run the same command again to finish it first")
    check_intact(path, manifest, hint)
    return Stored(path, manifest)


def _names(config: dict) -> str:
    policy = config.get("policy", {})
    return (f"design {config.get('sanctions', {}).get('name')}; policies: Kazakhstan "
            f"{policy.get('kaz')}, Russia {policy.get('rus')}, China {policy.get('chn')}, "
            f"US {policy.get('usa')}, EU {policy.get('eu')}")


def _run_report(st: Stored) -> Report:
    config = st.manifest.get("config", {})
    traj = pd.read_parquet(io.BytesIO(st.data("trajectories.parquet")))
    last = traj["turn"].max()
    start, final = traj[traj["turn"] == 0], traj[traj["turn"] == last]
    west = final["align_usa"] + final["align_eu"]
    med = {"Russia": final["align_rus"].median(), "China": final["align_chn"].median(),
           "the West (US + EU)": west.median()}
    captured = {"Russia": (final["align_rus"] > 0.5).mean(),
                "China": (final["align_chn"] > 0.5).mean(), "the West": (west > 0.5).mean()}
    summary = [
        f"{len(final):,} run(s) of {last} months, {start['date'].iloc[0]} to "
        f"{final['date'].iloc[0]}; {_names(config)}.",
        "Final alignment (median over runs): " + ", ".join(f"{k} {v:.3f}" for k, v in med.items())
        + f"; balance index {final['balance_index'].median():.3f} (1 = even; "
        f"{start['balance_index'].iloc[0]:.3f} at the start).",
        "Share of runs ending captured (a bloc above one half at the end): "
        + ", ".join(f"{k} {v:.0%}" for k, v in captured.items()) + ".",
        f"Welfare at the end is {final['welfare'].median():.4f} of the no-sanctions path "
        f"(median; 1 = no loss).",
    ]
    rep = Report(f"Run '{st.manifest.get('name', config.get('name'))}'", summary)
    rep.figures += [("alignment", "Alignment over time (median and 5-95% of runs)",
                     st.data("alignment.png")),
                    ("ternary", "Alignment on the Russia / China / West simplex",
                     st.data("ternary.png"))]
    rep.texts.append(("Final month against the start (summary.txt, as kzsim run printed it)",
                      st.text("summary.txt")))
    return rep


def _quantity_label(quantity: str) -> str:
    from kzsim.figures.hindcast import panel_title

    base, _, code = quantity.partition(".")
    if code == "TOTAL":
        return f"total {base.split('_')[0]} (USD bn)"
    return panel_title(quantity)[0].replace(" ()", "")


def _hindcast_report(st: Stored) -> Report:
    config, settings = st.manifest.get("config", {}), st.manifest.get("settings") or {}
    table = st.csv("hindcast.csv")
    years = sorted(table["year"].unique())
    value = table.pivot(index="quantity", columns="year", values="value")
    history = (config.get("history") or {}).get("name", "no")
    summary = [f"A replay of December {years[0]} to December {years[-1]} with the {history} "
               f"events and {config.get('runs')} replications (seed {config.get('seed')}); "
               "values are means over replications (5-95% ranges in hindcast.csv); years after "
               "2022 are predictions, made without looking at later data."]
    targets = pd.DataFrame((settings.get("targets") or {}).get("targets") or [])
    checks = pd.DataFrame()
    if not targets.empty:
        merged = targets.merge(table, on=["quantity", "year"], how="inner")
        if not merged.empty:
            merged["error"] = merged["value"] / merged["observed"] - 1
            kinds = bound_column(merged)
            merged["within"] = within_tolerance(merged["error"], merged["tolerance"], kinds)
            miss = shortfall(merged["error"].to_numpy(float), kinds)
            worst = merged.iloc[int(np.argmax(np.abs(miss) / merged["tolerance"].to_numpy(float)))]
            summary.append(
                f"Against the {len(merged)} observed levels it can be checked on, the replay is "
                f"within tolerance on {int(merged['within'].sum())}; the largest miss relative to "
                f"its tolerance is {_quantity_label(worst['quantity'])} in {worst['year']}: "
                f"{worst['value']:.3g} against {worst['observed']:.3g} observed "
                f"({worst['error']:+.0%}, tolerance {worst['tolerance']:.0%}).")
            checks = merged.assign(quantity=merged["quantity"].map(_quantity_label))[
                ["quantity", "year", "observed", "value", "error", "tolerance", "within",
                 "source"]].rename(columns={"value": "simulated", "error": "relative error"})
    for code, name in (("RUS", "Russia"), ("CHN", "China"), ("EU", "the EU"), ("USA", "the US")):
        key = f"trade_usd_bn.{code}"
        if key in value.index:
            path = " / ".join(f"{value.loc[key, y]:.1f}" for y in years)
            summary.append(f"Trade with {name}, USD bn a year ({years[0]} to {years[-1]}): "
                           f"{path}.")
    align = [f"{n} {value.loc[f'alignment.{c}', years[-1]]:.3f}"
             for c, n in (("RUS", "Russia"), ("CHN", "China"), ("USA", "the US"), ("EU", "the EU"))
             if f"alignment.{c}" in value.index]
    if align:
        summary.append(f"Alignment at the end of {years[-1]} (year-end, mean): {', '.join(align)}.")
    rep = Report(f"Hindcast {years[0]}-{years[-1]}", summary)
    rep.figures.append(("hindcast", "Yearly quantities with their 5-95% range over "
                        "replications, and the observations", st.data("hindcast.png")))
    if not checks.empty:
        rep.tables.append(("Observed against simulated", checks.set_index("quantity")))
    value.index = [_quantity_label(q) for q in value.index]
    value.index.name = "quantity (mean over replications)"
    rep.tables.append(("Simulated values per year", value))
    return rep


def _calibration_report(st: Stored) -> Report:
    from kzsim.figures.calibration import fit_figure

    fit = st.csv("fit.csv")
    fitted = st.text("fitted.yaml")
    header = fitted.splitlines()[0] if fitted else ""
    objective = re.search(r"objective ([0-9.eE+-]+)", header)
    runs = re.search(r"([0-9,]+) runs in ([0-9.]+) s", header)
    settings = (st.manifest.get("settings") or {}).get("calibration", {})
    ok = fit["within_tolerance"].astype(bool)
    miss = shortfall(fit["relative_error"].to_numpy(float), bound_column(fit))
    worst = fit.iloc[int(np.argmax(np.abs(miss) / fit["tolerance"].to_numpy(float)))]
    summary = [f"{int(ok.sum())} of {len(fit)} targets are within tolerance"
               + (f"; objective {objective.group(1)}" if objective else "")
               + (f"; {runs.group(1)} runs in {runs.group(2)} s" if runs else "") + "."]
    if settings:
        summary.append(f"Targets {settings.get('targets')}: {settings.get('candidates'):,} "
                       f"Latin-hypercube candidates, then {settings.get('refine'):,} around the "
                       f"best, each on the same {settings.get('replications')} paired seeds.")
    summary.append(f"The largest error relative to its tolerance is "
                   f"{_quantity_label(worst['quantity'])}: {worst['simulated']:.3g} simulated "
                   f"against {worst['observed']:.3g} "
                   f"observed ({worst['relative_error']:+.1%}, tolerance "
                   f"{worst['tolerance']:.0%}).")
    missed = [_quantity_label(q) for q in fit.loc[~ok, "quantity"]]
    if missed:
        summary.append("Outside tolerance: " + ", ".join(missed) + ".")
    rep = Report(f"Calibration to {settings.get('targets', 'the targets')}", summary)
    rep.figures.append(("fit", "Relative error of each target against its tolerance",
                        png_bytes(fit_figure(fit, fit["quantity"].map(_quantity_label)))))
    table = fit.assign(quantity=fit["quantity"].map(_quantity_label)).set_index("quantity")
    rep.tables.append(("Targets: observed, simulated and tolerance (fit.csv)", table))
    rep.texts.append(("Fitted values (fitted.yaml)", fitted))
    return rep


def _fit_report(st: Stored) -> Report:
    import json

    from kzsim.figures.fit import check_figure, width_figure

    check = st.csv("fit_check.csv")
    summary = st.csv("posterior_summary.csv")
    gens = st.csv("generations.csv")
    meta = json.loads(st.text("posterior/posterior.json"))
    fit = (meta.get("settings") or {}).get("fit", {})
    window = (fit.get("fit") or {}).get("window", "2022")
    inside = check["inside"].astype(bool)
    tight = summary.nsmallest(3, "width_ratio")
    lines = [f"{int(inside.sum())} of {len(check)} observations lie inside their "
             f"posterior-predictive 90% bands (in-sample coverage; window {window}).",
             f"{len(meta['parameters'])} parameters, {meta['particles']['rows']:,} particles; "
             f"{int(gens['simulations'].sum()):,} parameter sets simulated over "
             f"{len(gens) - 1} generations in {gens['seconds'].sum():.0f} s; stopped: "
             f"{meta['stopped']}; final tolerance {gens['epsilon'].iloc[-1]:.3f}.",
             "Best pinned down (90% interval width over the prior's): "
             + ", ".join(f"{r.name} {r.width_ratio:.2f}" for r in tight.itertuples()) + "."]
    missed = [f"{q} {y}" for q, y in zip(check.loc[~inside, "quantity"],
                                         check.loc[~inside, "year"], strict=True)]
    if missed:
        lines.append("Outside their bands: " + ", ".join(missed) + ".")
    rep = Report(f"Evidence fit (ABC), fitted {meta['fit_date'][:10]}", lines)
    rep.figures.append(("check", "Each observation against its posterior-predictive 90% band",
                        png_bytes(check_figure(check))))
    rep.figures.append(("widths", "Posterior width over prior width per parameter",
                        png_bytes(width_figure(summary))))
    rep.tables.append(("Posterior summary (posterior_summary.csv)", summary.set_index("name")))
    rep.tables.append(("Posterior-predictive check (fit_check.csv)",
                       check.set_index("statistic")))
    rep.tables.append(("Generations (generations.csv)", gens.set_index("t")))
    return rep


def _input_label(name: str) -> str:
    from sim.mechanisms import MECHANISMS

    path = str(name).replace("__", ".").split(".")
    if path[0] == "params" and len(path) > 2 and path[1] in MECHANISMS:
        return f"{path[1]} {path[-1].replace('_', ' ')} ({MECHANISMS[path[1]].title})"
    return path[-1].replace("_", " ")


def _sensitivity_report(st: Stored) -> Report:
    from kzsim.figures.levers import OUTCOME_LABELS

    sobol, morris = st.csv("sobol.csv"), st.csv("morris.csv")
    settings = st.manifest.get("settings") or {}
    inputs = sobol["parameter"].nunique()
    summary = [f"{inputs} inputs; Sobol indices from {settings.get('samples')} Saltelli base "
               f"samples and Morris screening from {settings.get('morris_trajectories')} "
               f"trajectories, each point averaged over {settings.get('replications')} paired "
               "replications. Indices are estimates: the ± is the 95% bootstrap half-width, and "
               "an estimate above 1 or below 0 is within sampling error of the range [0, 1]."]
    for outcome in dict.fromkeys(sobol["outcome"]):
        top = sobol[sobol["outcome"] == outcome].sort_values("ST", ascending=False).head(4)
        ranked = ", ".join(f"{_input_label(p)} {st_:.2f}±{c:.2f}"
                           for p, st_, c in zip(top["parameter"], top["ST"], top["ST_conf"],
                                                strict=True))
        label = OUTCOME_LABELS.get(outcome, outcome)
        summary.append(f"{label[:1].upper()}{label[1:]}: most influential by total "
                       f"Sobol index: {ranked}.")
    rep = Report(f"Sensitivity '{st.manifest.get('name')}'", summary)
    rep.figures += [("sobol", "Sobol indices: first order (S1) and total (ST), 95% intervals",
                     st.data("sobol.png")),
                    ("morris", "Morris screening: mean absolute elementary effect (mu*)",
                     st.data("morris.png"))]
    for frame, value, conf, caption in (
            (sobol, "ST", "ST_conf", "Total Sobol index ± 95% half-width (sobol.csv)"),
            (sobol, "S1", "S1_conf", "First-order Sobol index ± 95% half-width (sobol.csv)"),
            (morris, "mu_star", "mu_star_conf", "Morris mu* ± 95% half-width (morris.csv)")):
        cells = frame.assign(cell=[f"{v:.3f} ± {c:.3f}" for v, c in zip(frame[value], frame[conf],
                                                                          strict=True)],
                             input=frame["parameter"].map(_input_label))
        wide = cells.pivot(index="input", columns="outcome", values="cell")
        order = frame.groupby("parameter")[value].max().sort_values(ascending=False).index
        wide = wide.reindex([_input_label(p) for p in order])
        wide.columns = [OUTCOME_LABELS.get(c, c) for c in wide.columns]
        rep.tables.append((caption, wide))
    return rep


DISCOVERY = ("discovery.csv", "discovery.png", "discovery_tree.txt")


def _add_discovery(rep: Report, path: Path) -> None:
    """Add the scenario discovery a folder holds (``kzsim discover`` writes it beside the runs)."""
    if not all((path / name).is_file() for name in DISCOVERY):
        return
    tree = (path / "discovery_tree.txt").read_text(errors="replace")
    first = tree.splitlines()[0] if tree else ""
    target = first[len("# target: "):] if first.startswith("# target: ") else "the target"
    boxes = pd.read_csv(path / "discovery.csv")
    if boxes.empty:
        return
    best = boxes[boxes["box"] == boxes["box"].min()]
    ranges = "; ".join(f"{'.'.join(str(lv).replace('__', '.').split('.')[1:])} in "
                       f"[{lo:.3g}, {hi:.3g}]" for lv, lo, hi in zip(best["lever"], best["low"],
                                                                      best["high"], strict=True))
    rep.summary.append(f"Scenario discovery (kzsim discover) for '{target}': box 1 holds "
                       f"{best['coverage'].iloc[0]:.0%} of the runs where it holds (coverage), "
                       f"and it holds in {best['density'].iloc[0]:.0%} of the runs inside "
                       f"(density): {ranges}.")
    rep.figures.append(("discovery", f"Scenario discovery: lever ranges where '{target}' is "
                        "likely", (path / "discovery.png").read_bytes()))
    rep.tables.append((f"Scenario discovery boxes for '{target}' (discovery.csv)",
                       boxes.set_index("box")))
    rep.texts.append(("The discovery tree's rules (discovery_tree.txt)", tree))


def _discovery_report(path: Path) -> Report:
    rep = Report("Scenario discovery", ["Derived by kzsim discover from a sweep's stored runs "
                                        "(this folder holds only the discovery files)."])
    _add_discovery(rep, path)
    return rep


def _optimize_report(st: Stored) -> Report:
    from kzsim.figures.search import frontier_pairs, frontier_parallel
    from sim.schema import build
    from sim.search.objectives import OBJECTIVES
    from sim.search.settings import OptimizeSettings
    from sim.sweep.settings import column_name

    settings = build(OptimizeSettings, st.manifest["settings"], "optimize")
    objectives = [o.name for o in settings.objective_list()]
    ranges = {column_name(f"sanctions.{k}"): v for k, v in settings.lever_ranges().items()}
    levers = list(ranges)
    gens = sorted(n for n in st.manifest["files"] if n.startswith("search/gen_"))
    everything = pd.concat([pd.read_parquet(io.BytesIO(st.data(n))) for n in gens],
                           ignore_index=True)
    frontier = st.csv("frontier.csv")
    counts = st.manifest.get("counts", {})
    summary = [f"NSGA-II over {len(levers)} design fields: {counts.get('designs', len(everything))}"
               f" designs in {counts.get('generations', len(gens))} generations, each on the "
               f"same {settings.replications} paired runs; objectives "
               f"({settings.robustness} across the runs): "
               + ", ".join(OBJECTIVES[o].label for o in objectives) + ".",
               f"{len(frontier)} designs are on the frontier: feasible, and no other evaluated "
               "design is at least as good on every objective and better on one."]
    for o in objectives:
        summary.append(f"On the frontier, {OBJECTIVES[o].label} ranges from "
                       f"{frontier[o].min():.3g} to {frontier[o].max():.3g}.")
    if settings.constraints:
        summary.append("Constraints: " + ", ".join(f"{k} {v:g}" for k, v in
                                                   settings.constraints.items()) + ".")
    rep = Report("Design search", summary)
    rep.figures.append(("frontier_pairs", "The frontier among every evaluated design, per pair "
                        "of objectives", png_bytes(frontier_pairs(everything, frontier,
                                                                  objectives))))
    rep.figures.append(("frontier_parallel", "Parallel coordinates of the frontier designs",
                        png_bytes(frontier_parallel(frontier, levers, objectives, ranges))))
    shown_cols = ["design_id", *levers, *objectives]
    rep.tables.append(("Frontier designs, in the levers' units (frontier.csv)",
                       frontier[shown_cols].rename(columns=lambda c: c.replace("sanctions__", ""))
                       .set_index("design_id")))
    return rep


BUILDERS = {"run": _run_report, "hindcast": _hindcast_report, "optimize": _optimize_report,
            "calibration": _calibration_report, "fit": _fit_report,
            "sensitivity": _sensitivity_report}
KINDS_TEXT = "run, sweep, compare, hindcast, calibrate, fit, sensitivity, optimize or discover"
