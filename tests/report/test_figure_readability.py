"""Figures an analyst can read: one colour per power everywhere, a Pareto legend with labels
that do not overprint, ternary tick values, user text with ``$`` drawn as typed, stated
overrides, and a view of every lever of a sweep. All drawn from stored results only."""

import itertools

import numpy as np
import pandas as pd
import pytest
from matplotlib.colors import to_hex
from matplotlib.lines import Line2D

import sim
from kzsim.compare_command import compare_command
from kzsim.figures import designs, discovery, hindcast, levers, sensitivity
from kzsim.figures.style import BLOC_COLOURS, BLOC_LABELS, changed_settings, png_bytes
from kzsim.plots import alignment_figure, ternary_figure
from sim.analysis.compare import comparison_table, pareto_marks
from sim.analysis.discovery import Box

POWER_OF_LABEL = {label: bloc for bloc, label in BLOC_LABELS.items()}
DOLLAR = "$\\nope$"


@pytest.fixture(autouse=True)
def _no_simulation(monkeypatch):
    def forbidden(*args, **kwargs):
        raise AssertionError("figures must read stored results, not simulate")
    monkeypatch.setattr("sim.model.KazakhstanModel.__init__", forbidden)


@pytest.fixture(scope="session")
def dollar_compare(tmp_path_factory):
    """A real comparison whose second design is named ``$\\nope$`` (mathtext would fail)."""
    out = tmp_path_factory.mktemp("dollar") / "c"
    compare_command(["designs=[status_quo_2022,{name:'$\\nope$',intensity:1.0}]",
                     "compare.replications=3", "compare.workers=1", "turns=8", f"out={out}",
                     "quiet=true"])
    return out


def _table(res):
    return comparison_table(res.runs.rename(columns={"replication": "pair"}),
                            res.manifest["compare"]["reference"])


def _traj(res) -> pd.DataFrame:
    """A run-style trajectories table built from stored bands (one 'seed' per point)."""
    b = res.bands
    dates = pd.period_range("2021-12", periods=int(b["turn"].max()) + 1, freq="M").strftime("%Y-%m")
    aligns = {f"align_{k}": b[f"align_{k}_q50"] for k in ("rus", "chn", "usa", "eu")}
    return pd.DataFrame({"seed": b["point_id"], "turn": b["turn"],
                         "date": dates[b["turn"].to_numpy()], **aligns})


def _hindcast_inputs():
    rows = [{"quantity": q, "year": y, "value": 1.0 + y - 2021, "p05": 0.5, "p95": 2.0 + y - 2021}
            for q in hindcast.PANELS for y in range(2021, 2026)]
    obs = pd.DataFrame([{"quantity": q, "year": 2021, "observed": 1.0} for q in hindcast.PANELS])
    return pd.DataFrame(rows), obs


def _power_colours(fig) -> dict[str, set[str]]:
    """Colour of every artist labelled with a power's name (lines, legend patches)."""
    seen: dict[str, set[str]] = {}

    def note(label, colour):
        bloc = POWER_OF_LABEL.get(str(label).replace(" (part of the West)", ""))
        if bloc:
            seen.setdefault(bloc, set()).add(to_hex(colour))

    for ax in fig.axes:
        for line in ax.get_lines():
            note(line.get_label(), line.get_color())
    for legend in [*fig.legends, *(ax.get_legend() for ax in fig.axes)]:
        if legend is None:
            continue
        for handle, text in zip(legend.legend_handles, legend.get_texts(), strict=False):
            colours = ([handle.get_color()] if isinstance(handle, Line2D)
                       else np.atleast_2d(handle.get_facecolor()))
            for colour in colours:
                note(text.get_text(), colour)
    return seen


