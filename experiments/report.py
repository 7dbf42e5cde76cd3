"""``kzsim report <results folder>``: a self-contained HTML report and its Markdown twin.

It works for every kind of folder a command writes: ``sweep`` and ``compare`` (read with
:func:`sim.results.load_results`), ``run``, ``hindcast``, ``calibration`` and ``sensitivity``
(their manifest is validated and every listed file checked against its SHA-256 first), and the
scenario discovery that ``kzsim discover`` writes beside a sweep's runs (or alone in an
``out=`` folder). Each report has a title, summary sentences generated from the numbers, the
folder's figures (its stored PNGs, or figures drawn from its stored tables), its tables and
text outputs, and the configuration.

Everything comes from the stored results (runs, bands, why, manifest); nothing is simulated.
The HTML embeds its figures as data URIs, so the one file can be mailed or archived; the
Markdown twin links the same figures, saved under ``report_files/``.
"""

from __future__ import annotations

import base64
import html
import io
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

import pandas as pd

from kzsim.figures import designs as fd
from kzsim.figures import levers as fl
from kzsim.figures.style import png_bytes
from kzsim.report_text import compare_summary, lever_effects, sweep_summary
from kzsim.store import derived_folder
from sim.analysis.compare import comparison_table, pareto_marks
from sim.errors import ConfigError
from sim.files import atomic_write_bytes, atomic_write_text, clean_stale_temporaries, shown
from sim.folder import read_manifest
from sim.results import Results, check_intact, load_results
from sim.sweep.settings import lever_field

KEY_OUTCOMES = ("final_align_west", "welfare_loss_pct_gdp", "mean_pressure_on_russia",
                "final_balance_index")


@dataclass
class Report:
    """The content of a report before it is written."""

    title: str
    summary: list[str]
    figures: list[tuple[str, str, bytes]] = field(default_factory=list)
    tables: list[tuple[str, pd.DataFrame]] = field(default_factory=list)
    texts: list[tuple[str, str]] = field(default_factory=list)  # (caption, text as written)


def _compare_report(res: Results) -> Report:
    reference = res.manifest["compare"]["reference"]
    runs = res.runs.rename(columns={"replication": "pair"})
    table = comparison_table(runs, reference)
    marks = pareto_marks(table)
    rep = Report(f"Comparison of {len(marks)} sanctions designs",
                 compare_summary(table, marks, reference, res))
    rep.figures += [
        ("alignment_by_design", "Alignment over time per design (median, 50% and 90% bands)",
         png_bytes(fd.alignment_by_design(res))),
        ("ternary", "Median paths and final states on the simplex",
         png_bytes(fd.ternary_by_design(res))),
        ("pareto", "Trade-offs: pressure on Russia against welfare, Western alignment, balance",
         png_bytes(fd.pareto_scatter(table, marks, fd.results_note(res)))),
        ("why_mechanisms", "Why Western alignment moved, by mechanism",
         png_bytes(fd.why_stacked(res, "mechanism"))),
        ("why_actors", "Why Western alignment moved, by actor",
         png_bytes(fd.why_stacked(res, "actor"))),
    ]
    wide = table.assign(cell=table.apply(
        lambda r: f"{r['estimate']:.3f} [{r['low']:.3f}, {r['high']:.3f}]", axis=1))
    rep.tables.append(("Outcomes per design (mean or share of runs, 95% interval)",
                       wide.pivot(index="label", columns="design", values="cell")
                       .reindex(columns=list(marks.index))))
    diff = table[table["design"] != reference].assign(cell=lambda t: t.apply(
        lambda r: f"{r['diff']:+.3f} [{r['diff_low']:+.3f}, {r['diff_high']:+.3f}]", axis=1))
    rep.tables.append((f"Paired difference against {reference} (95% interval)",
                       diff.pivot(index="label", columns="design", values="cell")))
    rep.tables.append(("Pareto fronts (pressure on Russia against ...)",
                       marks.rename(columns={"pareto_welfare": "welfare loss",
                                             "pareto_west": "West alignment",
                                             "pareto_balance": "balance"})))
    return rep


