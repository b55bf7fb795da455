"""Run one command and print its wall time and peak memory as JSON (last line of stdout).

    python tests/perf/measure.py -- manage.py export_plan 12 --output plan.pdf

This wrapper is a fresh process, so RUSAGE_CHILDREN covers exactly the one command (the
benchmark runner has other children: gunicorn, the worker, earlier probes)."""

import json
import resource
import subprocess
import sys
import time


def main(argv: list[str]) -> int:
    if "--" in argv:
        argv = argv[argv.index("--") + 1 :]
    started = time.perf_counter()
    completed = subprocess.run(argv, check=False)
    elapsed = time.perf_counter() - started
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    # ru_maxrss is in kilobytes on Linux.
    sys.stdout.write(
        json.dumps(
            {
                "returncode": completed.returncode,
                "seconds": round(elapsed, 3),
                "peak_rss_mb": round(usage.ru_maxrss / 1024, 1),
                "cpu_seconds": round(usage.ru_utime + usage.ru_stime, 3),
            }
        )
        + "\n"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
