"""The pure model of stratlog: statements, aggregates, rules and the fold. No I/O here."""
