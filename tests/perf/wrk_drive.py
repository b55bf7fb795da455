"""Drive a read scenario with wrk instead of locust, and give the result locust's shape.

Why: locust (Python, one core) spends several times the CPU per request of the portal's
own fastest answers, so on the 2-core bench machine it took a core from the server and
capped what a read scenario could show (README "Lighter client"). wrk is C with a LuaJIT
hook per request: the same 20 connections for a small fraction of that CPU.

    wrk -c USERS -t 2 -d DURATIONs --timeout 10s -s wrk_read.lua HOST

wrk_read.lua walks a file of URLs (one per line), each connection from its own place, sets
X-Forwarded-For per connection, sorts the answers like locustfile.classify and prints one
line `WRK_RESULT {json}` from done(); `parse()` turns that into the dict drive.py writes.
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import subprocess
import time
from pathlib import Path

PERF_DIR = Path(__file__).resolve().parent
SCRIPT = PERF_DIR / "wrk_read.lua"
THREADS = 2
MARK = "WRK_RESULT "


def find_wrk(install: bool = True) -> tuple[str | None, str]:
    """The wrk binary, installing the Debian package when missing and we are root.
    Returns (path or None, a note for the report when wrk cannot be had)."""
    found = shutil.which("wrk")
    if found:
        return found, ""
    if not install or not hasattr(os, "geteuid") or os.geteuid() != 0:
        return None, "wrk is not installed (apt-get install wrk): the reads ran on locust"
    # Install; if the package list was stale, update it and try once more.
    for steps in ([["apt-get", "install", "-y", "wrk"]],
                  [["apt-get", "update"], ["apt-get", "install", "-y", "wrk"]]):  # fmt: skip
        for step in steps:
            subprocess.run(step, capture_output=True, check=False)  # noqa: S603
        found = shutil.which("wrk")
        if found:
            return found, ""
    return None, "wrk could not be installed (apt-get install wrk failed): the reads ran on locust"


def command(wrk: str, host: str, users: int, duration: float, timeout: float) -> list[str]:
    threads = max(1, min(THREADS, users))
    return [
        wrk, "-c", str(users), "-t", str(threads), "-d", f"{max(1, round(duration))}s",
        "--timeout", f"{max(1, round(timeout))}s", "-s", str(SCRIPT), host,
    ]  # fmt: skip


def parse(stdout: str, *, name: str, kind: str, users: int, wall_seconds: float) -> dict:
    """wrk's WRK_RESULT line as the result dict drive.py writes (see drive.py main)."""
    line = next((ln for ln in stdout.splitlines() if ln.startswith(MARK)), None)
    if line is None:
        raise ValueError("wrk printed no WRK_RESULT line:\n" + stdout[-1500:])
    raw = json.loads(line[len(MARK) :])
    seconds = raw["duration_us"] / 1e6
    requests = int(raw["requests"])
    wrk_errors = raw["errors"]
    statuses = {int(code): count for code, count in raw.get("statuses", {}).items()}
    # HTTP answers that are neither accepted nor a deliberate refusal (a 503 is one only
    # with Retry-After).
    errors: dict[str, int] = {}
    for code, count in sorted(statuses.items()):
        if code == 503:
            count -= raw["shed_503"]
        if count > 0 and not 200 <= code < 400 and code != 429:
            errors[f"http {code}"] = count
    if wrk_errors["timeout"]:
        errors["timeout"] = wrk_errors["timeout"]
    sockets = wrk_errors["connect"] + wrk_errors["read"] + wrk_errors["write"]
    if sockets:
        errors["connection"] = sockets
    outcomes = {"accepted": raw["accepted"]}
    if raw["refused_429"]:
        outcomes["refused_429"] = raw["refused_429"]
    if raw["shed_503"]:
        outcomes["shed_503"] = raw["shed_503"]
    error_count = sum(errors.values())
    if error_count:
        outcomes["error"] = error_count
    if raw["from_page_cache"]:
        outcomes["from_page_cache"] = raw["from_page_cache"]
    return {
        "name": name,
        "kind": kind,
        "driver": "wrk",
        "users": users,
        "users_ready": users,
        "setup_seconds": 0.0,
        "duration": round(seconds, 2),
        "drain_seconds": round(max(0.0, wall_seconds - seconds), 2),
        "requests": requests,
        "rps": round(requests / seconds, 1) if seconds else 0,
        "median_ms": round(raw["p50_us"] / 1000, 1) if requests else None,
        "p95_ms": round(raw["p95_us"] / 1000, 1) if requests else None,
        "p99_ms": round(raw["p99_us"] / 1000, 1) if requests else None,
        "max_ms": round(raw["max_us"] / 1000),
        "mb_read": round(raw["bytes"] / 2**20, 1),
        "outcomes": outcomes,
        "errors": errors,
        "error_samples": [],
        "login_failures": {},
        "by_name": {name: {"requests": requests, "failures": error_count}},
    }


def drive(wrk: str, scenario: dict, work: Path, timeout: float) -> dict:
    """Run one read scenario (its `urls`) under wrk; the result dict, with the load tool's
    CPU (user+sys of the wrk process, from the kernel's accounting of reaped children)."""
    name = scenario["name"]
    urls = work / f"urls-{name}.txt"
    urls.write_text("\n".join(scenario["urls"]) + "\n")
    env = {
        **os.environ,
        "WRK_URLS": str(urls),
        "WRK_CONNECTIONS": str(scenario["users"]),
        "WRK_THREADS": str(max(1, min(THREADS, int(scenario["users"])))),
        "WRK_SEED": str(scenario.get("seed", 2026)),
        # page_cache=False (the spread scenarios): every request asks for a fresh page, as a
        # hard reload does; the page cache neither serves nor stores it (core/page_cache.py).
        "WRK_NO_CACHE": "1" if scenario.get("page_cache") is False else "",
    }
    args = command(wrk, scenario["host"], int(scenario["users"]), scenario["duration"], timeout)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.monotonic()
    completed = subprocess.run(args, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    ended = time.monotonic()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if completed.returncode != 0:
        raise RuntimeError(f"wrk failed ({completed.returncode}): {completed.stderr[-800:]}")
    result = parse(
        completed.stdout, name=name, kind=scenario["kind"], users=int(scenario["users"]),
        wall_seconds=ended - started,
    )  # fmt: skip
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    result["load_cpu_seconds"] = round(cpu, 3)
    result["load_cpu_percent"] = round(100 * cpu / (ended - started), 1)
    result["clock_started"] = started
    result["clock_stopped"] = ended
    return result
