"""Guarantee 5: every command refuses foreign or different results, leaving them untouched."""

from __future__ import annotations

import hashlib

import pytest

from kzsim.cli import main

SMALL = {
    "run": ["run", "turns=12", "runs=2", "-q"],
    "sweep": ["sweep", "experiment=sanctions_lhs", "sweep.samples=8", "sweep.replications=2",
              "turns=12", "sweep.workers=1", "-q"],
    "compare": ["compare", "compare.replications=2", "turns=12", "compare.workers=1", "-q"],
    "hindcast": ["hindcast", "runs=3", "-q"],
    "calibrate": ["calibrate", "calibration.candidates=6", "calibration.refine=2",
                  "calibration.replications=1", "-q"],
    "sensitivity": ["sensitivity", "experiment=sobol_sanctions", "sensitivity.samples=2",
                    "sensitivity.morris_trajectories=2", "turns=12", "sensitivity.workers=1",
                    "-q"],
}
OTHER = {  # the same command with one setting changed
    "run": ["runs=3"], "sweep": ["seed=1"], "compare": ["compare.replications=3"],
    "hindcast": ["runs=4"], "calibrate": ["calibration.candidates=7"],
    "sensitivity": ["sensitivity.replications=2"],
}


def _snapshot(folder):
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def folders(tmp_path_factory):
    root = tmp_path_factory.mktemp("kinds")
    for kind, args in SMALL.items():
        assert main([*args, f"out={root / kind}"]) == 0, kind
    return root


def _refused(args, capsys, *words):
    assert main(args) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("kzsim: error:"), err
    for w in words:
        assert w in err[0], err[0]


@pytest.mark.parametrize("writer", list(SMALL))
@pytest.mark.parametrize("owner", list(SMALL))
def test_no_command_writes_into_another_commands_folder(writer, owner, folders, capsys):
    if writer == owner:
        return
    before = _snapshot(folders / owner)
    owner_kind = "calibration" if owner == "calibrate" else owner
    _refused([*SMALL[writer], f"out={folders / owner}"], capsys,
             f"holds kzsim {owner_kind} results")
    assert _snapshot(folders / owner) == before


@pytest.mark.parametrize("command", list(SMALL))
def test_a_different_configuration_is_refused_and_the_same_one_accepted(command, folders, capsys):
    before = _snapshot(folders / command)
    _refused([*SMALL[command], *OTHER[command], f"out={folders / command}"], capsys,
             "different configuration")
    assert _snapshot(folders / command) == before
    assert main([*SMALL[command], f"out={folders / command}"]) == 0
    capsys.readouterr()


def test_a_folder_of_someone_elses_files_is_never_written(tmp_path, capsys):
    mine = tmp_path / "thesis"
    mine.mkdir()
    (mine / "chapter1.tex").write_text("hello")
    for args in SMALL.values():
        _refused([*args, f"out={mine}"], capsys, "not empty and holds no kzsim results")
    assert sorted(p.name for p in mine.iterdir()) == ["chapter1.tex"]