def test_each_power_has_one_colour_in_every_figure(tiny_compare, tiny_sweep):
    cmp, swp = sim.load_results(tiny_compare), sim.load_results(tiny_sweep)
    figs = [designs.alignment_by_design(cmp), designs.why_stacked(cmp, "actor"),
            levers.capture_probability(swp, "sanctions.intensity"),
            alignment_figure(_traj(cmp), "run"), designs.alignment_by_design(swp, [0, 1])]
    found: dict[str, set[str]] = {}
    for fig in figs:
        for bloc, colours in _power_colours(fig).items():
            found.setdefault(bloc, set()).update(colours)
        png_bytes(fig)
    assert set(found) == {"rus", "chn", "west", "usa", "eu"}
    for bloc, colours in found.items():
        assert colours == {BLOC_COLOURS[bloc].lower()}, (bloc, colours)
    # the hindcast colours each panel by the power it concerns
    fig = hindcast.hindcast_figure(*_hindcast_inputs())
    by_title = {ax.get_title(): to_hex(ax.get_lines()[0].get_color()) for ax in fig.axes
                if ax.get_visible() and ax.get_lines()}
    assert by_title["Trade with Russia (USD bn)"] == BLOC_COLOURS["rus"].lower()
    assert by_title["Trade with China (USD bn)"] == BLOC_COLOURS["chn"].lower()
    assert by_title["Alignment with the EU (share)"] == BLOC_COLOURS["eu"].lower()
    png_bytes(fig)


def test_designs_never_take_a_power_colour(tiny_compare):
    res = sim.load_results(tiny_compare)
    table = _table(res)
    powers = {c.lower() for c in BLOC_COLOURS.values()}
    for fig in (designs.ternary_by_design(res), designs.pareto_scatter(table, pareto_marks(table)),
                designs.why_stacked(res, "mechanism")):
        lines = {to_hex(ln.get_color()) for ax in fig.axes for ln in ax.get_lines()}
        patches = {to_hex(c) for legend in fig.legends for p in legend.legend_handles
                   if not isinstance(p, Line2D) for c in np.atleast_2d(p.get_facecolor())}
        assert lines and not (lines | patches) & powers
        png_bytes(fig)
    fig = sensitivity.sobol_figure(pd.DataFrame({
        "parameter": ["sanctions.intensity", "params.M4.strength"], "outcome": "final_align_west",
        "S1": [0.5, 0.1], "S1_conf": 0.05, "ST": [0.6, 0.2], "ST_conf": 0.05}))
    bars = {to_hex(p.get_facecolor()) for p in fig.axes[0].patches}
    assert bars and not bars & powers
    png_bytes(fig)


def test_pareto_has_a_legend_and_labels_do_not_overprint(tiny_compare):
    res = sim.load_results(tiny_compare)
    table = _table(res)
    fig = designs.pareto_scatter(table, pareto_marks(table), designs.results_note(res))
    names = list(dict.fromkeys(table["design"]))
    legend = fig.legends[0]
    entries = [t.get_text() for t in legend.get_texts()]
    assert entries == [f"{i + 1}  {d}" for i, d in enumerate(names)]
    renderer = fig.canvas.get_renderer()
    for ax in fig.axes:
        boxes = [t.get_window_extent(renderer) for t in ax.texts]
        assert len(boxes) == len(names)
        for a, b in itertools.combinations(boxes, 2):
            assert not a.overlaps(b), "point labels overprint"
    assert "changed from the defaults" in fig.get_suptitle()
    png_bytes(fig)


def test_ternaries_have_tick_values_on_three_axes(tiny_compare):
    res = sim.load_results(tiny_compare)
    for fig in (designs.ternary_by_design(res), ternary_figure(_traj(res), "run")):
        whole = fig.axes[0]
        ticks = [t for t in whole.texts if t.get_text() in ("0.2", "0.4", "0.6", "0.8")]
        by_colour = {}
        for t in ticks:
            by_colour.setdefault(to_hex(t.get_color()), set()).add(t.get_text())
        assert by_colour == {BLOC_COLOURS[b].lower(): {"0.2", "0.4", "0.6", "0.8"}
                             for b in ("rus", "chn", "west")}
        close = fig.axes[1]
        assert any(t.get_text().strip().startswith("0.") for t in close.texts)
        png_bytes(fig)


