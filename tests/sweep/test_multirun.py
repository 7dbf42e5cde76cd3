"""Hydra multirun with the joblib launcher spreads shards into one dataset."""

import pandas as pd

import sim

from .helpers import kzsim, sweep


def test_joblib_multirun_shards_equal_serial(tmp_path):
    common = ["experiment=sanctions_lhs", "sweep.samples=24", "sweep.replications=5",
              "sweep.chunk_size=20", "turns=24"]
    res = kzsim("sweep", "-m", *common, "sweep.shards=3", "sweep.shard=range(0,3)",
                "hydra/launcher=joblib", "hydra.launcher.n_jobs=2", f"out={tmp_path / 'm'}",
                cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    assert res.stdout.count("[shard ") == 3
    sweep(tmp_path / "s", workers=1)
    a, b = sim.load_results(tmp_path / "m"), sim.load_results(tmp_path / "s")
    pd.testing.assert_frame_equal(a.runs, b.runs, check_exact=True)
    assert a.complete and len(a.manifest["shards"]) == 3
