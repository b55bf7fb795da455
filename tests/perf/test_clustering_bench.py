"""Benchmark (not part of `make test`): finding groups among 200,000 inputs, as the
clustering job does (issue #15). `pytest tests/perf/test_clustering_bench.py -m bench -s`.

Synthetic ledger: a quarter unique texts, the rest copies of 50 campaigns, a third of those
edited (two words changed) and each signed with another name. Prints the time and the groups
found; fails above BENCH_CLUSTERING_SECONDS (default 180 s on two shared cores). The job
itself adds reading the rows (one streamed query) and writing the groups (one UPDATE each).
"""

import os
import random
import time

import pytest

from consultations.clustering import find_groups

INPUTS = int(os.environ.get("BENCH_CLUSTERING_INPUTS", "200000"))
LIMIT = float(os.environ.get("BENCH_CLUSTERING_SECONDS", "180"))


def synthetic_inputs(n: int, seed: int = 1) -> list[tuple[int, str]]:
    rng = random.Random(seed)  # noqa: S311 -- test data, not secrets
    vocab = [f"word{i}" for i in range(5000)]

    def text(length: int = 40) -> str:
        return " ".join(rng.choice(vocab) for _ in range(length))

    campaigns = [text() for _ in range(50)]
    items = []
    for i in range(n):
        if i % 4 == 0:
            items.append((i, text()))
            continue
        words = campaigns[i % 50].split()
        if i % 3 == 0:
            words[rng.randrange(40)] = rng.choice(vocab)
            words[rng.randrange(40)] = rng.choice(vocab)
        items.append((i, f"Dear minister, {' '.join(words)} Signed, person {i}."))
    return items


@pytest.mark.bench
def test_clustering_200000_inputs():
    items = synthetic_inputs(INPUTS)
    started = time.perf_counter()
    groups = find_groups(items)
    elapsed = time.perf_counter() - started
    grouped = sum(len(g) for g in groups)
    print(f"\nclustering {INPUTS} inputs: {elapsed:.1f} s, {len(groups)} groups, {grouped} grouped")  # noqa: T201 -- the benchmark's report
    assert grouped >= INPUTS * 0.7  # the campaign copies, edited or not
    assert elapsed < LIMIT
