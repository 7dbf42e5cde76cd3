"""``kzsim report`` works for every kind of folder a command writes, from stored files only."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from kzsim.discover_command import discover_command
from kzsim.fit_command import fit_command
from kzsim.replay_commands import calibrate_command, hindcast_command
from kzsim.report import write_report
from kzsim.run_command import run_command
from kzsim.sensitivity_command import sensitivity_command
from sim.errors import ConfigError


@pytest.fixture(scope="module")
def folders(tmp_path_factory):
    """One small folder of each kind that is not a sweep or comparison."""
    root = tmp_path_factory.mktemp("kinds")
    run_command(["runs=3", "turns=6", f"out={root / 'run'}", "quiet=true"])
    hindcast_command(["runs=3", f"out={root / 'hindcast'}", "quiet=true"])
    calibrate_command(["calibration.candidates=8", "calibration.refine=4",
                       "calibration.replications=1", f"out={root / 'calibration'}",
                       "quiet=true"])
    fit_command(["fit.window=2022", "fit.particles=200", "fit.generations=1", "fit.moves=2",
                 "fit.check_draws=20", "fit.parameters=[params.M22.trade_elasticity,"
                 "observation.slope]", f"out={root / 'fit'}", "quiet=true"])
    sensitivity_command(["experiment=sobol_sanctions", "sensitivity.samples=4",
                         "sensitivity.morris_trajectories=2", "sensitivity.replications=1",
                         "sensitivity.workers=1", "turns=3", f"out={root / 'sensitivity'}",
                         "quiet=true"])
    return root


def _srcs(html: str) -> list[str]:
    return re.findall(r"src='([^']*)'", html)


def _check(path: Path, title: str | None, figures: int, fragments: tuple[str, ...]) -> str:
    html = path.read_text()
    assert title is None or re.search(r"<h1>([^<]*)</h1>", html).group(1) == title
    srcs = _srcs(html)
    assert len(srcs) == figures and all(s.startswith("data:image/png;base64,") for s in srcs)
    for fragment in fragments:
        assert fragment in html, fragment
    assert "<h2>Configuration</h2>" in html and "resolved configuration" in html
    md = path.with_suffix(".md").read_text()
    links = re.findall(r"\]\((report_files/[^)]+)\)", md)
    assert len(links) == figures and all((path.parent / link).is_file() for link in links)
    assert "## Configuration" in md
    return html


def test_run_report(folders):
    manifest = json.loads((folders / "run" / "manifest.json").read_text())
    stored = (folders / "run" / "alignment.png").read_bytes()
    _check(write_report(folders / "run"), "Run &#x27;run&#x27;", 2, (
        "3 run(s) of 6 months", "design status_quo_2022", "Final alignment (median over runs)",
        "Share of runs ending captured", "summary.txt", "alignment with Russia"))
    assert (folders / "run" / "report_files" / "alignment.png").read_bytes() == stored
    assert json.loads((folders / "run" / "manifest.json").read_text()) == manifest


def test_hindcast_report(folders):
    _check(write_report(folders / "hindcast"), "Hindcast 2021-2025", 1, (
        "A replay of December 2021 to December 2025 with the events_2022_2025 events and 3 "
        "replications", "within tolerance on", "Trade with Russia, USD bn a year",
        "Observed against simulated", "Simulated values per year", "Trade with China (USD bn)"))


def test_calibration_report(folders):
    html = _check(write_report(folders / "calibration"), "Calibration to kz2022", 1, (
        "of 16 targets are within tolerance; objective", "The largest error relative to its "
        "tolerance is", "fit.csv", "Fitted values (fitted.yaml)", "params:"))
    assert "# fitted " in html


def test_fit_report(folders):
    html = _check(write_report(folders / "fit"), None, 2, (
        "of 20 observations lie inside their posterior-predictive 90% bands",
        "2 parameters, 200 particles", "Best pinned down", "posterior_summary.csv",
        "fit_check.csv", "generations.csv", "observation.slope"))
    assert "Evidence fit (ABC), fitted 20" in html


def test_sensitivity_report(folders):
    _check(write_report(folders / "sensitivity"), "Sensitivity &#x27;sobol_sanctions&#x27;", 2, (
        "18 inputs; Sobol indices from 4 Saltelli base samples",
        "Final alignment with the West (share): most influential by total Sobol index",
        "M4 strength (Backfire)", "Total Sobol index", "Morris mu*"))


def test_sweep_report_includes_a_discovery(tiny_sweep, tmp_path):
    copy = tmp_path / "s"
    shutil.copytree(tiny_sweep, copy)
    before = write_report(copy).read_text()
    assert "Scenario discovery" not in before
    assert discover_command([str(copy), "target=sanctions.intensity > 0.5"]) == 0
    html = write_report(copy).read_text()
    assert len(_srcs(html)) == len(_srcs(before)) + 1
    assert ("Scenario discovery (kzsim discover) for &#x27;sanctions.intensity &gt; 0.5&#x27;"
            in html)
    assert "discovery_tree.txt" in html and "intensity in [" in html


def test_a_discovery_written_elsewhere_has_its_report(tiny_sweep, tmp_path):
    out = tmp_path / "d"
    discover_command([str(tiny_sweep), "target=final_align_west < 0.4", f"out={out}"])
    html = write_report(out).read_text()
    assert "<h1>Scenario discovery</h1>" in html and len(_srcs(html)) == 1
    assert "final_align_west &lt; 0.4" in html and "<h2>Configuration</h2>" not in html


def test_every_kind_is_verified_before_it_is_read(folders, tmp_path):
    copy = tmp_path / "run"
    shutil.copytree(folders / "run", copy)
    text = (copy / "summary.txt").read_text()
    (copy / "summary.txt").write_text(text.replace("0", "9", 1))
    with pytest.raises(ConfigError, match="summary.txt is corrupted"):
        write_report(copy)
    manifest = json.loads((copy / "manifest.json").read_text())
    manifest["complete"] = False
    (copy / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(ConfigError, match="is not complete"):
        write_report(copy)
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(ConfigError, match="has no manifest.json; give a results folder that "
                                          "kzsim run, sweep, compare"):
        write_report(empty)
