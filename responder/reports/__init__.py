"""KPIs and exports: read-only, set-based queries that return plain dicts."""
