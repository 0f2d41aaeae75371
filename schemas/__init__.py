"""Record shapes, reason codes and Parquet schemas: the single source of every
shape that crosses a stage boundary in the eligibility pipeline."""
