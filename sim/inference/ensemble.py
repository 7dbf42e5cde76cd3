"""The posterior ensemble: each replication's parameter set, drawn from its run seed alone.

Issue 12, item 4: a posterior ensemble (``sim.inference.posterior_store``) is the default
parameter source of ``run``, ``compare``, ``sweep`` and ``hindcast``; each replication draws a
parameter set, paired across designs, and ``ensemble=point`` keeps the configuration's point
values.

**The draw.** Run ``i`` with seed ``s_i`` takes particle ``searchsorted(cumsum(w) / sum(w), u_i,
side="right")`` with ``u_i`` the first uniform of the counter-based stream ``ensemble/posterior``
of :mod:`sim.streams` (a pure function of the seed, independent of the model's actor and world
streams): the inverse CDF of the weights, so particles are drawn in proportion to their
weights and a zero-weight particle never. A run's parameter set therefore depends on its seed
only, not on the batch, the chunking, the worker or a resume; the same replication (same
seed) has the same parameter set under every design, so comparisons stay paired.

**Names.** ``params.<group>.<field>`` replaces a structural parameter (a per-run array, applied
once by :class:`sim.model.KazakhstanModel`, whose paired counterfactual inherits it);
``observation.<field>`` is a field of :class:`sim.observation.VoteObservationParams`, used per
run by the hindcast's UN-vote observation model. Any other name is refused.

Plain NumPy: the edge (``kzsim``) reads the artefact and hands an :class:`Ensemble` in; nothing
here reads a file.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from sim.errors import ConfigError
from sim.streams import Stream, as_seed_array

STREAM = "ensemble/posterior"
"""The stream whose first uniform picks a run's particle (apart from every model stream)."""
ROOTS = ("params", "observation")
POINT = {"ensemble": "point"}
"""The manifest record of a configuration that uses its point values."""


