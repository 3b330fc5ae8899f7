"""Storage: the DuckDB store and the exports."""
