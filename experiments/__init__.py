"""The edge of kzsim: Hydra configuration, the ``kzsim`` command, plots and experiments."""
