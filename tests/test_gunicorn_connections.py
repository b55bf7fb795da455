"""Kept-alive connections spread over gunicorn's processes (ogp_portal/web_worker.py): a
process holding more connections than its threads can serve at once asks the client to
reconnect, so no process is left with most of the readers while the others idle."""

import http.client

from tests.test_gunicorn_reload import PATH, gunicorn  # noqa: F401 (the fixture)


def test_no_process_keeps_more_connections_alive_than_it_can_serve(gunicorn):  # noqa: F811
    _master, port, _log = gunicorn  # 2 processes of 4 threads: each serves 3 at once
    # Given 10 readers connected at once, each sending one request on its connection
    readers = [http.client.HTTPConnection("127.0.0.1", port, timeout=10) for _ in range(10)]
    for reader in readers:
        reader.connect()
    kept = 0
    for reader in readers:
        reader.request("GET", PATH)
        answer = answer_of(reader)
        assert answer.status == 200
        kept += answer.getheader("Connection", "").lower() != "close"
    # Then every reader was answered, and at most 2 x 3 of them may stay connected: the rest
    # were told to reconnect (and the kernel may place them elsewhere)
    assert kept <= 6
    for reader in readers:
        reader.close()


def answer_of(reader: http.client.HTTPConnection) -> http.client.HTTPResponse:
    answer = reader.getresponse()
    answer.read()
    return answer
