"""The search loop: NSGA-II (pymoo) asking for a generation, the caller evaluating it as a batch.

Deb, Pratap, Agarwal & Meyarivan (2002), "A fast and elitist multiobjective genetic algorithm:
NSGA-II", *IEEE Transactions on Evolutionary Computation* 6(2): 182-197, as implemented by
pymoo (Blank & Deb 2020, *IEEE Access* 8: 89497-89509), driven through its ask-and-tell
interface: each generation's designs come out as one array, the caller evaluates them all at
once (one batched model run through the runner) and tells the results back.

**Resume.** The algorithm draws from its own generator (seeded; no global state), so given the
same seed and the same evaluations it asks for the same designs. A resumed search replays the
stored generations (it asks, checks that the designs asked for are those stored, and tells the
stored values without running them) and goes on from the first missing one; it ends equal to
an uninterrupted search. Nothing is unpickled from the results folder.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from sim.errors import ConfigError


@dataclass(frozen=True)
class Generation:
    """One generation's designs and their values (objectives and constraints, to minimise)."""

    index: int
    X: np.ndarray          # (n, levers) in lever units
    F: np.ndarray          # (n, objectives)
    G: np.ndarray          # (n, constraints); <= 0 is feasible


def search(evaluate: Callable[[np.ndarray], tuple[np.ndarray, np.ndarray]],
           lower: Sequence[float], upper: Sequence[float], n_objectives: int,
           n_constraints: int, population: int, generations: int, seed: int,
           stored: Sequence[Generation] = (),
           on_generation: Callable[[Generation], None] | None = None) -> list[Generation]:
    """Run NSGA-II for ``generations`` generations; return every generation evaluated.

    ``evaluate(X) -> (F, G)`` for a whole generation. ``stored`` generations (from an earlier,
    interrupted run with the same settings) are replayed, not evaluated; each newly evaluated
    one is passed to ``on_generation`` (to be stored) before the next is asked for.

    Raises:
        ConfigError: a stored generation is not what this search asks for (another seed or
            settings, or a damaged file).

    """
    from pymoo.algorithms.moo.nsga2 import NSGA2
    from pymoo.core.evaluator import Evaluator
    from pymoo.core.problem import Problem
    from pymoo.problems.static import StaticProblem

    lower, upper = np.asarray(lower, float), np.asarray(upper, float)
    problem = Problem(n_var=len(lower), n_obj=n_objectives, n_ieq_constr=n_constraints,
                      xl=lower, xu=upper)
    algorithm = NSGA2(pop_size=population, eliminate_duplicates=True)
    algorithm.setup(problem, termination=("n_gen", generations), seed=seed, verbose=False)
    done: list[Generation] = []
    while algorithm.has_next():
        pop = algorithm.ask()
        X = np.asarray(pop.get("X"), float)
        g = len(done)
        if g < len(stored):
            previous = stored[g]
            if previous.X.shape != X.shape or not np.array_equal(previous.X, X):
                raise ConfigError(f"stored generation {g} is not the one this search asks for; "
                                  "the folder was written with other settings or is damaged: "
                                  "start over with optimize.fresh=true")
            F, G = previous.F, previous.G
        else:
            F, G = evaluate(X)
        F = np.asarray(F, float).reshape(len(X), n_objectives)
        G = np.asarray(G, float).reshape(len(X), n_constraints)
        static = StaticProblem(problem, F=F, G=G) if n_constraints else StaticProblem(problem,
                                                                                       F=F)
        Evaluator().eval(static, pop)
        algorithm.tell(infills=pop)
        generation = Generation(g, X, F, G)
        done.append(generation)
        if g >= len(stored) and on_generation is not None:
            on_generation(generation)
    return done


def non_dominated(F: np.ndarray, G: np.ndarray | None = None) -> np.ndarray:
    """Boolean mask of the feasible designs no other feasible design dominates (minimising)."""
    F = np.asarray(F, float)
    feasible = np.ones(len(F), bool) if G is None or G.size == 0 else (G <= 0).all(axis=1)
    out = np.zeros(len(F), bool)
    idx = np.flatnonzero(feasible)
    for i in idx:
        others = F[idx]
        dominated = ((others <= F[i]).all(axis=1) & (others < F[i]).any(axis=1)).any()
        out[i] = not dominated
    return out


__all__ = ["Generation", "non_dominated", "search"]
