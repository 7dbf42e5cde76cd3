"""Analysis of stored results: intervals, paired differences, Pareto fronts (no plotting)."""
