"""Performance benchmarks of Regionet, run by hand (never part of the test suite); results in
bench/RESULTS.md."""
