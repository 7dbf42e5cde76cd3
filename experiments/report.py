"""``kzsim report <results folder>``: a self-contained HTML report and its Markdown twin.

Everything comes from the stored results (runs, bands, why, manifest); nothing is simulated.
The HTML embeds its figures as data URIs, so the one file can be mailed or archived; the
Markdown twin links the same figures, saved under ``report_files/``.
"""

from __future__ import annotations

import base64
import html
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
from sim.results import Results, load_results

KEY_OUTCOMES = ("final_align_west", "welfare_loss_pct_gdp", "mean_pressure_on_russia",
                "final_balance_index")


@dataclass
class Report:
    """The content of a report before it is written."""

    title: str
    summary: list[str]
    figures: list[tuple[str, str, bytes]] = field(default_factory=list)
    tables: list[tuple[str, pd.DataFrame]] = field(default_factory=list)


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
                                f"{levers[0].split('.')[-1]} and {levers[1].split('.')[-1]}",
                                png_bytes(fl.heatmap(res, levers[0], levers[1], outcome))))
    if len(levers) > 2:
        for outcome in ("final_align_west", "welfare_loss_pct_gdp"):
            rep.figures.append((f"levers_{outcome}", f"{fl.OUTCOME_LABELS[outcome]} on every pair "
                                f"of the {len(levers)} levers",
                                png_bytes(fl.lever_pairs(res, outcome))))
    for lever in levers:
        rep.figures.append((f"capture_{lever.split('.')[-1]}",
                            f"Capture probability against {lever.split('.')[-1]}",
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
                       effects.set_index("lever").rename(columns={"east": "captured by RUS or CHN"})))
    top = res.runs.groupby("point_id")[list(KEY_OUTCOMES)].mean().join(
        res.points.set_index("point_id")).sort_values("final_align_west", ascending=False)
    rep.tables.append(("Points with the highest mean final Western alignment (top 10)", top.head(10)))
    return rep


def _table_html(df: pd.DataFrame) -> str:
    return df.to_html(float_format=lambda x: f"{x:.4g}", border=0, classes="t")


def _html(rep: Report, res: Results) -> str:
    parts = [f"<!doctype html><html><head><meta charset='utf-8'><title>{html.escape(rep.title)}</title>",
             "<style>body{font-family:system-ui,sans-serif;max-width:1200px;margin:2em auto;"
             "padding:0 1em;color:#222}img{max-width:100%}table.t{border-collapse:collapse;"
             "font-size:12px;margin:1em 0}table.t td,table.t th{border-bottom:1px solid #ddd;"
             "padding:3px 8px;text-align:right}pre{background:#f6f6f6;padding:1em;overflow:auto;"
             "font-size:11px}figure{margin:2em 0}figcaption{font-weight:600}</style></head><body>",
             f"<h1>{html.escape(rep.title)}</h1>",
             f"<p>Results folder <code>{html.escape(str(res.path))}</code>; git commit "
             f"<code>{html.escape(str(res.manifest.get('git_commit')))}</code>; started "
             f"{html.escape(str(res.manifest.get('started')))}, finished "
             f"{html.escape(str(res.manifest.get('finished')))}.</p>",
             "<h2>What the numbers show</h2><ul>"]
    parts += [f"<li>{html.escape(s)}</li>" for s in rep.summary]
    parts.append("</ul><h2>Figures</h2>")
    for name, caption, data in rep.figures:
        uri = base64.b64encode(data).decode()
        parts.append(f"<figure id='{name}'><figcaption>{html.escape(caption)}</figcaption>"
                     f"<img alt='{html.escape(caption)}' src='data:image/png;base64,{uri}'></figure>")
    parts.append("<h2>Tables</h2>")
    for caption, df in rep.tables:
        parts.append(f"<h3>{html.escape(caption)}</h3>{_table_html(df)}")
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


def _markdown(rep: Report, res: Results, files: str) -> str:
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
    lines = [f"# {_md_escape(rep.title)}", "", f"Results folder {_md_escape(res.path)}; git commit "
             f"{_md_escape(res.manifest.get('git_commit'))}.", "", "## What the numbers show", ""]
    lines += [f"- {_md_escape(s)}" for s in rep.summary]
    lines += ["", "## Figures", ""]
    lines += [f"![{_md_escape(caption)}]({quote(f'{files}/{name}.png')})\n"
              for name, caption, _ in rep.figures]
    lines += ["## Tables", ""]
    for caption, df in rep.tables:
        lines += [f"### {_md_escape(caption)}", "", table(df), ""]
    lines += ["## Configuration", "", "```json", config, "```", ""]
    return "\n".join(lines)


REPORT_NAMES = {"report.html", "report.md", "report_files"}


def write_report(results_path: str | Path, out: str | Path | None = None) -> Path:
    """Write ``report.html``, ``report.md`` and ``report_files/`` for a results folder.

    Each file is written atomically (figures first, the HTML last), so a killed report
    leaves every file either as it was or complete.
    """
    res = load_results(results_path)
    if not res.complete:
        raise ConfigError(f"{shown(results_path)} is not complete ({len(res.runs):,} of "
                          f"{res.manifest['counts']['runs']:,} runs); run the same command "
                          "again to finish it first")
    target = derived_folder(Path(out) if out else Path(results_path), Path(results_path),
                            REPORT_NAMES)
    clean_stale_temporaries(target / "report_files")
    rep = _compare_report(res) if res.kind == "compare" else _sweep_report(res)
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
