"""Hydra configuration files shipped with kzsim (a package so Hydra can find them installed)."""