def _sweep_report(res: Results) -> Report:
    levers = res.manifest["levers"]
    runs = res.runs.assign(east=res.runs["final_captured_rus"] | res.runs["final_captured_chn"])
    effects = lever_effects(runs, levers, (*KEY_OUTCOMES, "east"))
    rep = Report(f"Sweep '{res.manifest['name']}'", sweep_summary(res, effects))
    if len(levers) >= 2:
        for outcome in KEY_OUTCOMES:
            rep.figures.append((f"heatmap_{outcome}", f"{fl.OUTCOME_LABELS[outcome]} over "
                                f"{lever_field(levers[0])} and {lever_field(levers[1])}",
                                png_bytes(fl.heatmap(res, levers[0], levers[1], outcome))))
    if len(levers) > 2:
        for outcome in ("final_align_west", "welfare_loss_pct_gdp"):
            rep.figures.append((f"levers_{outcome}", f"{fl.OUTCOME_LABELS[outcome]} on every pair "
                                f"of the {len(levers)} levers",
                                png_bytes(fl.lever_pairs(res, outcome))))
    for lever in levers:
        rep.figures.append((f"capture_{lever_field(lever)}",
                            f"Share of runs ending captured, against {lever_field(lever)}",
                            png_bytes(fl.capture_probability(res, lever))))
    per_point = res.runs.groupby("point_id")["final_align_west"].mean()
    picks = {per_point.idxmax(): "highest final West alignment",
             per_point.idxmin(): "lowest final West alignment"}
    picks.setdefault((per_point - per_point.median()).abs().idxmin(), "median final West alignment")
    if res.bands is not None:
        rep.figures.append(("alignment_extremes", "Alignment over time at the points with the "
                            "highest, lowest and median final Western alignment",
                            png_bytes(fd.alignment_by_design(res, list(picks), picks))))
    rep.tables.append(("Effect of each lever, highest level minus lowest (other levers pooled)",
                       effects.set_index("lever").rename(
                           columns={"east": "captured by RUS or CHN at the end"})))
    top = res.runs.groupby("point_id")[list(KEY_OUTCOMES)].mean().join(
        res.points.set_index("point_id")).sort_values("final_align_west", ascending=False)
    rep.tables.append(("Points with the highest mean final Western alignment (top 10)",
                       top.head(10)))
    return rep


def _table_html(df: pd.DataFrame) -> str:
    return df.to_html(float_format=lambda x: f"{x:.4g}", border=0, classes="t")


def _provenance(res: Results | Stored) -> list[tuple[str, str]]:
    m = res.manifest
    return [(k, str(m[k])) for k in ("git_commit", "started", "finished") if m.get(k)]


def _fence(text: str) -> str:
    """A Markdown code fence longer than any run of backticks in ``text`` (so it cannot end)."""
    longest = max((len(r) for r in re.findall(r"`+", text)), default=0)
    return "`" * max(3, longest + 1)


