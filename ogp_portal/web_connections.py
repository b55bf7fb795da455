"""How many connections each gunicorn process holds, shared between the processes of one
master, so that a process holding more than its share can ask a client to reconnect.

With reuse_port the kernel spreads new connections over the processes' sockets by a hash of
the client's address and port: by chance, not by load. Kept-alive connections then stay where
they landed. make bench saw 20 readers held as 10, 4, 4, 2 and 0 by five processes; the one
with 10 served them on one core's share (the GIL) while others idled, and the list's p95 was
2.2x its mean. Closing every connection above a fixed number per process fixed that but
cost the comment flood 17 % (50 connections for 25 threads: every process kept closing),
so the rule compares a process with the others: above the average, rounded up, it closes.

The counts live in an anonymous shared mapping made when the master imports this module,
before it forks any worker; each worker writes its own slot (its pid, its count, when) and
reads the others'. A slot not written for STALE_SECONDS belongs to a process that is gone.
"""

import math
import mmap
import struct
import time

SLOTS = 64
# Workers write their slot at least once a second (their main loop wakes that often).
STALE_SECONDS = 3.0
_SLOT = struct.Struct("=qqd")  # pid, connections held, time.monotonic() of the writing
_shared = mmap.mmap(-1, SLOTS * _SLOT.size)  # MAP_SHARED: the forked workers see one mapping


def publish(slot: int, pid: int, connections: int) -> None:
    """Record that process `pid` (in `slot`) holds `connections` now."""
    _SLOT.pack_into(_shared, (slot % SLOTS) * _SLOT.size, pid, connections, time.monotonic())


def forget(slot: int) -> None:
    _SLOT.pack_into(_shared, (slot % SLOTS) * _SLOT.size, 0, 0, 0.0)


def fair_share() -> int:
    """The connections a process may hold: the average over the live processes, rounded up
    (at least 1)."""
    now = time.monotonic()
    total = processes = 0
    for offset in range(0, SLOTS * _SLOT.size, _SLOT.size):
        pid, connections, written = _SLOT.unpack_from(_shared, offset)
        if pid and now - written < STALE_SECONDS:
            total += connections
            processes += 1
    if not processes:
        return 1
    return max(1, math.ceil(total / processes))
