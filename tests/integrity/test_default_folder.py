"""The output-folder rule: without out=, each configuration gets a folder of its own.

``results/<name>`` when it is free or holds the same configuration, else
``results/<name>-<first 8 hex digits of the fingerprint>``; a finished folder is never replaced
by another configuration; with out= a different configuration is refused as before.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from kzsim.compare_command import compare_command
from kzsim.run_command import run_command
from kzsim.store import output_folder
from kzsim.sweep_command import sweep_command
from sim.errors import ConfigError
from sim.folder import ResultsFolder


def _fingerprint(folder: Path) -> str:
    return json.loads((folder / "manifest.json").read_text())["fingerprint"]


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and not p.name.startswith(".")}


def test_run_free_same_and_other_configuration(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert run_command(["turns=2", "quiet=true"]) == 0
    base = Path("results/run")
    assert "wrote results/run/ " in capsys.readouterr().out

    assert run_command(["turns=2", "quiet=true"]) == 0          # same configuration: same folder
    assert sorted(p.name for p in Path("results").iterdir()) == ["run"]
    first = _files(base)

    assert run_command(["turns=3"]) == 0                        # another: a folder of its own
    captured = capsys.readouterr()
    other = next(p for p in Path("results").iterdir() if p.name != "run")
    assert other.name == f"run-{_fingerprint(other)[:8]}"
    assert f"wrote {other}/ " in captured.out
    assert f"{base} holds results of another configuration" in captured.err
    assert str(other) in captured.err
    assert _files(base) == first                                # the finished run is untouched

    assert run_command(["turns=3", "quiet=true"]) == 0          # deterministic per configuration
    assert sorted(p.name for p in Path("results").iterdir()) == ["run", other.name]
    assert _files(base) == first


def test_suffix_is_the_fingerprint_the_folder_records(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    run_command(["turns=2", "quiet=true"])
    run_command(["turns=3", "seed=5", "quiet=true"])
    other = next(p for p in Path("results").iterdir() if p.name != "run")
    assert other.name == f"run-{_fingerprint(other)[:8]}"
    model = {"name": "run", "out": None, "quiet": True}
    identity = json.loads((other / "manifest.json").read_text())["identity"]
    identity = {k: v for k, v in identity.items() if k != "code"}
    assert output_folder(model, "run", identity) == other       # the rule finds it again
    assert ResultsFolder(other, "run", identity).fingerprint == _fingerprint(other)


def test_explicit_out_still_refuses_another_configuration(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    run_command(["turns=2", "out=mine", "quiet=true"])
    before = _files(Path("mine"))
    with pytest.raises(ConfigError, match="different configuration"):
        run_command(["turns=3", "out=mine", "quiet=true"])
    assert _files(Path("mine")) == before
    assert not Path("results").exists()


def test_a_damaged_default_folder_is_named_not_bypassed(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    run_command(["turns=2", "quiet=true"])
    (tmp_path / "results/run/manifest.json").write_text("{broken")
    with pytest.raises(ConfigError, match="results/run/manifest.json is not readable JSON"):
        run_command(["turns=3", "quiet=true"])
    assert sorted(p.name for p in Path("results").iterdir()) == ["run"]


SMALL_SWEEP = ["experiment=sanctions_grid", "sweep.grid.sanctions.intensity=[0.2,0.8]",
               "sweep.grid.sanctions.secondary_enforcement=[0.0,1.0]",
               "sweep.grid.sanctions.compensation=[0.5]", "sweep.replications=2",
               "sweep.workers=1", "turns=6", "quiet=true"]


def test_sweep_resumes_its_own_folder_and_another_sweep_gets_its_own(tmp_path, monkeypatch,
                                                                    capsys):
    monkeypatch.chdir(tmp_path)
    assert sweep_command(SMALL_SWEEP) == 0
    base = Path("results/sanctions_grid")
    first = _files(base)
    assert sweep_command(SMALL_SWEEP) == 0                      # same: resumes, nothing to run
    out = capsys.readouterr().out
    assert "ran 0 now" in out and "results: results/sanctions_grid/" in out
    assert sweep_command([*SMALL_SWEEP, "sweep.replications=3"]) == 0
    out = capsys.readouterr().out
    other = next(p for p in Path("results").iterdir() if p != base)
    assert other.name == f"sanctions_grid-{_fingerprint(other)[:8]}"
    assert f"results: {other}/" in out
    assert {k: v for k, v in _files(base).items() if not k.startswith("shards/")} == {
        k: v for k, v in first.items() if not k.startswith("shards/")}
    # fresh=true starts over in the folder the rule chose, never in the other configuration's
    assert sweep_command([*SMALL_SWEEP, "sweep.replications=3", "sweep.fresh=true"]) == 0
    assert sorted(p.name for p in Path("results").iterdir()) == sorted([base.name, other.name])
    assert _files(base)["manifest.json"] == first["manifest.json"]


def test_compare_default_folders(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    small = ["compare.replications=2", "compare.workers=1", "turns=4", "quiet=true"]
    assert compare_command(["designs=[status_quo_2022,calibrated]", *small]) == 0
    assert compare_command(["designs=[status_quo_2022,engaged_partner]", *small]) == 0
    out = capsys.readouterr().out
    names = sorted(p.name for p in Path("results").iterdir())
    assert names[0] == "compare" and len(names) == 2
    assert names[1] == f"compare-{_fingerprint(Path('results') / names[1])[:8]}"
    assert f"results: results/{names[1]}/" in out


def test_the_command_line_prints_the_folder_and_the_note(tmp_path):
    def kzsim(*args):
        return subprocess.run([sys.executable, "-m", "kzsim.cli", *args], capture_output=True,
                              text=True, cwd=tmp_path)

    assert kzsim("run", "turns=2", "-q").returncode == 0
    res = kzsim("run", "turns=3", "-q")
    assert res.returncode == 0
    folder = next(p for p in (tmp_path / "results").iterdir() if p.name != "run")
    assert f"wrote results/{folder.name}/" in res.stdout
    res = kzsim("run", "turns=3")
    assert res.returncode == 0 and "kzsim: note: results/run holds results of another " \
        "configuration, which are kept; this one goes to results/run-" in res.stderr