def _html(rep: Report, res: Results | Stored) -> str:
    parts = [f"<!doctype html><html><head><meta charset='utf-8'>"
             f"<title>{html.escape(rep.title)}</title>",
             "<style>body{font-family:system-ui,sans-serif;max-width:1200px;margin:2em auto;"
             "padding:0 1em;color:#222}img{max-width:100%}table.t{border-collapse:collapse;"
             "font-size:12px;margin:1em 0}table.t td,table.t th{border-bottom:1px solid #ddd;"
             "padding:3px 8px;text-align:right}pre{background:#f6f6f6;padding:1em;overflow:auto;"
             "font-size:11px}figure{margin:2em 0}figcaption{font-weight:600}</style></head><body>",
             f"<h1>{html.escape(rep.title)}</h1>",
             f"<p>Results folder <code>{html.escape(str(res.path))}</code>"
             + "".join(f"; {k.replace('_', ' ')} <code>{html.escape(v)}</code>"
                       for k, v in _provenance(res)) + ".</p>",
             "<h2>What the numbers show</h2><ul>"]
    parts += [f"<li>{html.escape(s)}</li>" for s in rep.summary]
    parts.append("</ul>" + ("<h2>Figures</h2>" if rep.figures else ""))
    for name, caption, data in rep.figures:
        uri = base64.b64encode(data).decode()
        parts.append(f"<figure id='{name}'><figcaption>{html.escape(caption)}</figcaption>"
                     f"<img alt='{html.escape(caption)}' src='data:image/png;base64,{uri}'>"
                     "</figure>")
    if rep.tables:
        parts.append("<h2>Tables</h2>")
    for caption, df in rep.tables:
        parts.append(f"<h3>{html.escape(caption)}</h3>{_table_html(df)}")
    if rep.texts:
        parts.append("<h2>Outputs as written</h2>")
    for caption, text in rep.texts:
        parts.append(f"<h3>{html.escape(caption)}</h3><pre>{html.escape(text)}</pre>")
    if not res.manifest:
        parts.append("</body></html>")
        return "\n".join(parts)
    cfg = json.dumps(res.manifest.get("config"), indent=2)
    man = json.dumps({k: v for k, v in res.manifest.items() if k not in ("config", "identity")},
                     indent=2, default=str)
    parts.append(f"<h2>Configuration</h2><details><summary>resolved configuration</summary>"
                 f"<pre>{html.escape(cfg)}</pre></details><h2>Manifest</h2><details><summary>"
                 f"manifest (counts, seeds, packages, times)</summary><pre>{html.escape(man)}"
                 "</pre></details></body></html>")
    return "\n".join(parts)


_MD_SPECIAL = re.compile(r"[\\`*\[\]|~<>&]|(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])")
_MD_ENTITY = {"<": "&lt;", ">": "&gt;", "&": "&amp;"}


def _md_escape(value: object) -> str:
    """Make text inert in Markdown: one line, HTML and link/emphasis/table characters escaped.

    ``< > &`` become entities (no raw HTML), backslash, backticks, ``* [ ] | ~`` and emphasis
    underscores get a backslash (no links, images, code spans, emphasis or broken table cells);
    intra-word underscores (``status_quo_2022``) stay readable.
    """
    text = " ".join(str(value).splitlines())
    return _MD_SPECIAL.sub(lambda m: _MD_ENTITY.get(m.group(), "\\" + m.group()), text)


def _markdown(rep: Report, res: Results | Stored, files: str) -> str:
    def label(value: object) -> object:
        return _md_escape(value) if isinstance(value, str) else value

    def table(df: pd.DataFrame) -> str:
        df = df.rename(index=label, columns=label).map(label)
        df.index.names = [label(n) for n in df.index.names]
        df.columns.names = [label(n) for n in df.columns.names]
        return df.to_markdown(floatfmt=".4g")

    config = json.dumps(res.manifest.get("config"), indent=2)
    for char, code in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                       ("`", "\\u0060")):
        config = config.replace(char, code)  # still the same JSON; no HTML, no fence break
    commit = res.manifest.get("git_commit")
    lines = [f"# {_md_escape(rep.title)}", "", f"Results folder {_md_escape(res.path)}"
             + (f"; git commit {_md_escape(commit)}" if commit else "") + ".", "",
             "## What the numbers show", ""]
    lines += [f"- {_md_escape(s)}" for s in rep.summary]
    if rep.figures:
        lines += ["", "## Figures", ""]
    lines += [f"![{_md_escape(caption)}]({quote(f'{files}/{name}.png')})\n"
              for name, caption, _ in rep.figures]
    if rep.tables:
        lines += ["## Tables", ""]
    for caption, df in rep.tables:
        lines += [f"### {_md_escape(caption)}", "", table(df), ""]
    if rep.texts:
        lines += ["## Outputs as written", ""]
    for caption, text in rep.texts:
        fence = _fence(text)
        lines += [f"### {_md_escape(caption)}", "", f"{fence}text", text.rstrip("\n"), fence, ""]
    if res.manifest:
        lines += ["## Configuration", "", "```json", config, "```", ""]
    return "\n".join(lines)


