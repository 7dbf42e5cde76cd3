"""``kzsim --help``, ``kzsim <command> --help`` and ``--cfg``, in process through the real main."""

from __future__ import annotations

import dataclasses
import shlex
import subprocess
import sys
from importlib import import_module

import pytest
import yaml

from kzsim import cli
from kzsim.configuration import compose_mapping

COMMANDS = ["run", "sweep", "compare", "report", "sensitivity", "discover", "calibrate",
            "fit", "hindcast", "optimize", "explore"]
CONFIG_COMMANDS = [c for c in COMMANDS if c not in ("report", "discover", "explore")]
# each command's settings dataclasses: (group, module, class)
SETTINGS = {
    "sweep": [("sweep", "sim.sweep.settings", "SweepSettings")],
    "compare": [("compare", "sim.comparison", "CompareSettings")],
    "sensitivity": [("sensitivity", "kzsim.sensitivity_command", "SensitivitySettings")],
    "calibrate": [("calibration", "sim.replay_settings", "CalibrationSettings")],
    "fit": [("fit", "sim.replay_settings", "FitSettings")],
    "hindcast": [("hindcast", "sim.replay_settings", "HindcastSettings")],
    "optimize": [("optimize", "sim.search.settings", "OptimizeSettings")],
}
# what each command composes before the user's overrides (so its defaults differ)
EXTRA = {"compare": ["name=compare"], "calibrate": ["history=events_2022_2025", "name=calibration"],
         "fit": ["history=events_2022_2025", "name=fit", "ensemble=point"],
         "hindcast": ["history=events_2022_2025", "name=hindcast", "runs=100"],
         "optimize": ["name=optimize"]}


def _main(capsys, *args):
    status = cli.main(list(args))
    out, err = capsys.readouterr()
    return status, out, err


def _flat(text: str) -> str:
    return " ".join(text.split())


def _shown(value) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return str(value).lower()
    return str(value)


def test_top_level_help_lists_every_command(capsys):
    status, out, err = _main(capsys, "--help")
    assert status == 0 and err == ""
    assert out.startswith("usage: kzsim <command>")
    listed = [line.split()[0] for line in out.split("commands:\n")[1].split("\n\n")[0].splitlines()]
    assert listed == COMMANDS
    for option in ("-h, --help", "-q, --quiet", "--cfg", "-m, --multirun"):
        assert option in out
    assert "\n  kzsim run" in out
    assert _main(capsys, "-h")[1] == out and _main(capsys, "help")[1] == out


@pytest.mark.parametrize("flag", ["-h", "--help"])
@pytest.mark.parametrize("command", COMMANDS)
def test_command_help_has_usage_options_and_examples(command, flag, capsys):
    status, out, err = _main(capsys, command, flag)
    assert status == 0 and err == ""
    assert out.startswith(f"usage: kzsim {command} [-h] [-q]")
    assert "-h, --help" in out and "-q, --quiet" in out
    assert ("--cfg" in out) == (command in CONFIG_COMMANDS)
    assert ("-m, --multirun" in out) == (command == "sweep")
    examples = out.split("\nexamples:\n")[1].splitlines()
    assert examples and all(line.startswith(f"  kzsim {command}") for line in examples)
    assert max(len(line) for line in out.splitlines()) <= 100


@pytest.mark.parametrize("command", CONFIG_COMMANDS)
def test_command_help_shows_settings_with_defaults_from_the_sources(command, capsys):
    status, out, _ = _main(capsys, command, "--help")
    assert status == 0
    flat = _flat(out)
    mapping = compose_mapping(EXTRA.get(command, []))
    for group, module, name in SETTINGS.get(command, []):
        cls = getattr(import_module(module), name)
        for field in dataclasses.fields(cls):
            assert field.metadata.get("doc"), f"{name}.{field.name} has no description"
            value = mapping[group][field.name]
            shown = f"{group}.{field.name}="
            if value is None or isinstance(value, (bool, int, float, str)):
                shown += _shown(value)
            assert shown in out, shown
            assert _flat(field.metadata["doc"]) in flat, field.name
    for key in ("name", "seed", "start", "out", "quiet"):
        assert f"\n  {key}={_shown(mapping[key])} " in out, key
    assert ("\n  turns=" in out) == (command not in ("calibrate", "fit", "hindcast"))
    assert ("\n  runs=" in out) == (command in ("run", "hindcast"))
    assert f"sanctions={mapping['sanctions']['name']}" in out
    assert f"sanctions.intensity={_shown(mapping['sanctions']['intensity'])}" in out
    assert f"policy.rus={mapping['policy']['rus']}" in out


def test_command_defaults_follow_the_command(capsys):
    assert "\n  name=compare " in _main(capsys, "compare", "-h")[1]
    hindcast = _main(capsys, "hindcast", "-h")[1]
    assert "\n  runs=100 " in hindcast and "history=events_2022_2025" in hindcast
    assert "calibration.targets=kz2022" in hindcast
    assert "\n  turns=120 " in _main(capsys, "run", "-h")[1]


def test_folder_commands_show_their_options(capsys):
    report = _main(capsys, "report", "--help")[1]
    assert "<results folder>" in report and "out=" in report
    discover = _main(capsys, "discover", "--help")[1]
    for text in ("max_depth=3", "min_leaf=0.02", "target=captured_east", "out="):
        assert text in discover


