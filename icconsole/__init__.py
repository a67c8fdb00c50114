"""IC Console: a terminal cockpit for the Incident Commander, and the post-mortem after."""
