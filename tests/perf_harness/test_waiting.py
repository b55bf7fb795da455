"""Starting servers for the bench and the cross-instance tests: a server that dies or never
answers is reported, not waited on for ever."""

import subprocess
import sys

import pytest

from tests.faults.conftest import free_port
from tests.perf import waiting


def test_a_server_that_exited_is_named_with_what_it_left():
    dead = subprocess.Popen([sys.executable, "-c", "pass"])  # noqa: S603
    dead.wait()
    url = f"http://127.0.0.1:{free_port()}/health/"
    with pytest.raises(RuntimeError, match="gunicorn-a exited: see its log"):
        waiting.until_answers(url, {"gunicorn-a": dead}, lambda n: f"{n} exited: see its log")


def test_a_server_that_never_answers_times_out_with_the_address():
    alive = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])  # noqa: S603
    url = f"http://127.0.0.1:{free_port()}/health/"
    try:
        with pytest.raises(RuntimeError, match=rf"{url} did not answer 200 within 1 s"):
            waiting.until_answers(url, {"web": alive}, str, timeout=1, interval=0.1)
    finally:
        alive.kill()
        alive.wait()
