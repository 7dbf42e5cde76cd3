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

from pathlib import Path

from kzsim.figures import designs as fd
from kzsim.figures import levers as fl
from kzsim.figures.style import png_bytes
from kzsim.report_kinds import (
    BUILDERS,
    DISCOVERY,
    KINDS_TEXT,
    Stored,
    _add_discovery,
    _discovery_report,
    _verified,
)
from kzsim.report_render import Report, _html, _markdown, _md_escape  # noqa: F401 (re-exported)
from kzsim.report_text import compare_summary, lever_effects, sweep_summary
from kzsim.store import derived_folder
from sim.analysis.compare import comparison_table, pareto_marks
from sim.errors import ConfigError
from sim.files import atomic_write_bytes, atomic_write_text, clean_stale_temporaries, shown
from sim.folder import read_manifest
from sim.results import Results, load_complete_results
from sim.sweep.settings import lever_field

KEY_OUTCOMES = ("final_align_west", "welfare_loss_pct_gdp", "mean_pressure_on_russia",
                "final_balance_index")


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
        res = load_complete_results(path)
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
