import subprocess
import sys


def test_compare_cli_prints_table_and_fronts(tmp_path):
    res = subprocess.run([sys.executable, "-m", "kzsim.cli", "compare",
                          "designs=[status_quo_2022,calibrated,{name:tough,intensity:1.0}]",
                          "compare.replications=5", "compare.uncertainty_samples=2", "turns=12",
                          f"out={tmp_path / 'c'}", "-q"], capture_output=True, text=True)
    assert res.returncode == 0, res.stderr
    assert "paired difference vs status_quo_2022" in res.stdout
    assert "Pareto front of pressure on Russia vs Kazakh welfare loss" in res.stdout
    assert "tough" in res.stdout and (tmp_path / "c" / "comparison.csv").exists()
    bad = subprocess.run([sys.executable, "-m", "kzsim.cli", "compare", "designs=[nope]",
                          f"out={tmp_path / 'd'}"], capture_output=True, text=True)
    assert bad.returncode == 2 and "valid choices" in bad.stderr and not (tmp_path / "d").exists()
