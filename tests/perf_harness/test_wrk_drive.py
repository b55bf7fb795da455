"""The wrk read driver: its Lua script against a real HTTP server, and the result dict."""

import os
import shutil
import threading
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.perf import wrk_drive


def wrk_line(**overrides) -> str:
    raw = {
        "requests": 1000,
        "duration_us": 10_000_000,
        "bytes": 2_000_000,
        "p50_us": 12_000,
        "p95_us": 40_000,
        "p99_us": 90_000,
        "max_us": 250_000,
        "mean_us": 15_000.0,
        "errors": {"connect": 0, "read": 0, "write": 0, "status": 0, "timeout": 0},
        "accepted": 1000,
        "refused_429": 0,
        "shed_503": 0,
        "from_page_cache": 0,
        "statuses": {"200": 1000},
    }
    raw.update(overrides)
    import json

    return "Running 10s test\n  1000 requests in 10.00s\n" + wrk_drive.MARK + json.dumps(raw)


def parse(text: str) -> dict:
    return wrk_drive.parse(text, name="read_home", kind="read", users=20, wall_seconds=10.2)


def test_a_clean_run_reads_like_the_locust_driver():
    result = parse(wrk_line())
    assert result["rps"] == 100.0
    assert (result["median_ms"], result["p95_ms"], result["p99_ms"]) == (12.0, 40.0, 90.0)
    assert result["max_ms"] == 250
    assert result["outcomes"] == {"accepted": 1000}
    assert result["errors"] == {}
    assert result["driver"] == "wrk"
    assert result["duration"] == 10.0


def test_deliberate_refusals_are_not_errors_but_a_503_without_retry_after_is():
    result = parse(
        wrk_line(
            accepted=900,
            refused_429=40,
            shed_503=50,
            statuses={"200": 900, "429": 40, "503": 55, "500": 5},
            errors={"connect": 1, "read": 2, "write": 0, "status": 100, "timeout": 3},
        )
    )
    assert result["outcomes"]["refused_429"] == 40
    assert result["outcomes"]["shed_503"] == 50
    assert result["errors"] == {"http 500": 5, "http 503": 5, "timeout": 3, "connection": 3}
    assert result["outcomes"]["error"] == 16


def test_output_without_the_result_line_is_an_error():
    with pytest.raises(ValueError, match="WRK_RESULT"):
        parse("unable to connect to 127.0.0.1:1 Connection refused\n")


class _Portal(BaseHTTPRequestHandler):
    """Answers like the portal would: pages, a cached page, a 404, both refusals."""

    protocol_version = "HTTP/1.1"
    seen_paths: Counter = Counter()
    seen_addresses: Counter = Counter()
    seen_cache_control: Counter = Counter()

    def do_GET(self):  # noqa: N802 (http.server's name)
        type(self).seen_paths[self.path] += 1
        type(self).seen_addresses[self.headers.get("X-Forwarded-For")] += 1
        type(self).seen_cache_control[self.headers.get("Cache-Control")] += 1
        status, headers = 200, {}
        if self.path == "/missing":
            status = 404
        elif self.path == "/limited":
            status = 429
        elif self.path == "/shed":
            status, headers = 503, {"Retry-After": "1"}
        elif self.path == "/cached":
            headers = {"X-Page-Cache": "hit"}
        body = b"page"
        self.send_response(status)
        for key, value in {**headers, "Content-Length": str(len(body))}.items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def test_wrk_walks_the_url_list_with_one_address_per_connection(tmp_path):
    if shutil.which("wrk") is None:
        if os.environ.get("CI"):
            pytest.fail("wrk is not installed; .ci/run installs it (apt-get install wrk)")
        pytest.skip("wrk is not installed (apt-get install wrk)")
    _Portal.seen_paths.clear()
    _Portal.seen_addresses.clear()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Portal)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    paths = ["/a", "/b", "/cached", "/missing", "/limited", "/shed"]
    try:
        result = wrk_drive.drive(
            shutil.which("wrk"),
            {
                "name": "read_x",
                "kind": "read",
                "users": 4,
                "duration": 1,
                "urls": paths,
                "host": f"http://127.0.0.1:{server.server_address[1]}",
            },
            tmp_path,
            timeout=5,
        )
    finally:
        server.shutdown()
    assert set(_Portal.seen_paths) == set(paths)
    # Four connections, four client addresses, as the locust read users send.
    assert len(_Portal.seen_addresses) == 4
    assert all(address.startswith("10.") for address in _Portal.seen_addresses)
    outcomes = result["outcomes"]
    assert outcomes["accepted"] > 0
    assert outcomes["from_page_cache"] > 0
    assert outcomes["refused_429"] > 0
    assert outcomes["shed_503"] > 0
    assert set(result["errors"]) == {"http 404"}
    assert result["requests"] >= sum(_Portal.seen_paths.values()) - 4  # in flight at the end
    assert result["load_cpu_seconds"] >= 0


def _run_wrk(tmp_path, **scenario):
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Portal)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        return wrk_drive.drive(
            shutil.which("wrk"),
            {"name": "read_x", "kind": "read", "users": 2, "duration": 1,
             "host": f"http://127.0.0.1:{server.server_address[1]}", **scenario},
            tmp_path,
            timeout=5,
        )  # fmt: skip
    finally:
        server.shutdown()


@pytest.mark.parametrize("page_cache", [True, False])
def test_a_spread_scenario_asks_for_fresh_pages_and_the_others_do_not(tmp_path, page_cache):
    """The spread scenarios measure rendering: with page_cache=False every request says
    Cache-Control: no-cache (which the portal's page cache neither serves nor stores)."""
    if shutil.which("wrk") is None:
        if os.environ.get("CI"):
            pytest.fail("wrk is not installed; .ci/run installs it (apt-get install wrk)")
        pytest.skip("wrk is not installed (apt-get install wrk)")
    _Portal.seen_cache_control.clear()
    extra = {} if page_cache else {"page_cache": False}
    _run_wrk(tmp_path, urls=["/a", "/b"], **extra)
    expected = None if page_cache else "no-cache"
    assert set(_Portal.seen_cache_control) == {expected}
    assert _Portal.seen_cache_control[expected] > 0
