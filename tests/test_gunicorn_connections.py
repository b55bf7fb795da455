"""Kept-alive connections spread over gunicorn's processes (ogp_portal/web_connections.py): a
process holding more connections than the processes' average asks a client to reconnect, so
no process is left with most of the readers while the others idle, and once they are spread
nobody is asked again (a flood's many connections are not churned)."""

import http.client
import math

import psutil  # type: ignore[import-untyped]

from ogp_portal import web_connections
from tests.test_gunicorn_reload import PATH, children, gunicorn  # noqa: F401 (the fixture)

READERS = 12


def test_readers_end_up_spread_evenly_and_stay_connected(gunicorn):  # noqa: F811
    master, port, _log = gunicorn  # 2 processes of 4 threads
    # Given 12 readers connected at once (the kernel places each on a process by chance)
    readers = [http.client.HTTPConnection("127.0.0.1", port, timeout=10) for _ in range(READERS)]
    for reader in readers:
        reader.connect()
    # When each reads pages, reconnecting whenever it is told to (as browsers and load tools do)
    for _round in range(30):
        told_to_close = 0
        for reader in readers:
            reader.request("GET", PATH)
            answer = answer_of(reader)
            assert answer.status == 200
            if answer.getheader("Connection", "").lower() == "close":
                told_to_close += 1
                reader.close()
                reader.connect()
        if not told_to_close:
            break
    # Then a round came where nobody was told to reconnect, and no process holds more
    # readers than its share
    assert told_to_close == 0
    held = connections_per_process(master.pid, port)
    assert sum(held) == READERS
    assert max(held) <= math.ceil(READERS / 2), held
    for reader in readers:
        reader.close()


def test_a_process_may_hold_the_average_rounded_up():
    web_connections.publish(60, 101, 7)
    web_connections.publish(61, 102, 2)
    try:
        assert web_connections.fair_share() == 5  # 9 over 2 processes
        # A process that stopped writing its slot no longer counts
        web_connections.forget(61)
        assert web_connections.fair_share() == 7
    finally:
        web_connections.forget(60)
        web_connections.forget(61)
    assert web_connections.fair_share() == 1  # nobody is serving


def connections_per_process(master_pid: int, port: int) -> list[int]:
    return [
        sum(
            1
            for c in psutil.Process(pid).net_connections(kind="tcp")
            if c.laddr and c.laddr.port == port and c.status == psutil.CONN_ESTABLISHED
        )
        for pid in children(master_pid)
    ]


def answer_of(reader: http.client.HTTPConnection) -> http.client.HTTPResponse:
    answer = reader.getresponse()
    answer.read()
    return answer
