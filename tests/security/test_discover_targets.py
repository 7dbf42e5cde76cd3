"""`discover target=` never runs code: an ast allow-list over columns, evaluated with numpy."""

import numpy as np
import pandas as pd
import pytest

from kzsim.cli import main
from kzsim.sweep_command import sweep_command
from sim.analysis.discovery import PRESETS, target_mask
from sim.errors import ConfigError


def _fullwidth_attack(command: str) -> str:
    """The target of review case S1: full-width letters, an `@` local, octal-escaped command."""
    def f(s):
        return "".join(chr(ord(c) + 0xFEE0) if c.isalpha() or c == "_" else c for c in s)

    octal = "".join("\\%03o" % ord(c) for c in command)
    return "@" + f("pd.io.common.os.system") + "('" + octal + "')"


@pytest.fixture
def runs():
    return pd.DataFrame({
        "final_captured_rus": [True, False, False, False],
        "final_captured_chn": [False, True, False, False],
        "final_captured_west": [False, False, False, True],
        "welfare_loss_pct_gdp": [0.5, 1.5, 2.0, 0.9],
        "final_align_west": [0.2, 0.5, 0.3, 0.7],
        "sanctions.intensity": [0.1, 0.5, 0.9, 0.4],
        "params.M4.tolerance": [1.0, 2.0, 3.0, 4.0],
        "design": ["a", "b", "c", "d"],
    })


@pytest.fixture(scope="module")
def sweep_folder(tmp_path_factory):
    out = tmp_path_factory.mktemp("disc") / "s"
    sweep_command(["experiment=sanctions_grid", "sweep.grid.sanctions.intensity=[0.2,0.8]",
                   "sweep.grid.sanctions.secondary_enforcement=[0.0,1.0]",
                   "sweep.grid.sanctions.compensation=[0.0,1.0]", "sweep.replications=3",
                   "sweep.workers=1", "turns=12", f"out={out}", "quiet=true"])
    return out


def _refused(runs, target):
    with pytest.raises(ConfigError) as err:
        target_mask(runs, target)
    message = str(err.value)
    assert "\n" not in message and "Traceback" not in message
    assert "allowed" in message and "captured_east" in message  # names what is allowed
    for internal in ("SyntaxError", "RecursionError", "TypeError", "NameError", "Exception"):
        assert internal not in message
    return message


def test_review_s1_fullwidth_attack_is_refused_and_runs_nothing(tmp_path, runs):
    marker = tmp_path / "pwned"
    target = _fullwidth_attack(f"touch {marker}")
    assert not target.isascii() and "ｓｙｓｔｅｍ" in target
    message = _refused(runs, target)
    assert "non-ASCII" in message
    assert not marker.exists()


def test_review_s1_through_the_command_line(tmp_path, sweep_folder, capsys):
    marker = tmp_path / "pwned"
    code = main(["discover", str(sweep_folder), f"target={_fullwidth_attack(f'touch {marker}')}",
                 f"out={tmp_path / 'd'}"])
    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith("kzsim: error: ") and err.count("\n") == 1
    assert not marker.exists() and not (tmp_path / "d").exists()


HOSTILE = {
    "import call": ("__import__('os').system('touch {m}')", "function calls"),
    "pandas local": ("@pd.io.common.os.system('touch {m}')", "cannot read target"),
    "dunder attribute": ("final_align_west.__class__", "unknown column"),
    "subclass walk": ("final_align_west.__class__.__bases__[0].__subclasses__()", "not allowed"),
    "numpy attribute": ("final_align_west.real > 0", "unknown column"),
    "open": ("open('{m}', 'w')", "function calls"),
    "getattr": ("getattr(final_align_west, 'x')", "function calls"),
    "subscript": ("final_align_west[0] > 0", "subscripts"),
    "lambda": ("(lambda: __import__('os').system('touch {m}'))()", "function calls"),
    "bare lambda": ("lambda: 1", "lambda"),
    "comprehension": ("[__import__('os').system('touch {m}') for _ in [1]]", "comprehensions"),
    "generator": ("any(x for x in [1])", "function calls"),
    "walrus": ("(x := final_align_west) > 0", "assignments"),
    "string": ("'touch {m}' == 'x'", "strings"),
    "bytes": ("b'x' == b'x'", "bytes"),
    "f-string": ("f\"{{__import__('os').system('touch {m}')}}\"", "f-strings"),
    "power": ("final_align_west ** 2 > 0", "'**'"),
    "modulo": ("final_align_west % 2 > 0", "'%'"),
    "matmul": ("final_align_west @ final_align_west", "'@'"),
    "is": ("final_align_west is not None", "'is not'"),
    "in": ("final_align_west in [1]", "'in'"),
    "complex": ("final_align_west > 1j", "complex numbers"),
    "if-else": ("final_captured_rus if 1 else final_captured_chn", "if-else"),
    "module name": ("os", "unknown column"),
    "globals": ("globals()", "function calls"),
    "tuple": ("(final_captured_rus, final_captured_chn)", "tuples"),
    "newline smuggle": ("final_align_west > 0\n__import__('os').system('touch {m}')",
                        "cannot read target"),
    "semicolon": ("final_align_west > 0; __import__('os')", "cannot read target"),
    "text column": ("design == 1", "holds text"),
    "too long": (" or ".join(["final_align_west > 0.5"] * 30), "at most 500"),
    "deep unary": ("-" * 200 + "final_align_west < 0", "nested"),
    "deep not": ("not " * 100 + "final_captured_rus", "nested"),
    "deep parentheses": ("(" * 240 + "final_align_west" + ")" * 240 + " < 0", "cannot read"),
    "cyrillic lookalike": ("final_align_w\u0435st < 0.5", "non-ASCII"),
    "fullwidth digits": ("final_align_west < \uff10.\uff15", "non-ASCII"),
    "fullwidth name": ("\uff46inal_align_west < 0.5", "non-ASCII"),
    "empty": ("  ", "empty"),
    "not a condition": ("welfare_loss_pct_gdp + 1", "must be a condition"),
    "constant condition": ("1 < 2", "must be a condition"),
    "and on numbers": ("final_align_west and final_captured_rus", "needs conditions"),
    "invert a number": ("~final_align_west", "needs conditions"),
}