def test_dollar_signs_in_user_text_draw_as_typed(dollar_compare, tiny_sweep):
    res = sim.load_results(dollar_compare)
    assert DOLLAR in set(res.points["design"])
    table = _table(res)
    figs = [designs.alignment_by_design(res), designs.ternary_by_design(res),
            designs.pareto_scatter(table, pareto_marks(table)),
            designs.why_stacked(res, "mechanism"),
            designs.why_stacked(res, "actor"), alignment_figure(_traj(res), "run $x^$ name"),
            ternary_figure(_traj(res), "$\\alpha$")]
    swp = sim.load_results(tiny_sweep)
    x = swp.runs[["sanctions__intensity", "sanctions__secondary_enforcement"]]
    y = (swp.runs["final_align_west"] < swp.runs["final_align_west"].median()).to_numpy()
    box = Box({"sanctions__intensity": (0.0, 0.5)}, 0.6, 0.7, 10)
    figs.append(discovery.discovery_figure(x, y, [box], "final_align_west < 0.4 and '$^$' != 'a'"))
    for fig in figs:
        assert png_bytes(fig)[:4] == b"\x89PNG"
    texts = [t.get_text() for ax in figs[0].axes for t in [ax.title]]
    assert DOLLAR in texts


def test_heatmap_boundary_is_a_labelled_contour(tiny_sweep):
    res = sim.load_results(tiny_sweep)
    fig = levers.heatmap(res, "sanctions.intensity", "sanctions.secondary_enforcement",
                         "final_align_west")
    labels = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert len(labels) == 2
    assert all("50%" in t and ("Russia or China" in t or "the West" in t) for t in labels)
    png_bytes(fig)


def test_every_lever_has_a_view_in_a_three_lever_sweep(tiny_sweep):
    from kzsim.report import _sweep_report
    res = sim.load_results(tiny_sweep)
    assert len(res.manifest["levers"]) == 3
    fig = levers.lever_pairs(res, "final_align_west")
    panels = [ax for ax in fig.axes
              if ax.get_visible() and ax.collections and ax.get_label() != "<colorbar>"]
    assert len(panels) == 3  # every pair of the three levers
    named = {ax.get_xlabel() for ax in panels} | {ax.get_ylabel() for ax in panels}
    assert {"intensity", "secondary enforcement", "compensation"} <= named
    png_bytes(fig)
    names = [name for name, _, _ in _sweep_report(res).figures]
    assert "levers_final_align_west" in names and "alignment_extremes" in names


def test_titles_state_the_settings_changed_from_the_defaults(tiny_compare, tiny_sweep):
    cmp = sim.load_results(tiny_compare)
    changed = changed_settings(cmp.manifest["config"], cmp.manifest["compare"], "compare")
    assert "turns=12" in changed and "compare.replications=4" in changed
    assert not any(c.startswith(("out=", "name=", "compare.workers")) for c in changed)
    at_defaults = dict(cmp.manifest["config"], turns=120, out=None, name="run")
    assert changed_settings(at_defaults) == []
    fig = designs.alignment_by_design(cmp)
    assert "turns=12" in fig.get_suptitle()
    swp = sim.load_results(tiny_sweep)
    fig = levers.heatmap(swp, "sanctions.intensity", "sanctions.compensation", "final_align_west")
    assert "turns=12" in fig.axes[0].get_title()
    png_bytes(fig)
    designed = dict(cmp.manifest["config"], sanctions={**cmp.manifest["config"]["sanctions"],
                                                        "intensity": 0.91})
    assert "sanctions.intensity=0.91" in changed_settings(designed)


def test_why_figure_shows_the_net_change_on_its_own_scale(tiny_compare):
    res = sim.load_results(tiny_compare)
    fig = designs.why_stacked(res, "mechanism")
    n = res.points["point_id"].nunique()
    net_axes = [ax for ax in fig.axes if any(t.get_text().startswith("net ") for t in ax.texts)]
    assert len(net_axes) == n
    largest = max(np.abs(ax.get_lines()[0].get_ydata()).max() for ax in net_axes)
    lo, hi = net_axes[0].get_ylim()
    assert all(ax.get_ylim() == (lo, hi) for ax in net_axes)  # one scale, comparable designs
    assert hi - lo <= 3.5 * largest + 0.05  # scaled to the net change, not the gross stacks
    stack = [ax for ax in fig.axes if ax not in net_axes and ax.collections]
    assert stack and all(ax.get_ylim() != (lo, hi) for ax in stack)
    png_bytes(fig)
