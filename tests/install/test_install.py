"""Packaging: kzsim installs as two packages, ``sim`` and ``kzsim``, and coexists with a user's
files.

A wheel is built and installed into a fresh virtual environment (its dependencies borrowed
from the test environment through a path entry, so nothing is downloaded but the build
backend). There, ``experiments`` and ``configs`` are not importable, and a ``configs/`` or
``experiments/`` folder in the working directory does not change what ``kzsim run`` computes.
"""

from __future__ import annotations

import os
import site
import subprocess
import sys
import zipfile
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def fresh_venv(tmp_path_factory):
    base = tmp_path_factory.mktemp("pkg")
    wheels = base / "wheels"
    built = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w",
                            str(wheels), str(ROOT)], capture_output=True, text=True)
    if built.returncode != 0:
        pytest.skip(f"cannot build a wheel here (no package index?): {built.stderr[-300:]}")
    wheel = next(wheels.glob("kzsim-*.whl"))
    venv = base / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    target = next(venv.glob("lib/python*/site-packages"))
    with zipfile.ZipFile(wheel) as z:
        z.extractall(target)
    deps = [p for p in site.getsitepackages() if "site-packages" in p]
    (target / "borrowed_dependencies.pth").write_text("\n".join(deps) + "\n")
    return wheel, venv


def test_wheel_holds_only_sim_and_kzsim(fresh_venv):
    wheel, _ = fresh_venv
    with zipfile.ZipFile(wheel) as z:
        tops = {n.split("/")[0] for n in z.namelist()}
        names = z.namelist()
    assert {t for t in tops if not t.endswith(".dist-info")} == {"sim", "kzsim"}
    assert "kzsim/configs/config.yaml" in names and "kzsim/configs/sweep/default.yaml" in names
    assert "kzsim/cli.py" in names


def _python(venv, code, cwd):
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    return subprocess.run([str(venv / "bin" / "python"), "-c", code], capture_output=True,
                          text=True, cwd=cwd, env=env)


def test_no_generic_top_level_packages(fresh_venv, tmp_path):
    _, venv = fresh_venv
    done = _python(venv, "import importlib.util as u; import kzsim, sim\n"
                         "print(u.find_spec('experiments'), u.find_spec('configs'), "
                         "kzsim.__file__)", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("None None ") and str(venv) in done.stdout


def test_a_configs_folder_in_the_working_directory_changes_nothing(fresh_venv, tmp_path):
    _, venv = fresh_venv
    code = ("import sys; from kzsim.cli import main; "
            "sys.exit(main(['run', 'turns=12', 'runs=2', '-q', 'out=' + sys.argv[1]]))")
    clean, trap = tmp_path / "clean", tmp_path / "trap"
    clean.mkdir()
    for folder in ("configs", "experiments"):
        (trap / folder).mkdir(parents=True)
        (trap / folder / "__init__.py").write_text("raise SystemExit('user folder imported')\n")
    (trap / "configs" / "config.yaml").write_text("defaults: []\nturns: 3\nruns: 9\n")
    runs = []
    for cwd in (clean, trap):
        done = subprocess.run([str(venv / "bin" / "python"), "-c", code, str(cwd / "out")],
                              capture_output=True, text=True, cwd=cwd,
                              env={k: v for k, v in os.environ.items() if k != "PYTHONPATH"})
        assert done.returncode == 0, done.stderr
        runs.append(pd.read_parquet(cwd / "out" / "trajectories.parquet"))
    pd.testing.assert_frame_equal(runs[0], runs[1], check_exact=True)
