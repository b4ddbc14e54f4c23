"""A small, believable host MIS that mounts the Privacy tab: the demo and the tests' host."""
