"""sim.resources: what the machine has, what a request needs, and the one-line refusal."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tracemalloc

import pytest

import sim
import sim.resources as res
from sim.errors import ConfigError
from sim.streams import run_seeds
from sim.sweep.chunk import run_chunk


def test_available_memory_is_positive_and_below_total():
    total = None
    try:
        for line in open("/proc/meminfo"):
            if line.startswith("MemTotal:"):
                total = int(line.split()[1]) * 1024
    except OSError:
        pass
    avail = res.available_memory()
    assert avail > 0
    if total is not None:
        assert avail <= total


def test_available_memory_falls_back_to_sysconf(monkeypatch):
    monkeypatch.setattr(res, "_meminfo_available", lambda: None)
    monkeypatch.setattr(res, "_sysconf_available", lambda: 3 * 2**30)
    monkeypatch.setattr(res, "_cgroup_headroom", lambda: None)
    monkeypatch.setattr(res, "_address_space_headroom", lambda: None)
    assert res.available_memory() == 3 * 2**30
    monkeypatch.setattr(res, "_cgroup_headroom", lambda: 2**30)
    assert res.available_memory() == 2**30


def test_address_space_limit_lowers_available_memory():
    code = ("import resource; resource.setrlimit(resource.RLIMIT_AS, (3 * 2**30, 3 * 2**30)); "
            "import sim.resources as r; print(r.available_memory())")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert 0 < int(out.stdout) < 3 * 2**30


def test_free_disk_uses_the_nearest_existing_ancestor(tmp_path):
    deep = tmp_path / "a" / "b" / "c.parquet"
    assert res.existing_ancestor(deep) == tmp_path
    expected = shutil.disk_usage(tmp_path).free
    assert abs(res.free_disk(deep) - expected) < 0.05 * expected + 50e6
    assert not (tmp_path / "a").exists()


def test_check_memory_names_setting_need_available_and_largest(monkeypatch):
    monkeypatch.setattr(res, "available_memory", lambda: 10 * 10**9)   # budget 6 GB
    res.check_memory(5e9, "runs", 1e6, value=5000)                     # fits: no error
    with pytest.raises(ConfigError) as info:
        res.check_memory(20e9, "runs", 1e6, value=20_000, detail="kept in memory")
    msg = str(info.value)
    assert msg == ("runs=20,000 needs about 20.0 GB of memory (kept in memory), but 10.0 GB is "
                   "available and kzsim uses at most 60% of it (6.0 GB); the largest runs that "
                   "fits is 6,000")
    with pytest.raises(ConfigError, match="not even calibration.candidates=1 fits"):
        res.check_memory(20e9, "calibration.candidates", 7e9, value=3)


def test_check_trajectories_uses_the_measured_per_run_cost(monkeypatch):
    monkeypatch.setattr(res, "available_memory", lambda: 10 * 10**9)
    per_run = res.per_trajectory_bytes(120)
    assert per_run == 32_000 + 5_000 * 121
    fits = int(6e9 // per_run)
    res.check_trajectories(fits, 120)
    with pytest.raises(ConfigError, match=f"the largest runs that fits is {fits:,}"):
        res.check_trajectories(fits + 1, 120)


def _peak(fn):
    tracemalloc.start()
    try:
        fn()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_trajectory_estimate_covers_a_real_batch(config):
    cfg = config("turns=60")
    sim.run(cfg, run_seeds(1, 2))   # one-time loads (compiled loops, caches) are not per run
    peak = _peak(lambda: sim.run(cfg, run_seeds(0, 300)))
    estimate = res.trajectory_bytes(300, 60)
    assert peak <= estimate <= 20 * peak


def test_chunk_estimate_covers_a_real_point(config):
    import pandas as pd

    cfg = config("turns=60")
    points = pd.DataFrame({"sanctions.intensity": [0.5]})
    points.index.name = "point_id"
    run_chunk(cfg, points, run_seeds(1, 2), 60, 1)   # one-time loads are not per run
    peak = _peak(lambda: run_chunk(cfg, points, run_seeds(0, 1000), 60, 1))
    estimate = 1000 * res.chunk_run_bytes(60, 1)
    assert peak <= estimate <= 10 * peak


def test_sampler_estimate_covers_sobol(monkeypatch):
    from sim.analysis.sensitivity import problem_of, sobol_points

    problem = problem_of({f"x{i}": [0, 1] for i in range(5)})
    sobol_points(problem, 8, 0)                     # first call: imports, not the sample
    peak = _peak(lambda: sobol_points(problem, 16384, 0))
    assert peak <= res.sampler_bytes("sobol", 16384 * 7, 5) <= 3 * peak


def test_disk_estimate_grows_with_what_is_stored():
    base = res.estimate_sweep_disk_bytes(10_000, 1_000, 120, None, False)
    bands = res.estimate_sweep_disk_bytes(10_000, 1_000, 120, 1, False)
    sparse = res.estimate_sweep_disk_bytes(10_000, 1_000, 120, 12, False)
    why = res.estimate_sweep_disk_bytes(10_000, 1_000, 120, 1, True)
    assert base < sparse < bands < why
    assert res.estimate_sweep_disk_bytes(20_000, 1_000, 120, None, False) > base


def _folder_bytes(path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def test_disk_estimate_within_a_factor_2_of_a_real_sweep(tmp_path):
    from kzsim.configuration import compose_mapping
    from kzsim.ensemble import load_ensemble
    from kzsim.sweep_command import prepare
    from sim.sweep import run_sweep

    out = tmp_path / "s"
    model, settings, _ = prepare(compose_mapping([
        "experiment=sanctions_lhs", "sweep.samples=40", "sweep.replications=10", "turns=36",
        "sweep.workers=1"]))
    run_sweep(model, settings, out, quiet=True, ensemble=load_ensemble(model))
    real = _folder_bytes(out)
    estimate = res.estimate_sweep_disk_bytes(400, 40, 36, 1, False)
    assert real / 2 <= estimate <= real * 2, (real, estimate)