# --- every other kind of results folder: run, hindcast, calibration, sensitivity, discovery ----

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
            merged["within"] = merged["error"].abs() <= merged["tolerance"]
            worst = merged.loc[(merged["error"].abs() / merged["tolerance"]).idxmax()]
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
    ratio = fit["relative_error"].abs() / fit["tolerance"]
    worst = fit.loc[ratio.idxmax()]
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


BUILDERS = {"run": _run_report, "hindcast": _hindcast_report,
            "calibration": _calibration_report, "sensitivity": _sensitivity_report}
KINDS_TEXT = "run, sweep, compare, hindcast, calibrate, sensitivity or discover"


REPORT_NAMES = {"report.html", "report.md", "report_files"}


def build_report(path: Path) -> tuple[Report, Results | Stored]:
    """The report of a results folder of any kind, and the verified folder it comes from.

    Raises:
        ConfigError: not a folder a kzsim command wrote, an incomplete one, or one with a file
            that cannot be trusted (named, with the repair).

    """
    path = Path(path)
    if not path.is_dir():
        raise ConfigError(f"{shown(path)} is not a folder; give a results folder that kzsim "
                          f"{KINDS_TEXT} wrote")
    manifest = read_manifest(path)
    if manifest is None:
        if all((path / name).is_file() for name in DISCOVERY):
            return _discovery_report(path), Stored(path, {})
        raise ConfigError(f"{shown(path)} has no manifest.json; give a results folder that kzsim "
                          f"{KINDS_TEXT} wrote")
    kind = manifest["kind"]
    if kind in ("sweep", "compare"):
        res = load_results(path)
        if not res.complete:
            raise ConfigError(f"{shown(path)} is not complete ({len(res.runs):,} of "
                              f"{res.manifest['counts']['runs']:,} runs); run the same command "
                              "again to finish it first")
        rep = _compare_report(res) if kind == "compare" else _sweep_report(res)
        _add_discovery(rep, path)
        return rep, res
    if kind not in BUILDERS:
        raise ConfigError(f"{shown(path)} holds kzsim {kind} results, which this version of kzsim "
                          f"report cannot read; give a folder that kzsim {KINDS_TEXT} wrote")
    stored = _verified(path, manifest)
    return BUILDERS[kind](stored), stored


def write_report(results_path: str | Path, out: str | Path | None = None) -> Path:
    """Write ``report.html``, ``report.md`` and ``report_files/`` for a results folder.

    Any kind of folder a command writes (see :func:`build_report`).

    Each file is written atomically (figures first, the HTML last), so a killed report
    leaves every file either as it was or complete.
    """
    rep, res = build_report(Path(results_path))
    target = derived_folder(Path(out) if out else Path(results_path), Path(results_path),
                            REPORT_NAMES)
    clean_stale_temporaries(target / "report_files")
    files = target / "report_files"
    files.mkdir(exist_ok=True)
    for name, _, data in rep.figures:
        atomic_write_bytes(files / f"{name}.png", data)
    atomic_write_text(target / "report.md", _markdown(rep, res, "report_files"))
    atomic_write_text(target / "report.html", _html(rep, res))
    return target / "report.html"


def report_command(args: list[str]) -> int:
    """``kzsim report <results folder> [out=<folder>]``."""
    paths = [a for a in args if "=" not in a]
    outs = [a.split("=", 1)[1] for a in args if a.startswith("out=")]
    unknown = [a for a in args if "=" in a and not a.startswith(("out=", "quiet="))]
    if len(paths) != 1 or unknown:
        raise ConfigError("usage: kzsim report <results folder> [out=<folder>]"
                          + (f"; unknown option '{unknown[0]}'" if unknown else ""))
    path = write_report(paths[0], outs[0] if outs else None)
    print(f"wrote {path} (self-contained) and {path.with_suffix('.md')}")
    return 0
