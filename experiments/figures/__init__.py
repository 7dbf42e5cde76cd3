"""Figures drawn from a results folder only (never by re-simulating)."""
