"""The explorer's page (Streamlit): stored results and a live mode. Started by ``kzsim explore``.

Streamlit runs this script top to bottom on every interaction. It only lays out what
:mod:`kzsim.explore_views` computes; the figures are the report's (:mod:`kzsim.figures`), as
PNG images. The folder and the live batch size come from the environment that ``kzsim explore``
sets (``KZSIM_EXPLORE_FOLDER``, ``KZSIM_EXPLORE_RUNS``); the folder was verified before the
server started.
"""

from __future__ import annotations

import os

import streamlit as st

from kzsim import explore_views as ev
from sim.sweep.settings import lever_field

FOLDER = os.environ.get("KZSIM_EXPLORE_FOLDER") or None
RUNS = int(os.environ.get("KZSIM_EXPLORE_RUNS") or ev.LIVE_RUNS)


def png(fig) -> bytes:
    """A figure as PNG bytes (the report's renderer)."""
    from kzsim.figures.style import png_bytes

    return png_bytes(fig)


@st.cache_resource(show_spinner="Reading and verifying the results folder ...")
def opened(path: str) -> ev.Opened:
    """The verified folder, read once per server."""
    return ev.open_folder(path)


@st.cache_resource(show_spinner=False)
def defaults() -> tuple[dict, dict]:
    """The configured design's fields and each actor's configured policy."""
    import kzsim

    cfg = kzsim.load_config([])
    fields = {name: getattr(cfg.sanctions, name) for name, *_ in ev.design_fields()}
    return fields, {key: getattr(cfg.policy, key) for key, _, _ in ev.ACTORS}


@st.cache_data(show_spinner=False, max_entries=64)
def live_results(fields: tuple, policies: tuple, runs: int):
    """One live batch (cached per setting, so going back to a setting is instant)."""
    return ev.run_live(dict(fields), dict(policies), runs)


@st.cache_data(show_spinner=False, max_entries=256)
def live_figure(fields: tuple, policies: tuple, runs: int, which: str):
    """A figure or table of a live batch: drawn only when shown, then cached."""
    from kzsim.figures import designs as fd

    res = live_results(fields, policies, runs)
    if which in ("outcomes", "captured"):
        table, _ = ev.design_table(res, [0])
        return ev.outcome_cells(table) if which == "outcomes" else ev.capture_table(table)
    draw = {"alignment": lambda: fd.alignment_by_design(res),
            "simplex": lambda: fd.ternary_by_design(res),
            "why_mechanism": lambda: fd.why_stacked(res, "mechanism"),
            "why_actor": lambda: fd.why_stacked(res, "actor")}[which]
    return png(draw())


class Lazy(dict):
    """A mapping whose values are drawn on first access (so a hidden figure costs nothing)."""

    def __init__(self, keys, get):
        super().__init__({k: None for k in keys})
        self._get = get

    def __getitem__(self, key):
        if dict.__getitem__(self, key) is None:
            self[key] = self._get(key)
        return dict.__getitem__(self, key)


def live_mode() -> None:
    """Sliders for every design field, a policy per actor; a paired batch per change."""
    fields0, policies0 = defaults()
    st.sidebar.header("Sanctions design")
    fields = {}
    for name, low, high, step, doc in ev.design_fields():
        value = fields0[name]
        if step == 1.0:
            fields[name] = st.sidebar.slider(name, int(low), int(high), int(value), 1, help=doc,
                                             key=f"live_{name}")
        else:
            fields[name] = st.sidebar.slider(name, low, high, float(value), step, help=doc,
                                             key=f"live_{name}")
    st.sidebar.header("Each actor's policy")
    choices = ev.policy_choices()
    policies = {}
    for key, _, label in ev.ACTORS:
        options = choices[key]
        policies[key] = st.sidebar.selectbox(label, options, options.index(policies0[key]),
                                             key=f"live_policy_{key}")
    st.header("Live: the design on the left, paired replications")
    st.caption(f"{RUNS} paired replications of 120 months, each run against its own "
               "no-sanctions counterfactual and with its own posterior parameter set; a "
               "change of any setting re-runs the batch.")
    key = (tuple(sorted(fields.items())), tuple(sorted(policies.items())), RUNS)
    with st.spinner("Running ..."):
        live_results(*key)
    show_designs(Lazy(("alignment", "simplex", "outcomes", "captured", "why_mechanism",
                       "why_actor"), lambda which: live_figure(*key, which)), "live")


@st.cache_data(show_spinner="Drawing ...", max_entries=64)
def design_pngs(path: str, ids: tuple) -> dict:
    """The figures and tables of the chosen points of a stored folder (cached per choice)."""
    from kzsim.figures import designs as fd

    res = opened(path).results
    sub = ev.subset(res, ids)
    table, marks = ev.design_table(res, ids)
    out = {"captured": ev.capture_table(table), "outcomes": ev.outcome_cells(table)}
    if sub.bands is not None and len(sub.bands):
        out["alignment"] = png(fd.alignment_by_design(sub, list(ids)))
        out["simplex"] = png(fd.ternary_by_design(sub, list(ids)))
    if len(ids) >= 2:
        out["pareto"] = png(fd.pareto_scatter(table, marks, fd.results_note(res)))
    if sub.why is not None and len(sub.why):
        out["why_mechanism"] = png(fd.why_stacked(sub, "mechanism", list(ids)))
        out["why_actor"] = png(fd.why_stacked(sub, "actor", list(ids)))
    return out


