"""``kzsim optimize``: a small search, its files, resume after kill -9, and bad settings."""

import json
import os
import signal
import subprocess
import sys
import time

import pandas as pd
import pytest

SMALL = ["optimize.population=8", "optimize.generations=6", "optimize.replications=4",
         "turns=60", "'optimize.levers=[intensity,secondary_enforcement,compensation]'",
         "quiet=true"]


def kzsim(*args):
    return subprocess.run(" ".join([sys.executable, "-m", "kzsim.cli", "optimize", *args]),
                          shell=True, capture_output=True, text=True, timeout=300)


def recorded(out) -> dict:
    """The files a folder's manifest records (none yet if it has no manifest)."""
    try:
        return json.loads((out / "manifest.json").read_text())["files"]
    except (OSError, ValueError, KeyError):
        return {}


@pytest.fixture(scope="module")
def uninterrupted(tmp_path_factory):
    out = tmp_path_factory.mktemp("opt") / "whole"
    res = kzsim(*SMALL, f"out={out}")
    assert res.returncode == 0, res.stderr
    return out, res.stdout


def test_a_search_stores_every_generation_and_marks_the_frontier(uninterrupted):
    out, stdout = uninterrupted
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["kind"] == "optimize" and manifest["complete"]
    assert manifest["counts"] == {"generations": 6, "designs": 48,
                                  "frontier": manifest["counts"]["frontier"]}
    gens = [pd.read_parquet(out / "search" / f"gen_{g:04d}.parquet") for g in range(6)]
    assert all(len(g) == 8 for g in gens)
    runs = pd.read_parquet(out / "search" / "runs_0000.parquet")
    assert len(runs) == 8 * 4 and runs.groupby("replication")["seed"].nunique().eq(1).all()
    frontier = pd.read_csv(out / "frontier.csv")
    assert 1 <= len(frontier) <= 48
    allg = pd.concat(gens)
    # the frontier is non-dominated: no evaluated design is better on all three objectives
    for _, row in frontier.iterrows():
        better = ((allg["pressure"] >= row["pressure"]) & (allg["welfare_loss"] <= row[
            "welfare_loss"]) & (allg["capture"] <= row["capture"])
            & ((allg["pressure"] > row["pressure"]) | (allg["welfare_loss"] < row["welfare_loss"])
               | (allg["capture"] < row["capture"])))
        assert not better.any()
    assert f"frontier: {len(frontier)} non-dominated feasible designs" in stdout
    designs = pd.read_parquet(out / "designs.parquet")            # every design, frontier marked
    assert len(designs) == 48 and designs["frontier"].sum() == len(frontier)
    assert set(designs.loc[designs["frontier"], "design_id"]) == set(frontier["design_id"])
    assert (frontier["sanctions__intensity"].between(0, 1)).all()


def test_a_killed_search_resumes_to_the_same_result(uninterrupted, tmp_path):
    whole, _ = uninterrupted
    out = tmp_path / "killed"
    cmd = " ".join([sys.executable, "-m", "kzsim.cli", "optimize", *SMALL, f"out={out}"])
    proc = subprocess.Popen(cmd, shell=True, start_new_session=True)
    deadline = time.monotonic() + 120
    while "search/gen_0001.parquet" not in recorded(out):     # two generations recorded
        assert proc.poll() is None and time.monotonic() < deadline
        time.sleep(0.02)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    killed = json.loads((out / "manifest.json").read_text())
    done = [n for n in killed["files"] if n.startswith("search/gen_")]
    assert not killed["complete"] and 2 <= len(done) < 6      # killed mid-search
    res = kzsim(*SMALL, f"out={out}")
    assert res.returncode == 0, res.stderr
    assert "generations resumed" in res.stdout and " 0 generations resumed" not in res.stdout
    for g in range(6):
        name = f"search/gen_{g:04d}.parquet"
        pd.testing.assert_frame_equal(pd.read_parquet(out / name), pd.read_parquet(whole / name))
    assert (out / "frontier.csv").read_text() == (whole / "frontier.csv").read_text()


