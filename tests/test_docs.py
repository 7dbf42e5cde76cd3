"""The documentation that is generated from code stays current."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import kzsim

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "odd_parameter_table.py"


def _script():
    spec = importlib.util.spec_from_file_location("odd_parameter_table", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_odd_parameter_table_matches_the_parameters_metadata():
    """docs/ODD.md 7.3 lists every structural parameter with its value, prior and source."""
    script = _script()
    text = script.ODD.read_text()
    table = script.parameter_table(kzsim.load_config([]).params)
    assert script.render(text, table) == text, (
        "docs/ODD.md's parameter table is stale: run python scripts/odd_parameter_table.py")
    assert table.count("\n| `") == 115