def show_designs(out: dict, key: str) -> None:
    """Lay out :func:`design_pngs` or :func:`live_figures`: bands, simplex, Pareto, tables, why."""
    if "alignment" in out:
        st.image(out["alignment"], caption="Alignment over time (median, 50% and 90% bands)")
    if "simplex" in out:
        st.image(out["simplex"], caption="Median paths and final states on the simplex")
    if "pareto" in out:
        st.image(out["pareto"], caption="Trade-offs: pressure on Russia against welfare, "
                                        "Western alignment, balance")
    st.subheader("Capture probabilities (share of runs ending captured, 95% interval)")
    st.dataframe(out["captured"])
    st.subheader("Outcomes (mean or share of runs, 95% interval)")
    st.dataframe(out["outcomes"])
    if "why_mechanism" in out:
        by = st.radio("Why Western alignment moved, by", ("mechanism", "actor"),
                      horizontal=True, key=f"{key}_why")
        st.image(out[f"why_{by}"], caption=f"Cumulative contributions by {by}")


def designs_view(path: str, ids: list[int], labels: dict, key: str) -> None:
    """The chosen points of a stored folder."""
    if not ids:
        st.info("Choose at least one design or point.")
        return
    show_designs(design_pngs(path, tuple(sorted(ids))), key)
    st.caption("Points: " + "; ".join(f"{i}: {labels[i]}" for i in sorted(ids)))


def compare_mode(path: str) -> None:
    """A stored comparison: choose designs."""
    labels = ev.point_labels(opened(path).results)
    names = {v: k for k, v in labels.items()}
    chosen = st.multiselect("Designs", list(names), list(names), key="compare_designs")
    designs_view(path, [names[n] for n in chosen], labels, "compare")


@st.cache_data(show_spinner="Drawing ...", max_entries=64)
def capture_png(path: str, ids: tuple, lever: str) -> bytes:
    """Capture probability against ``lever`` over the points ``ids`` of a stored sweep."""
    from kzsim.figures import levers as fl

    return png(fl.capture_probability(ev.subset(opened(path).results, ids), lever))


def sweep_mode(path: str) -> None:
    """A stored sweep: filter by lever ranges, capture probability, chosen points."""
    res = opened(path).results
    st.sidebar.header("Filter the sweep by lever ranges")
    ranges = {}
    for lever, (low, high) in ev.lever_ranges(res).items():
        if low < high:
            ranges[lever] = st.sidebar.slider(lever_field(lever), low, high, (low, high),
                                              key=f"range_{lever}")
    ids = ev.filter_points(res, ranges)
    st.write(f"{len(ids)} of {len(res.points)} points inside the ranges.")
    if not ids:
        return
    sub = ev.subset(res, ids)
    levers = [lv for lv in ranges if sub.points[lv].nunique() > 1]
    if levers:
        lever = st.selectbox("Capture probability against", levers, format_func=lever_field,
                             key="capture_lever")
        st.image(capture_png(path, tuple(ids), lever),
                 caption="Share of runs ending captured by Russia, China or the West (95% CI)")
    labels = ev.point_labels(sub)
    mean_west = sub.runs.groupby("point_id")["final_align_west"].mean()
    default = list(dict.fromkeys([int(mean_west.idxmax()), int(mean_west.idxmin())]))
    picks = st.multiselect("Points to inspect", list(labels), default,
                           format_func=lambda i: f"{i}: {labels[i]}", key="sweep_points")
    designs_view(path, [int(p) for p in picks], ev.point_labels(res), "sweep")


def hindcast_mode(stored) -> None:
    """A stored hindcast: its figure and the chosen quantities' yearly values and bands."""
    st.image(stored.data("hindcast.png"),
             caption="Yearly quantities with their 5-95% range over replications, and the "
                     "observations")
    table = stored.csv("hindcast.csv")
    panels = ev.hindcast_panels(stored)
    start = [q for q in ("trade_usd_bn.RUS", "trade_usd_bn.CHN") if q in panels]
    quantities = st.multiselect("Quantities", panels, start, key="hindcast_q")
    rows = table[table["quantity"].isin(quantities)]
    st.dataframe(rows.assign(cell=rows.apply(
        lambda r: f"{r['value']:.3f} [{r['p05']:.3f}, {r['p95']:.3f}]", axis=1))
        .pivot(index="quantity", columns="year", values="cell"))


def main() -> None:
    """The page: stored results of ``FOLDER`` (with a Live button), or live mode alone."""
    st.set_page_config(page_title="kzsim explorer", layout="wide")
    st.title("kzsim explorer")
    if FOLDER is None:
        live_mode()
        return
    folder = opened(FOLDER)
    mode = st.sidebar.radio("Mode", (f"Stored {folder.kind}", "Live"), key="mode")
    if mode == "Live":
        live_mode()
        return
    st.header(f"Stored {folder.kind}: {folder.path}")
    {"compare": lambda: compare_mode(FOLDER),
     "sweep": lambda: sweep_mode(FOLDER),
     "hindcast": lambda: hindcast_mode(folder.stored)}[folder.kind]()


if __name__ == "__main__":      # streamlit run executes the script as __main__
    main()
