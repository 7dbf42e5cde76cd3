import base64
import re
import subprocess
import sys

import pytest

from kzsim.report import write_report
from sim.errors import ConfigError


def _srcs(html: str) -> list[str]:
    return re.findall(r"src='([^']*)'", html) + re.findall(r'src="([^"]*)"', html)


def test_compare_report_is_self_contained_and_names_designs(tiny_compare):
    path = write_report(tiny_compare)
    html = path.read_text()
    srcs = _srcs(html)
    assert len(srcs) == 5 and all(s.startswith("data:image/png;base64,") for s in srcs)
    # every figure is embedded: decoded, each source is a PNG (base64 text itself may hold
    # any four letters, "http" among them, so the sources are decoded, not searched)
    assert all(base64.b64decode(s.split(",", 1)[1])[:8] == b"\x89PNG\r\n\x1a\n" for s in srcs)
    assert not re.search(r"""(src|href)=["']?https?:""", html) and "report_files" not in html
    for design in ("status_quo_2022", "calibrated", "secondary_crackdown"):
        assert design in html
    assert "Pareto front" in html and "paired against status_quo_2022" in html
    md = path.with_suffix(".md").read_text()
    assert md.count("](report_files/") == 5 and "| " in md
    assert all((tiny_compare / "report_files" / f).exists()
               for f in re.findall(r"report_files/([\w.]+)", md))


def test_sweep_report(tiny_sweep, tmp_path):
    path = write_report(tiny_sweep, tmp_path / "elsewhere")
    html = path.read_text()
    assert path.parent == tmp_path / "elsewhere"
    assert all(s.startswith("data:image/png;base64,") for s in _srcs(html))
    assert "heatmap" in html and "Raising intensity from 0.2 to 0.8" in html
    assert "12 months" in html or "runs of 12 months" in html


def test_report_errors(tmp_path, tiny_compare):
    with pytest.raises(ConfigError, match="is not a folder"):
        write_report(tmp_path / "missing")
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "manifest.json").write_text("{not json")
    with pytest.raises(ConfigError, match="not readable JSON"):
        write_report(bad)
    res = subprocess.run([sys.executable, "-m", "kzsim.cli", "report", str(tmp_path / "missing")],
                         capture_output=True, text=True)
    assert (res.returncode == 2 and res.stderr.startswith("kzsim: error:")
            and "Traceback" not in res.stderr)


def test_incomplete_sweep_is_refused(tiny_sweep, tmp_path):
    import shutil
    copy = tmp_path / "partial"
    shutil.copytree(tiny_sweep, copy)
    # as a killed sweep leaves it: the first chunk not yet done, the manifest not complete
    import json
    manifest = json.loads((copy / "manifest.json").read_text())
    for name in [n for n in manifest["files"] if n.endswith("part-00000.parquet")]:
        del manifest["files"][name]
        (copy / name).unlink()
    manifest["complete"] = False
    (copy / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(ConfigError, match="not complete"):
        write_report(copy)