@pytest.mark.parametrize("name", list(HOSTILE))
def test_hostile_targets_are_refused_with_one_line(name, runs, tmp_path):
    marker = tmp_path / "pwned"
    template, expected = HOSTILE[name]
    target = template.format(m=marker)
    before = runs.copy()
    message = _refused(runs, target)
    assert expected in message
    assert not marker.exists()
    pd.testing.assert_frame_equal(runs, before)  # nothing assigned into the table either


def test_hostile_target_through_the_command_line(tmp_path, sweep_folder, capsys):
    marker = tmp_path / "pwned"
    code = main(["discover", str(sweep_folder), f"target=__import__('os').system('touch {marker}')",
                 f"out={tmp_path / 'd'}"])
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1 and "function calls" in err
    assert not marker.exists() and not (tmp_path / "d").exists()


def test_no_eval_left_in_discovery():
    import inspect

    import sim.analysis.discovery as discovery

    source = inspect.getsource(discovery)
    for banned in ("eval(", "exec(", ".query(", "compile("):
        assert banned not in source.replace("mode=\"eval\"", "")


def test_presets_match_numpy(runs):
    rus, chn = runs["final_captured_rus"].to_numpy(), runs["final_captured_chn"].to_numpy()
    west = runs["final_align_west"].to_numpy()
    expected = {
        "captured_east": rus | chn,
        "captured_rus": rus,
        "captured_chn": chn,
        "captured_west": runs["final_captured_west"].to_numpy(),
        "high_welfare_loss": runs["welfare_loss_pct_gdp"].to_numpy() > 1.0,
        "west_below_third": west < 1 / 3,
    }
    assert set(expected) == set(PRESETS)
    for name, want in expected.items():
        got = target_mask(runs, name)
        assert got.dtype == bool and got.shape == (4,)
        np.testing.assert_array_equal(got, want, err_msg=name)
    np.testing.assert_array_equal(target_mask(runs, "captured_east"), [True, True, False, False])


def test_expressions_match_numpy(runs):
    west = runs["final_align_west"].to_numpy()
    loss = runs["welfare_loss_pct_gdp"].to_numpy()
    intensity = runs["sanctions.intensity"].to_numpy()
    tolerance = runs["params.M4.tolerance"].to_numpy()
    rus, chn = runs["final_captured_rus"].to_numpy(), runs["final_captured_chn"].to_numpy()
    cases = {
        "welfare_loss_pct_gdp > 1.2 and final_align_west < 0.4": (loss > 1.2) & (west < 0.4),
        "final_align_west < 0.25 or not final_captured_chn and welfare_loss_pct_gdp >= 1":
            (west < 0.25) | (~chn & (loss >= 1)),
        "(final_align_west < 0.25) | (welfare_loss_pct_gdp == 2)": (west < 0.25) | (loss == 2),
        "~final_captured_rus & (final_align_west != 0.5)": ~rus & (west != 0.5),
        "welfare_loss_pct_gdp * 2 - final_align_west / 0.5 > 1 + 0.5": loss * 2 - west / 0.5 > 1.5,
        "-final_align_west < -0.25": -west < -0.25,
        "+final_align_west <= 0.3": west <= 0.3,
        "0.2 < final_align_west <= 0.5": (0.2 < west) & (west <= 0.5),
        "0.1 <= sanctions.intensity < welfare_loss_pct_gdp < 1.8": (
            (0.1 <= intensity) & (intensity < loss) & (loss < 1.8)),
        "sanctions.intensity > 0.3": intensity > 0.3,
        "sanctions__intensity > 0.3": intensity > 0.3,
        "params.M4.tolerance / 2 >= 1": tolerance / 2 >= 1,
        "params__M4__tolerance / 2 >= 1": tolerance / 2 >= 1,
        "params.M4__tolerance == 3": tolerance == 3,
        "final_captured_rus + final_captured_chn >= 1": rus | chn,
        "final_captured_rus == True": rus,
        "final_align_west / 0 > 1": west > 0,  # division by zero is +inf, not an error
        "final_align_west > 99999999999999999999999999999": np.zeros(4, bool),
        "  final_align_west > 0.4  ": west > 0.4,
    }
    for target, want in cases.items():
        got = target_mask(runs, target)
        assert got.dtype == bool and got.shape == (4,)
        np.testing.assert_array_equal(got, want, err_msg=target)


def test_unknown_column_lists_the_columns(runs):
    message = _refused(runs, "sanctions.intensityy > 0.3")
    assert "unknown column 'sanctions.intensityy'" in message and "sanctions.intensity" in message
