"""The posterior ensemble is the default parameter source of every path (issue 12, item 4).

Each test uses a small synthetic posterior (tests/inference/synthetic.py) given as
``posterior=<folder>``, so nothing depends on the shipped artefact's values; one test checks
that the default configuration names the shipped ``kz2014_2022``.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

import kzsim
import sim
from kzsim.ensemble import load_ensemble
from sim.hindcast import hindcast_table, observation_params
from sim.model import KazakhstanModel
from sim.streams import run_seeds
from sim.sweep.chunk import run_chunk, with_levers
from tests.inference import synthetic

ROOT = Path(__file__).resolve().parents[1]
SEEDS = run_seeds(4, 6)


@pytest.fixture(scope="module")
def folders(tmp_path_factory):
    """Two synthetic posterior folders with different particles."""
    base = tmp_path_factory.mktemp("posteriors")
    return synthetic.save(base / "a", seed=1), synthetic.save(base / "b", seed=2)


@pytest.fixture(scope="module")
def cfg(folders):
    return kzsim.load_config([f"posterior={folders[0]}"])


def _particles(config, name):
    data = config.ensemble_data
    return data.particles[:, data.names.index(name)]


def test_the_default_configuration_draws_from_the_shipped_posterior():
    text = (ROOT / "configs" / "config.yaml").read_text()
    top = yaml.safe_load(text)
    assert top["ensemble"] == "posterior" and top["posterior"] == "kz2014_2022"
    pyproject = (ROOT / "pyproject.toml").read_text()
    assert '"posteriors/*/*.json", "posteriors/*/*.parquet"' in pyproject


def test_a_run_takes_the_particle_its_seed_draws(cfg):
    model = KazakhstanModel(cfg, SEEDS)
    try:
        idx = model.posterior_particle
        assert np.array_equal(idx, cfg.ensemble_data.indices(SEEDS))
        for name, got in (("params.M22.trade_elasticity", model.params.M22.trade_elasticity),
                          ("params.M4.tolerance", model.params.M4.tolerance)):
            np.testing.assert_array_equal(got, _particles(cfg, name)[idx])
        assert len(np.unique(model.params.M22.trade_elasticity)) > 1   # it varies per run
        # the counterfactual row runs the same parameter set as its run (drawn once, for the
        # runs, and taken by their counterfactual rows)
        rows = model.rows_params.M22.trade_elasticity
        assert rows.shape == (len(SEEDS) + len(np.unique(SEEDS)),)
        np.testing.assert_array_equal(rows[model.pairs], model.params.M22.trade_elasticity)
        np.testing.assert_array_equal(rows[:len(SEEDS)], model.params.M22.trade_elasticity)
    finally:
        model.release()


def test_run_records_the_particle_and_a_run_equals_itself_alone(cfg):
    batch = sim.run(cfg, SEEDS, turns=6)
    first = batch.groupby("run")["posterior_particle"].first().to_numpy()
    assert np.array_equal(first, cfg.ensemble_data.indices(SEEDS))
    alone = sim.run(cfg, SEEDS[3:4], turns=6)
    cols = [c for c in alone.columns if c != "run"]
    pd.testing.assert_frame_equal(batch[batch["run"] == 3][cols].reset_index(drop=True),
                                  alone[cols].reset_index(drop=True))


def test_the_posterior_changes_outcomes_and_point_does_not_attach(cfg, folders):
    point = kzsim.load_config(["ensemble=point"])
    assert point.ensemble_data is None
    post = sim.run(cfg, SEEDS, turns=12)
    plain = sim.run(point, SEEDS, turns=12)
    assert "posterior_particle" not in plain.columns
    assert not np.allclose(post["align_rus"], plain["align_rus"])


def test_point_equals_the_ensemble_when_every_particle_is_the_point_value(cfg):
    """Applying per-run arrays is exact: particles equal to the point values change nothing."""
    point = kzsim.load_config(["ensemble=point"])
    data = cfg.ensemble_data
    columns = [point.params.M22.trade_elasticity, point.params.M4.tolerance, 2.0]
    particles = np.tile(columns, (len(data.weights), 1))
    same = type(data)(data.source, data.names, particles, data.weights, data.fit_date,
                      data.data_sha256, data.particles_sha256)
    a = sim.run(cfg.with_ensemble(same), SEEDS, turns=12).drop(columns="posterior_particle")
    b = sim.run(point.replace(name=cfg.name), SEEDS, turns=12)
    np.testing.assert_allclose(a.select_dtypes("number").to_numpy(),
                               b.select_dtypes("number").to_numpy(), rtol=1e-12, atol=1e-12)


def test_explicit_levers_win_over_the_ensemble(cfg):
    lever = np.linspace(3.1, 6.9, len(SEEDS))
    _, params = with_levers(cfg, {"params.M22.trade_elasticity": lever})
    model = KazakhstanModel(cfg, SEEDS, params=params)
    try:
        np.testing.assert_array_equal(model.params.M22.trade_elasticity, lever)
        np.testing.assert_array_equal(model.params.M4.tolerance, _particles(
            cfg, "params.M4.tolerance")[model.posterior_particle])
    finally:
        model.release()


def test_a_field_set_on_the_command_line_stays_fixed(folders, capsys):
    cfg = kzsim.load_config([f"posterior={folders[0]}", "params.M22.trade_elasticity=5.0"])
    assert "params.M22.trade_elasticity" not in cfg.ensemble_data.names
    assert "kept fixed" in capsys.readouterr().err
    model = KazakhstanModel(cfg, SEEDS)
    try:
        assert model.params.M22.trade_elasticity == 5.0
        assert np.ndim(model.params.M4.tolerance) == 1
    finally:
        model.release()
    replaced = kzsim.load_config([f"posterior={folders[0]}"]).replace(
        {"params.M4.tolerance": 0.4})
    assert "params.M4.tolerance" not in replaced.ensemble_data.names
    assert replaced.replace(ensemble="point").ensemble_data is None


def test_a_chunk_pairs_replications_across_points(cfg):
    points = pd.DataFrame({"sanctions__intensity": [0.2, 0.9]})
    out = run_chunk(cfg, points, SEEDS[:3], 4, None).runs
    by_point = out.pivot(index="replication", columns="point_id", values="posterior_particle")
    assert (by_point[0] == by_point[1]).all()
    assert np.array_equal(by_point[0].to_numpy(), cfg.ensemble_data.indices(SEEDS[:3]))


def test_compare_by_default_draws_paired_parameter_sets(folders, tmp_path):
    res = kzsim.compare(["status_quo_2022", "calibrated"],
                        [f"posterior={folders[0]}", "compare.replications=4", "turns=6",
                         "compare.workers=1"], out=tmp_path / "cmp", quiet=True)
    runs = res.runs
    wide = runs.pivot(index="replication", columns="point_id", values="posterior_particle")
    assert (wide[0] == wide[1]).all() and wide[0].nunique() > 1
    ens = load_ensemble({"ensemble": "posterior", "posterior": str(folders[0])})
    assert np.array_equal(wide[0].to_numpy(), ens.indices(res.manifest["seeds"][
        "replication_seeds"]))
    record = res.manifest["ensemble"]
    assert record["particles_sha256"] == ens.particles_sha256
    assert record["fit_date"] == "2026-11-27" and record["data_sha256"] == ens.data_sha256


def test_compare_uncertainty_draws_win_for_their_fields(folders, tmp_path):
    res = kzsim.compare(["status_quo_2022"],
                        [f"posterior={folders[0]}", "compare.replications=2", "turns=3",
                         "compare.workers=1", "compare.uncertainty_samples=2",
                         "compare.uncertainty={params: {M22: {trade_elasticity: [3, 7]}}}"],
                        quiet=True)
    assert "params__M22__trade_elasticity" in res.runs.columns
    assert "posterior_particle" in res.runs.columns


def test_sweep_by_default_draws_parameter_sets(folders, tmp_path):
    res = kzsim.sweep(["experiment=sanctions_lhs", "sweep.samples=3", "sweep.replications=3",
                       "turns=4", "sweep.workers=1", f"posterior={folders[0]}"], quiet=True)
    per_point = res.runs.pivot(index="replication", columns="point_id",
                               values="posterior_particle")
    assert per_point.nunique(axis=1).eq(1).all()                       # paired across points
    assert res.manifest["ensemble"]["ensemble"] == "posterior"
    point = kzsim.sweep(["experiment=sanctions_lhs", "sweep.samples=3", "sweep.replications=3",
                         "turns=4", "sweep.workers=1", "ensemble=point"], quiet=True)
    assert "posterior_particle" not in point.runs.columns
    assert point.manifest["ensemble"] == {"ensemble": "point"}


def test_hindcast_bands_are_posterior_predictive(folders):
    cfg = kzsim.load_config(["history=events_2022_2025", f"posterior={folders[0]}"])
    point = kzsim.load_config(["history=events_2022_2025", "ensemble=point"])
    seeds = run_seeds(0, 8)
    obs = observation_params(cfg, seeds)
    np.testing.assert_array_equal(obs.slope, _particles(cfg, "observation.slope")[
        cfg.ensemble_data.indices(seeds)])
    assert observation_params(point, seeds).slope == 2.0
    post = hindcast_table(cfg, seeds, last_year=2023).set_index(["quantity", "year"])
    plain = hindcast_table(point, seeds, last_year=2023).set_index(["quantity", "year"])
    q = ("unga_agreement.RUS", 2022)
    assert post.loc[q, "value"] != plain.loc[q, "value"]
    assert post.loc[("unga_agreement.RUS", 2021), "value"] == pytest.approx(0.6582)  # anchored
    assert ((post["p05"] >= 0) & (post["p95"] <= 1)).loc["unga_agreement.USA"].all()


def _kzsim(*args, cwd):
    return subprocess.run([sys.executable, "-m", "kzsim.cli", *args], capture_output=True,
                          text=True, cwd=cwd)


def _digest(folder: Path) -> dict:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())
            if p.is_file() and not p.name.startswith(".")}


def test_resuming_with_another_posterior_or_switch_is_refused(folders, tmp_path):
    args = ["run", "runs=2", "turns=3", "out=r", "-q"]
    first = _kzsim(*args, f"posterior={folders[0]}", cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    manifest = json.loads((tmp_path / "r" / "manifest.json").read_text())
    assert manifest["ensemble"]["particles_sha256"] and manifest["ensemble"]["fit_date"]
    before = _digest(tmp_path / "r")
    for other in (f"posterior={folders[1]}", "ensemble=point"):
        res = _kzsim(*args, other, cwd=tmp_path)
        assert res.returncode == 2
        lines = res.stderr.strip().splitlines()
        assert len(lines) == 1 and "different configuration" in lines[0]
        assert "ensemble." in lines[0]
        assert _digest(tmp_path / "r") == before                       # results untouched


def test_a_sweep_made_with_another_posterior_is_not_resumed(folders, tmp_path):
    small = ["experiment=sanctions_lhs", "sweep.samples=2", "sweep.replications=2", "turns=3",
             "sweep.workers=1"]
    kzsim.sweep([*small, f"posterior={folders[0]}"], out=tmp_path / "s", quiet=True)
    with pytest.raises(kzsim.ConfigError, match="ensemble.particles_sha256"):
        kzsim.sweep([*small, f"posterior={folders[1]}"], out=tmp_path / "s", quiet=True)


@pytest.mark.parametrize("override,fragment", [
    ("ensemble=foo", "ensemble='foo' is not a parameter source; valid choices: posterior, point"),
    ("posterior=nope", "unknown posterior 'nope'; valid choices:"),
    ("posterior=./missing", "is not a posterior folder"),
])
def test_bad_ensemble_values_give_one_line_and_exit_2(override, fragment, tmp_path):
    res = _kzsim("run", "turns=2", "out=r", override, cwd=tmp_path)
    assert res.returncode == 2
    assert res.stderr.strip().splitlines() == [res.stderr.strip()]
    assert fragment in res.stderr and not (tmp_path / "r").exists()


def test_a_corrupt_artefact_gives_one_line_and_exit_2(folders, tmp_path):
    bad = tmp_path / "bad"
    shutil.copytree(folders[0], bad)
    with open(bad / "particles.parquet", "ab") as fh:
        fh.write(b"x")
    res = _kzsim("compare", "designs=[status_quo_2022]", "turns=2", f"posterior={bad}",
                 cwd=tmp_path)
    assert res.returncode == 2
    assert len(res.stderr.strip().splitlines()) == 1
    assert "does not match the checksum" in res.stderr


def test_calibration_and_abc_run_at_the_point_values(cfg):
    from kzsim.replay_commands import calibrate_overrides
    from sim.calibration import calibrate

    assert "ensemble=point" in calibrate_overrides([])
    assert kzsim.load_config(calibrate_overrides([])).ensemble_data is None
    replay = kzsim.load_config(["history=events_2022_2025", f"posterior={cfg.posterior}"])
    point = replay.replace(ensemble="point")
    targets = [{"quantity": "trade_usd_bn.RUS", "year": 2022, "observed": 25.0,
                "source": "test"}]
    ranges = {"params.M22.trade_elasticity": [3.0, 7.0]}
    a = calibrate(replay, targets, ranges, candidates=2, refine=1, replications=1)
    b = calibrate(point, targets, ranges, candidates=2, refine=1, replications=1)
    assert a.values == b.values and a.objective == b.objective
    source = (ROOT / "experiments" / "abc_recovery.py").read_text()
    assert '"ensemble=point"' in source
