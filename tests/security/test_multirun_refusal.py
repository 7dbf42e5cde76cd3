"""`kzsim sweep -m` refuses overrides that make Hydra import or call code, before Hydra runs."""

import pickle

import pytest

from kzsim.cli import main
from kzsim.multirun import validate
from sim.errors import ConfigError

SMALL = ["experiment=sanctions_lhs", "sweep.samples=8", "sweep.replications=2", "turns=12"]


class _TouchOnLoad:
    """Unpickling this calls open(path, 'w'): the marker file appears if the pickle is loaded."""

    def __init__(self, path):
        self.path = str(path)

    def __reduce__(self):
        return (open, (self.path, "w"))


def _payload(tmp_path, marker):
    path = tmp_path / "payload.pkl"
    path.write_bytes(pickle.dumps(_TouchOnLoad(marker)))
    return path


def _refused(capsys, *overrides):
    code = main(["sweep", "-m", *overrides])
    captured = capsys.readouterr()
    assert code == 2, captured
    assert captured.err.startswith("kzsim: error: ") and captured.err.count("\n") == 1
    assert "Traceback" not in captured.err and "Exception" not in captured.err
    assert captured.out == ""
    return captured.err


def test_the_payload_is_live(tmp_path):
    control = tmp_path / "control"
    pickle.loads(_payload(tmp_path, control).read_bytes()).close()
    assert control.exists()


def test_review_s2_pickle_callback_is_refused(tmp_path, capsys):
    marker = tmp_path / "pwned"
    payload = _payload(tmp_path, marker)
    err = _refused(capsys, *SMALL, "+hydra.callbacks.x._target_=pandas.read_pickle",
                   f"+hydra.callbacks.x.filepath_or_buffer={payload}", f"out={tmp_path / 'out'}")
    assert "_target_" in err and "not allowed" in err and "hydra/launcher" in err
    assert not marker.exists() and not (tmp_path / "out").exists()


@pytest.mark.parametrize("override", [
    "+hydra.callbacks.x.filepath_or_buffer=/tmp/x",
    "++hydra.callbacks.x.y=1",
    "hydra.callbacks={}",
    "~hydra.callbacks",
    "~hydra.callbacks.x",
    "hydra/callbacks=anything",
])
def test_hydra_callbacks_are_refused_with_any_prefix(override, tmp_path, capsys):
    err = _refused(capsys, *SMALL, override, f"out={tmp_path / 'out'}")
    assert "hydra.callbacks" in err and "not allowed" in err
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("override", [
    "+x=_target_",
    "sanctions.name=my_target_design",
    "+x={_target_:os.system,command:'touch pwned'}",
    "+hydra.launcher._target_=os.system",
    "sanctions.intensity=0.5,_target_",
])
def test_target_anywhere_is_refused(override, tmp_path, capsys):
    err = _refused(capsys, *SMALL, override, f"out={tmp_path / 'out'}")
    assert "'_target_'" in err
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("override, named", [
    ("++hydra.job_logging.handlers.x.class=subprocess.Popen", "hydra.job_logging"),
    ("hydra.searchpath=[file:///tmp]", "hydra.searchpath"),
    ("hydra.job.env_set.LD_PRELOAD=/tmp/x.so", "hydra.job.env_set"),
    ("hydra.sweeper.params={a:1}", "hydra.sweeper.params"),
    ("hydra={output_subdir:x}", "sets hydra,"),
    ("+sanctions@hydra.x=calibrated", "under hydra"),
    ("hydra.launcher.n_jobs=${oc.env:HOME}", "interpolation"),
])
def test_other_code_loading_hydra_settings_are_refused(override, named, capsys):
    assert named in _refused(capsys, *SMALL, override)


def test_hydra_command_line_options_are_refused(tmp_path, capsys):
    marker = tmp_path / "pwned"
    payload = _payload(tmp_path, marker)
    for option in (f"--experimental-rerun={payload}", "--config-dir=/tmp", "-cd", "--info"):
        assert "not allowed" in _refused(capsys, *SMALL, option)
    assert not marker.exists()


@pytest.mark.parametrize("overrides, message", [
    (["experiment=nope"], "unknown experiment 'nope'; valid choices: sanctions_grid"),
    (["sanctions.intensityy=1"], "unknown key 'sanctions.intensityy'; valid keys under sanctions"),
    ([*SMALL, "sweep.shards=2", "sweep.shard=range(0,2)", "sweep.samples=abc"], "sweep.samples"),
    (["sanctions.intensity=[0.5"], "cannot read override 'sanctions.intensity=[0.5'"),
    (["experiment=glob(zz*)"], "matches no experiment option"),
    (["sanctions.intensity=interval(0,1)"], "interval() sweeps need a sweeper"),
])
def test_review_u2_bad_overrides_are_one_line_exit_2(overrides, message, tmp_path, capsys):
    err = _refused(capsys, *overrides, f"out={tmp_path / 'out'}")
    assert message in err
    assert not (tmp_path / "out").exists()


def test_first_value_of_every_sweep_is_checked(capsys):
    # the second value is fine but the first job's would not be: refused before Hydra starts
    assert "unknown sanctions design" in _refused(capsys, *SMALL, "sanctions=nope,calibrated")


def test_launcher_and_sweep_settings_still_pass_validation(tmp_path):
    validate([*SMALL, "sweep.shards=3", "sweep.shard=range(0,3)", "hydra/launcher=joblib",
              "hydra.launcher.n_jobs=2", "hydra.sweep.dir=" + str(tmp_path / "multirun"),
              "hydra.sweep.subdir=job", "sanctions.intensity=0.2,0.8", "experiment=glob(*lhs)",
              f"out={tmp_path / 'out'}"])
    assert not (tmp_path / "out").exists()
    with pytest.raises(ConfigError, match="unknown key"):
        validate([*SMALL, "sweep.shard=range(0,3)", "sweep.samplez=3"])