@dataclass(frozen=True, eq=False)
class Ensemble:
    """Weighted parameter sets of a posterior and where they come from.

    Attributes:
        source: the ``posterior=`` the user named (a shipped name or a folder).
        names: dotted parameter names (``params.M22.trade_elasticity``, ``observation.slope``).
        particles: ``(n, k)`` parameter sets, columns in ``names`` order.
        weights: ``(n,)`` non-negative weights (normalised here).
        fit_date, data_sha256, particles_sha256: the artefact's identity.

    """

    source: str
    names: tuple[str, ...]
    particles: np.ndarray
    weights: np.ndarray
    fit_date: str
    data_sha256: str
    particles_sha256: str

    def __post_init__(self) -> None:
        particles = np.asarray(self.particles, dtype=float)
        weights = np.asarray(self.weights, dtype=float)
        if particles.ndim != 2 or particles.shape[1] != len(self.names) or not len(weights) \
                or particles.shape[0] != len(weights):
            raise ConfigError(f"posterior {self.source!r}: particles do not match its "
                              f"{len(self.names)} parameter names and {len(weights)} weights")
        if not (np.isfinite(weights).all() and (weights >= 0).all() and weights.sum() > 0):
            raise ConfigError(f"posterior {self.source!r} holds invalid weights")
        if not np.isfinite(particles).all():
            raise ConfigError(f"posterior {self.source!r} holds non-finite parameter values")
        bad = [n for n in self.names if n.split(".")[0] not in ROOTS or n.count(".") < 1]
        if bad:
            raise ConfigError(f"posterior {self.source!r}: cannot map parameter {bad[0]!r}; the "
                              "ensemble varies params.* and observation.* fields only")
        particles.setflags(write=False)
        weights = weights / weights.sum()
        weights.setflags(write=False)
        object.__setattr__(self, "particles", particles)
        object.__setattr__(self, "weights", weights)
        object.__setattr__(self, "names", tuple(self.names))

    @classmethod
    def from_posterior(cls, post, source: str) -> Ensemble:
        """From a loaded :class:`~sim.inference.posterior.Posterior` and its artefact metadata."""
        meta = post.metadata or {}
        return cls(source=str(source), names=tuple(post.names), particles=post.particles,
                   weights=post.weights, fit_date=str(meta.get("fit_date", "")),
                   data_sha256=str(meta.get("data_version", {}).get("sha256", "")),
                   particles_sha256=str(meta.get("particles", {}).get("sha256", "")))

    # -- identity ---------------------------------------------------------------------------
    def identity(self) -> dict:
        """What the manifests record: the switch, the artefact and the names applied."""
        return {"ensemble": "posterior", "posterior": self.source, "fit_date": self.fit_date,
                "data_sha256": self.data_sha256, "particles_sha256": self.particles_sha256,
                "particles": int(len(self.weights)), "parameters": list(self.names)}

    def without(self, names: Iterable[str]) -> Ensemble:
        """The same draws with some parameters left out (the caller fixes them)."""
        drop = set(names)
        keep = [j for j, n in enumerate(self.names) if n not in drop]
        return dataclasses.replace(self, names=tuple(self.names[j] for j in keep),
                                   particles=self.particles[:, keep])

    @property
    def params_names(self) -> tuple[str, ...]:
        """The ``params.*`` names (applied to the model)."""
        return tuple(n for n in self.names if n.startswith("params."))

    @property
    def observation_names(self) -> tuple[str, ...]:
        """The ``observation.*`` names (applied to the UN-vote observation model)."""
        return tuple(n for n in self.names if n.startswith("observation."))

    # -- the draw -----------------------------------------------------------------------------
    def indices(self, seeds) -> np.ndarray:
        """The particle of each run, from its seed alone (inverse CDF of the weights)."""
        u = Stream(as_seed_array(seeds), STREAM).uniform(0, 0)
        cdf = np.cumsum(self.weights)
        cdf /= cdf[-1]
        idx = np.searchsorted(cdf, u, side="right")
        return np.minimum(idx, len(cdf) - 1).astype(np.int64)

    def values(self, seeds, names: Iterable[str] | None = None) -> dict[str, np.ndarray]:
        """``{name: (runs,) array}`` of each run's parameter set (all names by default)."""
        idx = self.indices(seeds)
        wanted = self.names if names is None else tuple(names)
        return {n: self.particles[idx, self.names.index(n)].copy() for n in wanted}

    # -- applying -------------------------------------------------------------------------------
    def check(self, params) -> None:
        """Refuse names that map onto nothing.

        Every ``params.*`` name must be a numeric field of ``params``, every
        ``observation.*`` name a field of the observation parameters.
        """
        from sim.observation import VoteObservationParams

        fields = {f.name for f in dataclasses.fields(VoteObservationParams)}
        for name in self.names:
            root, *path = name.split(".")
            if root == "observation":
                if len(path) != 1 or path[0] not in fields:
                    raise ConfigError(f"posterior {self.source!r}: cannot map parameter "
                                      f"{name!r}; observation fields: {', '.join(sorted(fields))}")
                continue
            node = params
            for i, part in enumerate(path):
                if not dataclasses.is_dataclass(node) or not hasattr(node, part):
                    where = ".".join(["params", *path[:i]])
                    raise ConfigError(f"posterior {self.source!r}: cannot map parameter "
                                      f"{name!r}; {where} has no field '{part}'")
                node = getattr(node, part)
            if dataclasses.is_dataclass(node) or isinstance(node, bool) \
                    or not isinstance(node, (int, float, np.ndarray)):
                raise ConfigError(f"posterior {self.source!r}: cannot map parameter {name!r}; "
                                  "it is not a numeric field")

    def apply(self, params, seeds) -> tuple[object, np.ndarray]:
        """``params`` with each ``params.*`` name replaced by the runs' per-run values.

        A field the caller already holds as a per-run array (a sweep lever, a
        ``compare.uncertainty`` draw) is kept: explicit values win. Returns the parameters
        and each run's particle index.
        """
        seeds = as_seed_array(seeds)
        idx = self.indices(seeds)
        n = len(seeds)
        for name in self.params_names:
            path = name.split(".")[1:]
            current = _get(params, path)
            if isinstance(current, np.ndarray) and current.ndim == 1 and current.shape[0] == n:
                continue
            params = _replace(params, path, self.particles[idx, self.names.index(name)])
        return params, idx

    def observation_params(self, seeds, base=None):
        """The UN-vote observation parameters with each run's ``observation.*`` values."""
        from sim.observation import VoteObservationParams

        base = VoteObservationParams() if base is None else base
        values = self.values(seeds, self.observation_names)
        return dataclasses.replace(base, **{n.split(".", 1)[1]: v for n, v in values.items()})


def _get(obj, path):
    for part in path:
        obj = getattr(obj, part)
    return obj


def _replace(obj, path, value):
    if len(path) == 1:
        return dataclasses.replace(obj, **{path[0]: value})
    child = getattr(obj, path[0])
    return dataclasses.replace(obj, **{path[0]: _replace(child, path[1:], value)})


def identity_of(config) -> dict:
    """The manifest record of a configuration's parameter source."""
    data = getattr(config, "ensemble_data", None)
    return data.identity() if data is not None else dict(POINT)


__all__ = ["POINT", "STREAM", "Ensemble", "identity_of"]