def test_help_wins_wherever_it_is_written(capsys):
    expected = _main(capsys, "run", "--help")[1]
    assert _main(capsys, "run", "turns=12", "-h", "-x") == (0, expected, "")
    assert _main(capsys, "help", "run") == (0, expected, "")
    assert _main(capsys, "sweep", "-m", "experiment=sanctions_lhs", "--help")[0] == 0


@pytest.mark.parametrize("args, check", [
    (["run", "sanctions.intensity=0.9", "turns=7"],
     lambda c: c["sanctions"]["intensity"] == 0.9 and c["turns"] == 7 and "sweep" not in c),
    (["run", "-q"], lambda c: c["quiet"] is True and list(c)[:2] == ["name", "turns"]),
    (["sweep", "experiment=sanctions_lhs", "sweep.samples=32"],
     lambda c: c["sweep"]["samples"] == 32 and c["sweep"]["design"] == "lhs"),
    (["compare", "designs=[calibrated,status_quo_2022]"],
     lambda c: c["compare"]["designs"] == ["calibrated", "status_quo_2022"]
     and c["name"] == "compare"),
    (["sensitivity", "experiment=sobol_sanctions", "sensitivity.samples=64"],
     lambda c: c["sensitivity"]["samples"] == 64),
    (["calibrate", "calibration.candidates=10"],
     lambda c: c["calibration"]["candidates"] == 10 and c["history"]["name"] == "events_2022_2025"),
    (["hindcast", "hindcast.last_year=2023"],
     lambda c: c["hindcast"] == {"last_year": 2023} and c["runs"] == 100
     and c["calibration"] == {"targets": "kz2022"}),
])
def test_cfg_prints_the_resolved_configuration_and_writes_nothing(args, check, tmp_path,
                                                                   monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    status, out, err = _main(capsys, *args, "--cfg", f"out={tmp_path / 'x'}")
    assert status == 0 and err == ""
    config = yaml.safe_load(out)
    assert check(config)
    assert config["out"] == str(tmp_path / "x")
    assert list(tmp_path.iterdir()) == []


def test_cfg_with_a_bad_value_is_one_line(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    status, out, err = _main(capsys, "run", "--cfg", "turns=0")
    assert status == 2 and out == ""
    assert err.startswith("kzsim: error: turns=0 is out of range") and err.count("\n") == 1
    status, _, err = _main(capsys, "sweep", "-m", "--cfg", "experiment=sanctions_lhs")
    assert status == 2 and err.startswith("kzsim: error: --cfg") and err.count("\n") == 1
    assert list(tmp_path.iterdir()) == []


def _examples(command: str, capsys) -> list[list[str]]:
    out = _main(capsys, command, "--help")[1]
    return [shlex.split(line)[1:] for line in out.split("\nexamples:\n")[1].splitlines()]


@pytest.mark.parametrize("command", CONFIG_COMMANDS)
def test_every_example_composes(command, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    for args in _examples(command, capsys):
        if "-m" in args:
            continue              # multirun sweeps are composed by kzsim.multirun's own checks
        status, _, err = _main(capsys, *args, "--cfg")
        assert status == 0, (args, err)
    assert list(tmp_path.iterdir()) == []


def test_top_level_examples_compose(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    out = _main(capsys, "--help")[1]
    lines = out.split("\nexamples:\n")[1].split("\n\n")[0].splitlines()
    assert len(lines) >= 5
    for args in (shlex.split(line)[1:] for line in lines):
        if args[0] in CONFIG_COMMANDS:
            status, _, err = _main(capsys, *args, "--cfg")
            assert status == 0, (args, err)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("args, fragments", [
    (["run", "-x"], ["unknown option '-x'", "key=value", "kzsim run --help"]),
    (["run", "turns=12", "--bogus", "runs=2"], ["unknown option '--bogus'"]),
    (["sweep", "--config-dir=/tmp"], ["unknown option '--config-dir=/tmp'", "-m"]),
    (["report", "-x", "folder"], ["unknown option '-x'", "results folder"]),
    (["discover", "--cfg"], ["unknown option '--cfg'"]),
    (["run", "--cfg=3"], ["--cfg", "kzsim run --help"]),
    (["run", "-qx"], ["kzsim run"]),
    (["-q", "run"], ["unknown option '-q' before the command", "run, sweep"]),
    (["nope"], ["unknown command 'nope'", "run, sweep, compare"]),
])
def test_unknown_options_are_one_line_exit_2(args, fragments, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    status, out, err = _main(capsys, *args)
    assert status == 2 and out == ""
    assert err.startswith("kzsim: error: ") and err.count("\n") == 1, err
    assert "usage" not in err and "Traceback" not in err
    for fragment in fragments:
        assert fragment in err
    assert list(tmp_path.iterdir()) == []


def test_unknown_option_from_the_console(tmp_path):
    res = subprocess.run([sys.executable, "-m", "kzsim.cli", "run", "-x"], capture_output=True,
                         text=True, cwd=tmp_path)
    assert res.returncode == 2 and res.stdout == ""
    assert res.stderr.startswith("kzsim: error: unknown option '-x'")
    assert res.stderr.count("\n") == 1
