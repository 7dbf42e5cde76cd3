"""Inference for kzsim: batched ABC-SMC, the posterior artefact and the posterior ensemble.

:mod:`sim.inference.abc` and :mod:`sim.inference.abc_mcmc` sample (priors in
:mod:`sim.inference.prior`, distances and summaries in :mod:`sim.inference.summaries`, the
result in :mod:`sim.inference.posterior`), :mod:`sim.inference.posterior_store` saves and loads, and
:mod:`sim.inference.ensemble` draws each run's parameter set by its seed, which makes a
posterior the default parameter source of ``run``, ``sweep``, ``compare`` and ``hindcast``
(issue 12, item 4). Plain NumPy; no Hydra, no plotting.
"""
