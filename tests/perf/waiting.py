"""Wait for a local server to answer 200 while watching the processes that serve it: the
bench's portal (servers.py), its two-instance section (multi.py) and the cross-instance tests
(tests/multi/) all start servers this way. Standard library only, so the tests can import it
as tests.perf.waiting and the bench's scripts by bare name."""

import subprocess
import time
import urllib.request
from collections.abc import Callable, Mapping


def until_answers(
    url: str,
    processes: Mapping[str, subprocess.Popen],
    exited: Callable[[str], str],
    timeout: float = 90,
    interval: float = 0.5,
) -> None:
    """Return once ``url`` answers 200; RuntimeError if one of ``processes`` exits first
    (with ``exited(name)`` as the message) or after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    last = ""
    while time.monotonic() < deadline:
        for name, process in processes.items():
            if process.poll() is not None:
                raise RuntimeError(exited(name))
        try:
            with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 -- local
                if response.status == 200:
                    return
        except OSError as error:  # refused, reset, timed out, HTTP error: not yet
            last = str(error)
        time.sleep(interval)
    raise RuntimeError(f"{url} did not answer 200 within {timeout:.0f} s ({last})")
