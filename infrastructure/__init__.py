"""Persistence and file formats: SQLite/PostgreSQL wiring, the mapper, the read model, import/export."""
