"""Jobs: the loops that run the stages over many inputs (ingest, batch runs, stories)."""
