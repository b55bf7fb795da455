"""Unit tests of the load benchmark harness (tests/perf), part of make test."""
