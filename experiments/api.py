"""Multi-design work from Python: :func:`sweep` and :func:`compare` return :class:`Results`.

Both take the command line's overrides and run through the commands' own code (the sweep
runner, :func:`sim.comparison.run_compare`), so a sweep or comparison made here holds exactly
the rows of ``kzsim sweep`` or ``kzsim compare`` with the same overrides::

    import kzsim
    res = kzsim.sweep(["experiment=sanctions_lhs", "sweep.samples=200", "sweep.replications=5"])
    res.runs.groupby("point_id")["final_align_west"].mean()
    cmp = kzsim.compare(["status_quo_2022", "calibrated"], ["compare.replications=20"])

Both use the posterior ensemble unless the overrides say ``ensemble=point`` (each replication
draws its parameter set by its seed, paired across points and designs; issue 12, item 4).

Without ``out`` the results are held in memory only: the runs go through a temporary folder
that is deleted before the function returns, and the :class:`Results` keep no reference to
it (``path`` is None). With ``out`` the folder is claimed, written, resumed and refused
exactly as the command would (``kzsim report <out>`` then works on it).
"""

from __future__ import annotations

import copy
import dataclasses
import shutil
import tempfile
from collections.abc import Mapping, Sequence
from concurrent.futures import Executor
from pathlib import Path

from sim.errors import ConfigError
from sim.results import Results, load_results


def _mapping(overrides: Sequence[str] | Mapping | None, expand=None) -> dict:
    """Compose override strings, or copy an already composed mapping."""
    from kzsim.configuration import compose_mapping

    if overrides is None:
        overrides = []
    if isinstance(overrides, Mapping):
        return copy.deepcopy(dict(overrides))
    if isinstance(overrides, str) or not all(isinstance(o, str) for o in overrides):
        raise ConfigError("overrides must be a list of key=value strings, e.g. "
                          "['experiment=sanctions_lhs', 'sweep.samples=100'], or a composed "
                          "mapping")
    overrides = list(overrides)
    return compose_mapping(expand(overrides) if expand else overrides)


def _listed(overrides) -> list[str] | None:
    """The override strings, if given as such (a composed mapping carries none)."""
    return None if overrides is None or isinstance(overrides, Mapping) else list(overrides)


def _in_memory(run, out: str | Path | None) -> Results:
    """Run into ``out`` and load it; without ``out``, through a deleted temporary folder."""
    if out is not None:
        run(Path(out))
        return load_results(out)
    scratch = Path(tempfile.mkdtemp(prefix="kzsim-"))
    try:
        run(scratch / "results")
        res = load_results(scratch / "results")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return dataclasses.replace(res, path=None)


def sweep(overrides: Sequence[str] | Mapping | None = None, out: str | Path | None = None,
          executor: Executor | None = None, *, quiet: bool | None = None) -> Results:
    """Run a sweep (``kzsim sweep``) and return its :class:`Results`.

    Args:
        overrides: the command line's overrides, e.g. ``["experiment=sanctions_lhs",
            "sweep.samples=100"]``, or a mapping composed from them
            (:func:`kzsim.configuration.compose_mapping`, possibly edited).
        out: a results folder to write (and resume); None keeps the results in memory only.
        executor: any :class:`concurrent.futures.Executor` (Dask's ``client.get_executor()``,
            ``MPIPoolExecutor``, ...) to run the chunks; its workers write the chunks, so with
            workers on other machines give an ``out`` on a shared file system.
        quiet: no progress bar (default: the configuration's ``quiet``).

    Raises:
        ConfigError: bad overrides or settings, named as the command line names them.

    """
    from kzsim.ensemble import load_ensemble
    from kzsim.sweep_command import prepare
    from sim.sweep import run_sweep

    model, settings, _ = prepare(_mapping(overrides))
    quiet = bool(model.get("quiet", False)) if quiet is None else quiet
    ensemble = load_ensemble(model, _listed(overrides), quiet)
    return _in_memory(lambda folder: run_sweep(model, settings, folder, quiet=quiet,
                                               executor=executor, ensemble=ensemble), out)


def compare(designs: Sequence[str | Mapping] | None = None,
            overrides: Sequence[str] | Mapping | None = None, out: str | Path | None = None,
            executor: Executor | None = None, *, reference: str | None = None,
            quiet: bool | None = None) -> Results:
    """Run a paired comparison of sanctions designs (``kzsim compare``); return its Results.

    Args:
        designs: design names (``"calibrated"``) or mappings of fields on top of the
            configured design (``{"name": "tough", "intensity": 1.0}``); None: the configured
            ``compare.designs`` (the seven named designs).
        overrides: the command line's overrides (``["compare.replications=20", "turns=60"]``)
            or a composed mapping.
        out: a results folder to write (and resume); None keeps the results in memory only.
        executor: any :class:`concurrent.futures.Executor` to run the chunks (see :func:`sweep`).
        reference: the design differences are taken against (default ``compare.reference``;
            the first design when that default is not among ``designs``, as on the command
            line). It is stored in ``manifest["compare"]["reference"]``.
        quiet: no progress bar (default: the configuration's ``quiet``).

    The paired comparison table is
    ``sim.analysis.compare.comparison_table(res.runs.rename(columns={"replication": "pair"}),
    res.manifest["compare"]["reference"])``.

    Raises:
        ConfigError: bad overrides, designs or settings, named as the command line names them.

    """
    from kzsim.compare_command import _expand, _names_reference, designs_of
    from kzsim.configuration import split
    from kzsim.ensemble import load_ensemble
    from sim.analysis.compare import comparison_table, pareto_marks
    from sim.comparison import CompareSettings, choose_reference, run_compare
    from sim.config import from_mapping
    from sim.schema import build

    mapping = _mapping(overrides, _expand)
    explicit = reference is not None or (not isinstance(overrides, Mapping)
                                         and _names_reference(_expand(list(overrides or []))))
    if designs is not None:
        if isinstance(designs, (str, Mapping)):
            raise ConfigError("designs must be a list, e.g. ['status_quo_2022', 'calibrated']")
        mapping.setdefault("compare", {})["designs"] = copy.deepcopy(list(designs))
    if reference is not None:
        mapping.setdefault("compare", {})["reference"] = reference
    model, edge = split(mapping)
    cfg = from_mapping(model)
    settings = build(CompareSettings, edge.get("compare", {}), "compare")
    settings.check_resources(cfg.turns)
    chosen = designs_of(settings.designs, model["sanctions"], settings.frontier)
    ref = choose_reference([n for n, _ in chosen], settings.reference, explicit)
    if ref != settings.reference:
        settings = dataclasses.replace(settings, reference=ref)
    quiet = bool(model.get("quiet", False)) if quiet is None else quiet
    ensemble = load_ensemble(model, _listed(overrides), quiet)

    def tables(folder) -> None:  # the command's derived files, for a folder the user keeps
        runs = load_results(folder.out).runs.rename(columns={"replication": "pair"})
        table = comparison_table(runs, settings.reference)
        folder.write_frame("comparison.parquet", table)
        folder.write_text("comparison.csv", table.to_csv(index=False))
        folder.write_text("pareto.csv", pareto_marks(table).to_csv())

    def run(folder: Path) -> None:
        run_compare(model, chosen, settings, folder, quiet=quiet,
                    after=tables if out is not None else None, executor=executor,
                    ensemble=ensemble)

    return _in_memory(run, out)


__all__ = ["compare", "sweep"]
