"""kzsim sensitivity and kzsim discover end to end (shrunk)."""

import subprocess
import sys

import pandas as pd


def kzsim(*args, cwd):
    return subprocess.run([sys.executable, "-m", "kzsim.cli", *args], capture_output=True,
                          text=True, cwd=cwd)


def test_sensitivity_writes_index_tables(tmp_path):
    res = kzsim("sensitivity", "experiment=sobol_sanctions", "sensitivity.samples=8",
                "sensitivity.morris_trajectories=4", "sensitivity.replications=2", "turns=6",
                "sensitivity.workers=1", f"out={tmp_path / 's'}", "-q", cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    assert "runs in" in res.stdout and "final_align_west:" in res.stdout
    sobol = pd.read_csv(tmp_path / "s" / "sobol.csv")
    assert list(sobol.columns) == ["parameter", "outcome", "S1", "S1_conf", "ST", "ST_conf",
                                   "S1_half", "ST_half"]
    assert len(sobol) == 18 * 4 and sobol["ST_half"].notna().all()   # N/2 = 4 base samples
    assert "ST at N/2 = 4 for convergence" in res.stdout and "(N/2: " in res.stdout
    morris = pd.read_csv(tmp_path / "s" / "morris.csv")
    assert {"mu_star", "sigma"} <= set(morris.columns) and len(morris) == 18 * 4
    for png in ("sobol.png", "morris.png"):
        assert (tmp_path / "s" / png).stat().st_size > 20_000
    bad = kzsim("sensitivity", "experiment=sobol_sanctions", "sensitivity.outcomes=[nope]",
                "sensitivity.samples=4", "sensitivity.morris_trajectories=2", "turns=3",
                f"out={tmp_path / 'b'}", cwd=tmp_path)
    assert bad.returncode == 2 and "unknown outcome" in bad.stderr
    odd = kzsim("sensitivity", "experiment=sobol_sanctions", "sensitivity.samples=100",
                f"out={tmp_path / 'p'}", cwd=tmp_path)
    assert odd.returncode == 2 and odd.stdout == ""
    assert odd.stderr == ("kzsim: error: sensitivity.samples=100 is not a power of 2; Sobol' "
                          "points are balanced only in powers of 2: use sensitivity.samples=64 "
                          "or 128\n")
    assert not (tmp_path / "p").exists()


def test_discover_on_a_sweep(tmp_path):
    assert kzsim("sweep", "experiment=sanctions_lhs", "sweep.samples=200", "sweep.replications=3",
                 "turns=24", "sweep.workers=1", f"out={tmp_path / 'l'}", "-q",
                 cwd=tmp_path).returncode == 0
    res = kzsim("discover", str(tmp_path / "l"), "target=final_align_west < 0.4", cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    assert "box 1: coverage" in res.stdout and "secondary_enforcement" in res.stdout
    table = pd.read_csv(tmp_path / "l" / "discovery.csv")
    assert table["density"].max() > 0.5 and (tmp_path / "l" / "discovery.png").exists()
    bad = kzsim("discover", str(tmp_path / "l"), "target=foo > 1", cwd=tmp_path)
    assert bad.returncode == 2 and "unknown column" in bad.stderr
