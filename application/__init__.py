"""Use cases of stratlog: the eventsourcing Application (commands) and the queries over the read model."""
