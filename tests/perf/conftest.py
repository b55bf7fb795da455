"""Benchmarks only run when asked for: `pytest tests/perf -m bench` or BENCH=1.

The regular suite (`make test`, testpaths = tests/) collects this folder but every test here
is marked `bench` and skipped unless selected, so the suite does not get slower; collection
imports nothing heavy (locust and psutil are imported inside the runner only)."""

import os

import pytest


def pytest_collection_modifyitems(config, items):
    wanted = "bench" in (config.getoption("markexpr", "") or "") or os.environ.get("BENCH") == "1"
    if wanted:
        return
    skip = pytest.mark.skip(reason="benchmark: run with `make bench` or `pytest -m bench`")
    for item in items:
        if item.get_closest_marker("bench"):
            item.add_marker(skip)
