"""The benchmark suite: a deterministic history generator and the measurements behind BENCHMARKS.md."""
