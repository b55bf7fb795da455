"""Run one locust scenario headless, as a library, and write its numbers as JSON.

    python tests/perf/drive.py SCENARIO.json RESULT.json

Users sign in first (not measured); the clock starts when every user is ready, runs for
the scenario's duration, then new requests stop and in-flight ones are waited for, so an
accepted comment is never cut off between the server's commit and the client's record."""

import json
import os
import sys
import time
from pathlib import Path

from gevent import monkey

monkey.patch_all()

import gevent  # noqa: E402
from locust.env import Environment  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
import locustfile  # noqa: E402

READY_TIMEOUT = float(os.environ.get("BENCH_READY_TIMEOUT", "900"))


def _window_rates(stamps: list[float], start: float, end: float, width: float = 5.0) -> float:
    """The lowest rate over consecutive `width`-second windows (sustained, not just average)."""
    if end - start < width:
        return len(stamps) / max(end - start, 1e-9)
    rates = []
    edge = start
    while edge + width <= end + 1e-9:
        rates.append(sum(1 for s in stamps if edge <= s < edge + width) / width)
        edge += width
    return min(rates) if rates else 0.0


def main(scenario_path: str, result_path: str) -> None:
    config = json.loads(Path(scenario_path).read_text())
    state = locustfile.STATE
    state.load(config)
    user_class = locustfile.USER_CLASSES[config["kind"]]
    env = Environment(user_classes=[user_class], host=config["host"])
    runner = env.create_local_runner()
    # An exception in a task is a failure of the bench or the portal: never silent.
    env.events.user_error.add_listener(
        lambda user_instance, exception, tb, **_kw: state.record(
            "error", f"exception: {type(exception).__name__}: {exception}"
        )
    )
    users = int(config["users"])
    runner.start(users, spawn_rate=min(users, 50))
    waited = time.monotonic()
    while state.ready < users and time.monotonic() - waited < READY_TIMEOUT:
        gevent.sleep(0.2)
    setup_seconds = time.monotonic() - waited
    env.stats.reset_all()
    started = time.monotonic()
    cpu_started = os.times()
    state.go.set()
    gevent.sleep(float(config["duration"]))
    state.stopping = True
    stopped = time.monotonic()
    cpu_stopped = os.times()
    while state.inflight > 0 and time.monotonic() - stopped < 60:
        gevent.sleep(0.05)
    ended = time.monotonic()
    runner.quit()

    total = env.stats.total
    measured = stopped - started
    # The load tool's own CPU while the clock ran (sign-ins and imports left out): locust
    # is one process; its children, if any, counted too.
    load_cpu = sum(cpu_stopped[i] - cpu_started[i] for i in range(4))
    result = {
        "name": config["name"],
        "kind": config["kind"],
        "driver": "locust",
        "users": users,
        "users_ready": state.ready,
        "setup_seconds": round(setup_seconds, 1),
        "duration": round(measured, 2),
        "drain_seconds": round(ended - stopped, 2),
        "requests": total.num_requests,
        "rps": round(total.num_requests / measured, 1) if measured else 0,
        "median_ms": total.get_response_time_percentile(0.5) if total.num_requests else None,
        "p95_ms": total.get_response_time_percentile(0.95) if total.num_requests else None,
        "max_ms": round(total.max_response_time or 0),
        "outcomes": dict(state.outcomes),
        "errors": dict(state.errors),
        "error_samples": state.error_samples,
        "login_failures": dict(state.login_failures),
        "by_name": {
            name: {"requests": e.num_requests, "failures": e.num_failures}
            for (name, _method), e in env.stats.entries.items()
        },
        "load_cpu_seconds": round(load_cpu, 3),
        "load_cpu_percent": round(100 * load_cpu / measured, 1) if measured else None,
        # time.monotonic() is the system's monotonic clock: the runner's CPU sampler
        # (cpu.py) reads the server's CPU over the same window.
        "clock_started": started,
        "clock_stopped": stopped,
    }
    if config["kind"] in ("flood", "overload"):
        result["accepted"] = len(state.accepted)
        result["accepted_per_s"] = round(len(state.accepted) / measured, 1) if measured else 0
        result["accepted_per_s_worst_5s"] = round(
            _window_rates(state.accepted_at, started, stopped), 1
        )
        Path(config["accepted_file"]).write_text(
            json.dumps({"run_id": config["run_id"], "accepted": state.accepted})
        )
    Path(result_path).write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
