"""Design search (issue 14): robust objectives, NSGA-II over the design fields, its evaluation."""
