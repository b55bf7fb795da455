"""What one rendered page costs: CPU, SQL queries and SQL time per page, page cache off.

    python tests/perf/profile_page.py [--pages N] [--which proposals,comments]
                                      [--repeat 3] [--cprofile OUT.prof] [--top 40]

Renders N different pages (chosen as the bench's spread scenarios choose them) of the big
consultation's proposal list and of the most commented proposal's thread through Django's
test client, with production settings (``config.BenchConfig.django_env``) against the bench
database (``BENCH_DATABASE_URL``, default ogp_bench) and the page cache off, and prints per
list: CPU ms per page (``time.process_time`` of this process: the Django side, including
the database driver; each page is rendered ``--repeat`` times and its fastest round counts,
as on a shared machine the slower rounds measure the neighbours), queries per page and SQL
ms per page (wall time spent in the database calls, PostgreSQL's share). A few pages are
rendered first and not counted, so templates are loaded and the page index is built, as in
a running server.

``--cprofile`` writes a cProfile of the measured pages (``python -m pstats`` or snakeviz
reads it) and prints the ``--top`` functions by own time. For a sampling profile of the
same run: ``py-spy record -o out.svg -- python tests/perf/profile_page.py``.
Nothing here is imported by the portal or by the test suite.
"""

import argparse
import cProfile
import os
import pstats
import random
import sys
import time
from pathlib import Path

PERF_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(PERF_DIR.parent.parent))
sys.path.insert(0, str(PERF_DIR))

from config import BenchConfig  # noqa: E402

os.environ.update(BenchConfig().django_env())

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth.models import AnonymousUser  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count, Q  # noqa: E402
from django.test import Client  # noqa: E402

from consultations.choices import ProposalStatus  # noqa: E402
from consultations.models import Consultation, Proposal  # noqa: E402


class SqlMeter:
    """Counts the queries and the wall time spent in them (an execute wrapper: cheaper than
    Django's debug cursor, which formats every statement)."""

    def __init__(self) -> None:
        self.queries = 0
        self.seconds = 0.0

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - started
            self.queries += 1


def spread_urls(pages: int, seed: int) -> dict[str, list[str]]:
    """Pages 2.. of both lists, picked at random (reproducibly), as run_bench.py picks them."""
    anonymous = AnonymousUser()
    visible = Consultation.objects.visible_to(anonymous)
    big = (
        visible.annotate(n=Count("proposals", filter=~Q(proposals__status=ProposalStatus.DRAFT)))
        .order_by("-n", "pk")
        .first()
    )
    busiest = (
        Proposal.objects.published()
        .filter(consultation__in=visible)
        .order_by("-comment_count", "pk")
        .first()
    )
    rng = random.Random(seed)  # noqa: S311 -- reproducible, not secret
    urls: dict[str, list[str]] = {}
    if big is not None:
        numbers = range(2, max(3, -(-big.n // 25)))
        picked = rng.sample(numbers, min(pages, len(numbers)))
        urls["proposals"] = [f"/consultations/{big.pk}/proposals/?page={n}" for n in picked]
    if busiest is not None:
        numbers = range(2, max(3, busiest.comment_count // 20))
        picked = rng.sample(numbers, min(pages, len(numbers)))
        urls["comments"] = [f"/consultations/proposals/{busiest.pk}/?page={n}" for n in picked]
    return urls


def measure(client: Client, urls: list[str], repeat: int, profiler) -> dict:
    """Each page ``repeat`` times in turn; a page's CPU is its fastest round (on a shared
    machine the others wait for the CPU and its caches, which is not the page's cost)."""
    meter = SqlMeter()
    sizes = 0
    best = [float("inf")] * len(urls)
    with connection.execute_wrapper(meter):
        wall = time.perf_counter()
        if profiler is not None:
            profiler.enable()
        for _round in range(repeat):
            for i, url in enumerate(urls):
                cpu = time.process_time()
                response = client.get(url)
                best[i] = min(best[i], time.process_time() - cpu)
                if response.status_code != 200:
                    raise SystemExit(f"{url}: {response.status_code}")
                sizes += len(response.content)
        if profiler is not None:
            profiler.disable()
        wall = time.perf_counter() - wall
    n = len(urls) * repeat
    best.sort()
    return {
        "pages": len(urls),
        "cpu_ms": round(sum(best) * 1000 / len(best), 2),
        "cpu_median_ms": round(best[len(best) // 2] * 1000, 2),
        "wall_ms": round(wall * 1000 / n, 2),
        "queries": round(meter.queries / n, 2),
        "sql_ms": round(meter.seconds * 1000 / n, 2),
        "kb": round(sizes / n / 1024, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=200, help="pages measured per list")
    parser.add_argument("--warmup", type=int, default=10, help="pages rendered first, uncounted")
    parser.add_argument("--which", default="proposals,comments")
    parser.add_argument("--repeat", type=int, default=3, help="rounds; the fastest counts")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--cprofile", help="write a cProfile of the measured pages here")
    parser.add_argument("--top", type=int, default=40)
    args = parser.parse_args()

    # What rendering costs, not serving a stored copy: the page cache is off here.
    settings.PAGE_CACHE_SECONDS = 0
    client = Client(HTTP_HOST="127.0.0.1")
    urls = spread_urls(args.pages + args.warmup, args.seed)
    # CPU time, not wall time: the machine is shared, and waiting for PostgreSQL is not ours.
    profiler = cProfile.Profile(time.process_time) if args.cprofile else None
    for name in args.which.split(","):
        pages = urls.get(name)
        if not pages:
            sys.stdout.write(f"{name}: nothing to read in this database\n")
            continue
        for url in pages[: args.warmup]:
            client.get(url)
        result = measure(client, pages[args.warmup :], args.repeat, profiler)
        sys.stdout.write(
            f"{name}: {result['pages']} pages, {result['cpu_ms']} ms CPU/page "
            f"(median {result['cpu_median_ms']}), "
            f"{result['queries']} queries/page, {result['sql_ms']} ms SQL/page, "
            f"{result['wall_ms']} ms wall/page, {result['kb']} KiB/page\n"
        )
    if profiler is not None:
        profiler.dump_stats(args.cprofile)
        pstats.Stats(profiler).sort_stats("tottime").print_stats(args.top)


if __name__ == "__main__":
    main()
