"""Run one chunk of a sweep through the batch axis: some points x all their replications."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd

from sim.config import SimConfig
from sim.model import KazakhstanModel
from sim.outcomes import OutcomeAccumulator
from sim.sweep.bands import BandCollector
from sim.sweep.settings import is_lever, lever_path
from sim.sweep.why import WhyCollector


def with_levers(config: SimConfig, values: dict[str, np.ndarray]):
    """The config's design and params with swept fields replaced by per-run arrays.

    ``values`` is keyed by lever, as stored (``sanctions__intensity``) or dotted
    (``params.M4.tolerance``).
    """
    design, params = config.sanctions, config.params
    for name, arr in values.items():
        root, *path = lever_path(name)
        if root == "sanctions":
            design = dataclasses.replace(design, **{path[0]: arr})
        else:
            params = _replace_path(params, path, arr)
    return design, params


def _replace_path(obj, path, value):
    if len(path) == 1:
        return dataclasses.replace(obj, **{path[0]: value})
    child = getattr(obj, path[0])
    return dataclasses.replace(obj, **{path[0]: _replace_path(child, path[1:], value)})


@dataclasses.dataclass
class ChunkOutput:
    """What one chunk produces: runs always, bands and why when asked for."""

    runs: pd.DataFrame
    bands: pd.DataFrame | None = None
    why: pd.DataFrame | None = None


def run_chunk(config: SimConfig, points: pd.DataFrame, rep_seeds: np.ndarray, turns: int,
              band_every: int | None, rep_levers: pd.DataFrame | None = None,
              why: bool = False) -> ChunkOutput:
    """Simulate ``points`` x replications in one batched model.

    Runs are point-major: run ``i * R + r`` is replication ``r`` of the i-th point, with seed
    ``rep_seeds[r]`` and, if given, the lever values of row ``r`` of ``rep_levers`` (e.g. an
    uncertainty sample), so replication ``r`` is paired across points. Lever columns are named
    as stored (``sanctions__intensity``; see :func:`sim.sweep.settings.column_name`); other
    columns (e.g. ``uncertainty_sample``) are labels: stored with each run, not applied.
    With a posterior ensemble attached to ``config`` each run draws its other parameters by
    its seed (so replication ``r`` has the same set at every point) and the table records
    its ``posterior_particle``; the levers win over the ensemble.
    """
    reps, k = len(rep_seeds), len(points)
    seeds = np.tile(rep_seeds, k)
    values = {name: np.repeat(points[name].to_numpy(), reps) for name in points.columns}
    if rep_levers is not None:
        values.update({name: np.tile(rep_levers[name].to_numpy(), k) for name in rep_levers})
    design, params = with_levers(config, {n: v for n, v in values.items() if is_lever(n)})
    model = KazakhstanModel(config, seeds, design=design, params=params)
    try:
        acc = OutcomeAccumulator(model.state)
        model.observers.append(acc)
        bands = BandCollector(model.state, turns, band_every) if band_every else None
        whys = WhyCollector(k, reps, turns) if why else None
        model.observers += [o for o in (bands, whys) if o is not None]
        model.run_turns(turns)
    finally:
        model.release()
    point_ids = points.index.to_numpy()
    particle = ({} if model.posterior_particle is None
                else {"posterior_particle": model.posterior_particle.astype(np.int32)})
    runs = pd.DataFrame({
        "point_id": np.repeat(point_ids, reps),
        "replication": np.tile(np.arange(reps, dtype=np.int32), k),
        "seed": seeds,
        **values,
        **particle,
        **acc.table(),
    })
    return ChunkOutput(runs,
                       bands.table(point_ids, reps) if bands is not None else None,
                       whys.table(point_ids) if whys is not None else None)
