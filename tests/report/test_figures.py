"""Every plot function renders from a tiny stored result (never re-simulating)."""

import sim
from kzsim.figures import designs, levers
from kzsim.figures.style import png_bytes
from sim.analysis.compare import comparison_table, pareto_marks


def _is_png(data: bytes) -> bool:
    return data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 15_000


def test_design_figures_render(tiny_compare, monkeypatch):
    res = sim.load_results(tiny_compare)
    monkeypatch.setattr("sim.model.KazakhstanModel.__init__", _forbidden)
    table = comparison_table(res.runs.rename(columns={"replication": "pair"}), "status_quo_2022")
    for fig in (designs.alignment_by_design(res), designs.ternary_by_design(res),
                designs.pareto_scatter(table, pareto_marks(table)),
                designs.why_stacked(res, "mechanism"), designs.why_stacked(res, "actor")):
        assert _is_png(png_bytes(fig))


def test_lever_figures_render(tiny_sweep, monkeypatch):
    res = sim.load_results(tiny_sweep)
    monkeypatch.setattr("sim.model.KazakhstanModel.__init__", _forbidden)
    for outcome in ("final_align_west", "welfare_loss_pct_gdp"):
        assert _is_png(png_bytes(levers.heatmap(res, "sanctions.intensity",
                                                "sanctions.secondary_enforcement", outcome)))
    assert _is_png(png_bytes(levers.capture_probability(res, "sanctions.compensation")))
    assert _is_png(png_bytes(designs.alignment_by_design(res, [0, 5])))


def _forbidden(*args, **kwargs):
    raise AssertionError("plots must read stored results, not simulate")
