"""The whole benchmark as one pytest test, for `pytest tests/perf -m bench`.

`make bench` runs tests/perf/run_bench.py directly (same code, plainer output)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.bench


def test_bench_meets_targets_and_loses_nothing():
    runner = Path(__file__).with_name("run_bench.py")
    # As `make bench`: ends with the two-instance section unless BENCH_INSTANCES says otherwise.
    env = {**os.environ, "BENCH_INSTANCES": os.environ.get("BENCH_INSTANCES", "2")}
    result = subprocess.run([sys.executable, str(runner)], check=False, env=env)
    assert result.returncode == 0, "see tests/perf/results/latest.md"
