"""Read stage: input files to typed records, invalid input to dead letters."""
