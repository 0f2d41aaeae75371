"""Audit stage: exact counts computed as pipeline data, reconciled, written last."""