@pytest.mark.parametrize(("args", "message"), [
    (["'optimize.objectives=[pressure,happiness]'"], "unknown objective 'happiness'"),
    (["'optimize.levers=[intensity,colour]'"], "unknown lever 'colour' in optimize"),
    (["optimize.generations=0"], "optimize.generations=0 is out of range"),
    (["optimize.population=0"], "optimize.population=0 is out of range"),
    (["'+optimize.constraints.capture=-0.1'"], "can never bind usefully"),
    (["'+optimize.constraints.joy=1'"], "unknown objective 'joy' in optimize.constraints"),
    (["optimize.robustness=best"], "valid choices: mean, percentile, regret"),
])
def test_bad_settings_are_one_line_and_exit_2(args, message, tmp_path):
    res = kzsim(*args, f"out={tmp_path / 'x'}")
    assert res.returncode == 2 and res.stdout == ""
    assert res.stderr.count("\n") == 1 and message in res.stderr
    assert not (tmp_path / "x").exists()


def test_report_draws_the_frontier(uninterrupted, tmp_path):
    import shutil

    from kzsim.report import write_report

    out, _ = uninterrupted
    copy = tmp_path / "copy"
    shutil.copytree(out, copy)
    html = write_report(copy).read_text()
    frontier = pd.read_csv(copy / "frontier.csv")
    assert "Design search" in html and f"{len(frontier)} designs are on the frontier" in html
    assert html.count("data:image/png;base64,") == 2 and "Frontier designs" in html
    assert {p.name for p in (copy / "report_files").iterdir()} == {
        "frontier_parallel.png", "frontier_pairs.png"}


def test_compare_takes_frontier_designs_by_id_on_the_same_paired_runs(uninterrupted, tmp_path):
    import kzsim

    out, _ = uninterrupted
    frontier = pd.read_csv(out / "frontier.csv")
    ids = frontier["design_id"].head(2).tolist()
    res = kzsim.compare(["status_quo_2022", *(f"frontier_{i}" for i in ids)],
                        ["compare.replications=4", "turns=60", f"compare.frontier={out}",
                         "quiet=true"])
    runs = res.runs
    for i in ids:
        mine = runs[runs["design"] == f"frontier_{i}"]
        row = frontier[frontier["design_id"] == i].iloc[0]
        for lever in ("intensity", "secondary_enforcement", "compensation"):
            assert (mine[f"sanctions__{lever}"] == row[f"sanctions__{lever}"]).all()
        # the same seeds as the search: the frontier's robust means are reproduced exactly
        assert mine["mean_pressure_on_russia"].mean() == pytest.approx(row["pressure"], abs=1e-12)
        assert mine["welfare_loss_pct_gdp"].mean() == pytest.approx(row["welfare_loss"],
                                                                   abs=1e-12)


@pytest.mark.parametrize(("designs", "frontier", "message"), [
    ("[status_quo_2022,frontier_9999]", "OUT", "design frontier_9999 is not on the frontier"),
    ("[status_quo_2022,frontier_1]", None, "give its folder with compare.frontier="),
    ("[status_quo_2022,frontier_1]", "nowhere", "is not a folder kzsim optimize wrote"),
])
def test_bad_frontier_designs_are_one_line(uninterrupted, designs, frontier, message, tmp_path):
    out, _ = uninterrupted
    args = [sys.executable, "-m", "kzsim.cli", "compare", f"designs={designs}",
            f"out={tmp_path / 'c'}"]
    if frontier:
        args.append(f"compare.frontier={out if frontier == 'OUT' else tmp_path / frontier}")
    res = subprocess.run(args, capture_output=True, text=True, timeout=120)
    assert res.returncode == 2 and message in res.stderr and res.stderr.count("\n") == 1


def test_the_search_benchmark_runs_and_prints_its_table():
    res = subprocess.run([sys.executable, "-m", "kzsim.benchmark_search", "--quick"],
                         capture_output=True, text=True, timeout=300)
    assert res.returncode == 0, res.stderr
    for label in ("hypervolume, NSGA-II over Latin hypercube", "one model per run",
                  "speed-up of batching over one design at a time"):
        assert label in res.stdout
