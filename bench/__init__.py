"""Benchmark of the eligibility pipeline against the PII-detection baselines (`make bench`)."""
