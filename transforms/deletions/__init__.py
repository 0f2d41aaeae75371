"""Deletion propagation stage: deletion requests joined, by subject, to the
lineage of earlier runs, giving the records each run folder must lose."""
