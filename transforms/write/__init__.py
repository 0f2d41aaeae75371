"""Write stage: dataset, lineage and dead letters as deterministic Parquet shards."""
