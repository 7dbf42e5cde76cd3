"""Inference for kzsim: batched ABC-SMC and the posterior artefact.

:mod:`sim.inference.abc` samples, :mod:`sim.inference.posterior_store` saves and loads. Plain
NumPy; no Hydra, no plotting. Built for issue 12 and not yet wired into ``kzsim run``,
``compare`` or ``hindcast``.
"""
