"""Load and capacity benchmarks (`make bench`); never part of `make test`."""
