"""Start-up budget, with a generous margin: the numbers themselves are in the benchmark.

``python -m kzsim.benchmark_startup`` measures the targets (``kzsim --help`` under 0.2 s on the
development machine); these tests only catch a heavy import creeping back in front of
``kzsim --help`` or into a command that does not need it.
"""

from __future__ import annotations

import subprocess
import sys
import time

HEAVY = ("matplotlib", "pandas", "mesa", "hydra", "omegaconf", "numpy", "scipy", "sklearn",
         "SALib", "pyarrow", "numba")
OTHER_COMMANDS = ("kzsim.sweep_command", "kzsim.compare_command", "kzsim.report",
                  "kzsim.sensitivity_command", "kzsim.discover_command", "kzsim.replay_commands")


def _python(code: str, cwd) -> str:
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=cwd)
    assert res.returncode == 0, res.stderr
    return res.stdout.strip().splitlines()[-1]


def _loaded(names) -> str:
    return f"print(sorted(m for m in {tuple(names)!r} if m in sys.modules))"


def test_importing_the_cli_imports_nothing_heavy(tmp_path):
    assert _python(f"import sys, kzsim.cli; {_loaded(HEAVY)}", tmp_path) == "[]"


def test_top_level_help_imports_nothing_heavy(tmp_path):
    code = (f"import sys; from kzsim.cli import main; assert main(['--help']) == 0; "
            f"{_loaded(HEAVY + OTHER_COMMANDS)}")
    assert _python(code, tmp_path) == "[]"


def test_run_imports_only_its_own_command(tmp_path):
    code = (f"import sys; from kzsim.cli import main; "
            f"assert main(['run', 'turns=2', '-q', 'out={tmp_path / 'r'}']) == 0; "
            f"{_loaded(OTHER_COMMANDS + ('sklearn', 'SALib', 'scipy.stats', 'kzsim.multirun'))}")
    assert _python(code, tmp_path) == "[]"
    assert (tmp_path / "r" / "trajectories.parquet").is_file()


def _fastest(args, cwd, repeat=3) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        res = subprocess.run([sys.executable, "-m", "kzsim.cli", *args], capture_output=True,
                             text=True, cwd=cwd)
        times.append(time.perf_counter() - start)
        assert res.returncode == 0, res.stderr
    return min(times)


def test_top_level_help_is_well_within_a_second(tmp_path):
    assert _fastest(["--help"], tmp_path) < 1.0        # target 0.2 s; measured 0.03 s


def test_one_short_run_is_well_within_ten_seconds(tmp_path):
    # measured about 2 s (imports 1 s, composition 0.2 s, figures 0.5 s); see the benchmark
    assert _fastest(["run", "turns=12", "-q", f"out={tmp_path / 'r'}"], tmp_path, 1) < 10.0
