"""The whole benchmark as one pytest test, for `pytest tests/perf -m bench`.

`make bench` runs tests/perf/run_bench.py directly (same code, plainer output)."""

import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.bench


def test_bench_meets_targets_and_loses_nothing():
    runner = Path(__file__).with_name("run_bench.py")
    result = subprocess.run([sys.executable, str(runner)], check=False)
    assert result.returncode == 0, "see tests/perf/results/latest.md"
