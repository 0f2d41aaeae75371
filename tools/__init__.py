"""Tools around the pipeline, not part of it: the seeded sample-data generator
(used by `make run`, the tests and the benchmark)."""
