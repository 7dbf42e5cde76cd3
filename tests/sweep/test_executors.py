"""The same resumable, sharded sweep through any concurrent.futures executor.

A real Dask ``LocalCluster`` stores exactly the rows of the local process pool; Hydra's
submitit launcher (local flavour) runs shards as separate jobs into one folder.
"""

from __future__ import annotations

import pandas as pd
import pytest

import sim
from tests.sweep.helpers import kzsim, sweep


def test_dask_local_cluster_equals_local_pool(tmp_path):
    distributed = pytest.importorskip("distributed", reason="the [cluster] extra is not installed")
    local, remote = tmp_path / "local", tmp_path / "dask"
    sweep(local, workers=2)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster, \
            distributed.Client(cluster) as client:
        summary = sweep(remote, executor=client.get_executor())
    assert summary["complete"]
    a, b = sim.load_results(local), sim.load_results(remote)
    pd.testing.assert_frame_equal(a.runs, b.runs, check_exact=True)
    pd.testing.assert_frame_equal(a.bands, b.bands, check_exact=True)


def test_submitit_local_launcher_runs_shards_into_one_folder(tmp_path):
    pytest.importorskip("hydra_plugins.hydra_submitit_launcher",
                        reason="the [cluster] extra is not installed")
    out = tmp_path / "submitit"
    done = kzsim("sweep", "-m", "experiment=sanctions_lhs", "sweep.samples=24",
                 "sweep.replications=5", "sweep.chunk_size=20", "turns=24", "sweep.shards=2",
                 "sweep.shard=0,1", "hydra/launcher=submitit_local",
                 f"hydra.sweep.dir={tmp_path / 'jobs'}", f"out={out}", cwd=tmp_path)
    assert done.returncode == 0, done.stderr[-2000:]
    ref = tmp_path / "ref"
    sweep(ref, workers=1)
    a = sim.load_results(out)
    assert a.complete and len(a.manifest["shards"]) == 2
    pd.testing.assert_frame_equal(a.runs, sim.load_results(ref).runs, check_exact=True)
