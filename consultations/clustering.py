"""Finding near-duplicate and campaign inputs: MinHash signatures over word shingles with
locality-sensitive hashing (LSH), in plain Python, the same on SQLite and PostgreSQL.

Why not datasketch or pg_trgm: datasketch pulls numpy and scipy into the web image for one
job; pg_trgm would need a second algorithm for SQLite and one similarity query per input
(200,000 queries). Here each distinct text is read once (exact copies, the usual campaign,
share one signature), hashed with zlib.crc32 (deterministic across processes) and compared
only with the texts it shares an LSH band with.

Signatures use one-permutation hashing (one crc32 per shingle, binned), about 20 times
cheaper than 24 separate hash functions in plain Python.

Estimated Jaccard similarity of two texts = the share of signature positions that agree.
With 24 hashes in 8 bands of 3, texts at 0.7 similarity become candidates with probability
0.97, texts at 0.3 with 0.2; candidates are then kept only at or above `threshold`.
"""

import re
import zlib
from collections import defaultdict
from collections.abc import Callable, Iterable

HASHES = 24
BANDS = 8
ROWS = HASHES // BANDS
SHINGLE = 3
THRESHOLD = 0.6
_EMPTY = 1 << 40  # above any crc32 value: a bin no shingle fell in
_WORD = re.compile(r"\w+", re.UNICODE)

Progress = Callable[[int, int], None]


def normalise(text: str) -> tuple[str, ...]:
    """Lower-case words without punctuation or numbers (a campaign's copies differ by a
    name, a date, a signature line)."""
    return tuple(w for w in _WORD.findall(text.casefold()) if not w.isdigit())


def signature(words: tuple[str, ...]) -> tuple[int, ...]:
    """The MinHash signature of the text's word shingles, by one-permutation hashing: each
    shingle is hashed once and falls in one of HASHES bins, each bin keeps its smallest
    value; empty bins borrow from the next filled one (densification), so a short text
    still has a full signature. One hash per shingle instead of HASHES."""
    if len(words) < SHINGLE:
        shingles = {" ".join(words)}
    else:
        shingles = {" ".join(words[i : i + SHINGLE]) for i in range(len(words) - SHINGLE + 1)}
    empty = _EMPTY
    bins = [empty] * HASHES
    for shingle in shingles:
        h = zlib.crc32(shingle.encode())
        b, v = h % HASHES, h // HASHES
        if v < bins[b]:
            bins[b] = v
    if empty in bins:
        filled = [i for i, v in enumerate(bins) if v != empty]
        for i in range(HASHES):
            if bins[i] == empty:
                # The next filled bin (circularly), marked with the distance borrowed over.
                j = next((f for f in filled if f > i), filled[0])
                bins[i] = bins[j] * HASHES + (j - i) % HASHES
    return tuple(bins)


def similarity(a: tuple[int, ...], b: tuple[int, ...]) -> float:
    return sum(x == y for x, y in zip(a, b, strict=True)) / HASHES


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[int, int] = {}

    def find(self, x: int) -> int:
        parent = self.parent
        root = x
        while parent.get(root, root) != root:
            root = parent[root]
        while x != root:  # path compression
            parent[x], x = root, parent.get(x, x)
        return root

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def find_groups(
    items: Iterable[tuple[int, str]],
    *,
    threshold: float = THRESHOLD,
    progress: Progress | None = None,
    every: int = 5000,
) -> list[list[int]]:
    """Groups (two or more ids, sorted) of items whose texts are near-duplicates.

    `items` is read once, as (id, text) pairs; `progress(read, distinct)` is called every
    `every` items. Memory: one signature per distinct text, not per item."""
    by_text: dict[tuple[str, ...], list[int]] = {}
    read = 0
    for pk, text in items:
        words = normalise(text or "")
        if words:
            by_text.setdefault(words, []).append(pk)
        read += 1
        if progress is not None and read % every == 0:
            progress(read, len(by_text))
    if progress is not None:
        progress(read, len(by_text))
    texts = list(by_text)
    signatures = [signature(words) for words in texts]
    buckets: dict[tuple[int, tuple[int, ...]], list[int]] = defaultdict(list)
    for index, sig in enumerate(signatures):
        for band in range(BANDS):
            buckets[(band, sig[band * ROWS : (band + 1) * ROWS])].append(index)
    groups = _UnionFind()
    checked: set[tuple[int, int]] = set()
    for members in buckets.values():
        if len(members) < 2:
            continue
        first = members[0]
        for other in members[1:]:
            # Compare with the bucket's first text (and, once linked, the group follows):
            # a bucket of n texts costs n comparisons, not n².
            pair = (first, other)
            if pair in checked:
                continue
            checked.add(pair)
            if similarity(signatures[first], signatures[other]) >= threshold:
                groups.union(first, other)
    by_root: dict[int, list[int]] = defaultdict(list)
    for index, words in enumerate(texts):
        by_root[groups.find(index)].extend(by_text[words])
    return sorted(
        (sorted(ids) for ids in by_root.values() if len(ids) >= 2), key=lambda ids: ids[0]
    )
