"""The bench's CPU sampler counts the CPU a process spends, not the time it waits."""

import subprocess
import sys
import time

import psutil  # type: ignore[import-untyped]

from tests.perf import cpu

BURN = """
import sys, time
print("ready", flush=True)
sys.stdin.readline()
start = time.process_time()
while time.process_time() - start < 0.3:
    pass
time.sleep(0.3)  # waiting costs no CPU
print("done", flush=True)
sys.stdin.readline()
"""


def test_the_sampler_measures_cpu_spent_in_its_window():
    child = subprocess.Popen(
        [sys.executable, "-c", BURN], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert child.stdout.readline().strip() == "ready"
        process = psutil.Process(child.pid)
        # No database: the gunicorn stand-in has no connection to one, so none is asked.
        sampler = cpu.CpuSampler(lambda: [process], "postgres://nobody@127.0.0.1:1/x", 0.05)
        with sampler:
            started = time.monotonic()
            child.stdin.write("go\n")
            child.stdin.flush()
            assert child.stdout.readline().strip() == "done"
            stopped = time.monotonic()
        found = sampler.window(started, stopped)
    finally:
        child.kill()
        child.wait()
    assert 0.25 <= found["server_cpu_seconds"] <= 0.5
    assert found["cpu_window_seconds"] >= 0.55
    assert found["postgres_cpu_seconds"] is None


def test_cpu_per_request_is_the_cpu_rate_over_the_request_rate():
    # 3 CPU-seconds over 10 s while serving 150 req/s: 2 ms of CPU per request.
    assert cpu.per_request_ms(3.0, 10.0, 150.0) == 2.0
    assert cpu.per_request_ms(None, 10.0, 150.0) is None
    assert cpu.per_request_ms(3.0, 10.0, 0) is None


def test_a_process_born_in_the_window_counts_whole_and_a_gone_one_up_to_its_last_sighting():
    # Process 2 is a database connection closed mid-scenario (CONN_MAX_AGE), 3 its successor.
    first = {1: 5.0, 2: 1.0}
    middle = {1: 5.5, 2: 1.75}
    last = {1: 6.5, 3: 0.25}
    assert cpu.spent([first, middle, last]) == 1.5 + 0.75 + 0.25
