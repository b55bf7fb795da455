"""What one comment post costs on the portal's side: CPU, queries and SQL time per post.

    python tests/perf/profile_post.py [--posts 200] [--cprofile OUT.prof] [--top 30]
    py-spy record -o post.svg -- .venv/bin/python tests/perf/profile_post.py --posts 500

Posts N comments through Django's test client, the way the flood's load tool sends them
(POST /consultations/comments/new/ with a CSRF cookie and token, a submission token, a
signed-in session, a fresh client address each), with production settings against the
bench database (BENCH_DATABASE_URL, default ogp_bench) and the Redis database of
BENCH_REDIS_URL. Accounts rotate every COMMENT_LIMIT_PER_ACCOUNT posts, as in the flood,
so the per-account limit never refuses. Every post must answer 302 to `#comment-<id>`.

CPU is this process's user+sys time (time.process_time) around each request: the portal's
Python, not PostgreSQL's or Redis's side, and independent of what else the machine runs.
SQL time is the wall time the database calls took, seen from Django. The comments are real
rows in the bench database (the bench's own; they carry the bench-comment prefix).
"""

import argparse
import cProfile
import os
import pstats
import statistics
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import urlencode

PERF_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(PERF_DIR.parent.parent))
sys.path.insert(0, str(PERF_DIR))

from config import BenchConfig  # noqa: E402

# The environment gunicorn gets in the bench (production settings on the bench database).
os.environ.update(BenchConfig().django_env())

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count, Exists, OuterRef, Q  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from consultations.choices import ProposalStatus  # noqa: E402
from consultations.models import Comment, Consultation  # noqa: E402
from consultations.rules import may_take_part  # noqa: E402

COMMENT_PREFIX = "bench-comment"  # as django_side.py: the integrity check knows it


def say(line: str) -> None:
    sys.stdout.write(line + "\n")


class SqlMeter:
    """Counts queries and their wall time through an execute wrapper (cheaper than
    CaptureQueriesContext, which keeps every statement's text)."""

    def __init__(self) -> None:
        self.queries = 0
        self.seconds = 0.0
        self.statements: list[tuple[float, str]] = []
        self.keep = False

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            took = time.perf_counter() - started
            self.seconds += took
            self.queries += 1
            if self.keep:
                self.statements.append((took, sql))


def targets(accounts_needed: int) -> tuple[Consultation, list[int], list]:
    """The big consultation's published proposals (not the busiest one, as discover) and
    accounts that may take part there and posted nothing in the last 10 minutes."""
    now = timezone.now()
    big = (
        Consultation.objects.annotate(
            n=Count("proposals", filter=~Q(proposals__status=ProposalStatus.DRAFT))
        )
        .order_by("-n", "pk")
        .first()
    )
    if big is None:
        sys.exit("no consultation in this database")
    if not big.opens_at <= now < big.closes_at:
        sys.exit(f"consultation {big.pk} is not open now: posts would be refused")
    published = big.proposals.published()
    busiest = published.order_by("-comment_count", "pk").values_list("pk", flat=True).first()
    others = published.exclude(pk=busiest).order_by("pk")
    proposals = list(others.values_list("pk", flat=True)[:200])
    recent = Comment.objects.filter(
        author=OuterRef("pk"), created_at__gte=now - timezone.timedelta(minutes=10)
    )
    candidates = (
        get_user_model()
        .objects.filter(is_active=True, is_staff=False, is_superuser=False)
        .filter(emailaddress__verified=True)
        .exclude(Exists(recent))
        .order_by("-pk")  # the other end from discover's, so a bench run nearby is not hit
        .distinct()
    )
    accounts = []
    for user in candidates.iterator(chunk_size=200):
        if may_take_part(user, big):
            accounts.append(user)
            if len(accounts) >= accounts_needed:
                break
    if len(accounts) < accounts_needed:
        sys.exit(f"only {len(accounts)} of {accounts_needed} accounts may take part")
    return big, proposals, accounts


def signed_in_client(user) -> Client:
    client = Client(HTTP_HOST="127.0.0.1", enforce_csrf_checks=True)
    client.force_login(user)
    # The test client builds the middleware chain at its first request (WhiteNoise scans the
    # static files then): once per process in gunicorn, so not part of what a post costs.
    client.handler.load_middleware()
    # A CSRF secret of our own, as the load tool sends (Django accepts it as the form token).
    client.cookies[settings.CSRF_COOKIE_NAME] = uuid.uuid4().hex[:32]
    return client


def post_once(client: Client, proposal: int, address: str, run_id: str) -> tuple[int, str]:
    nonce = uuid.uuid4()
    form = {
        "proposal": proposal,
        "body": f"{COMMENT_PREFIX} {run_id} {nonce.hex} profile comment",
        "submission_token": str(nonce),
        "csrfmiddlewaretoken": client.cookies[settings.CSRF_COOKIE_NAME].value,
    }
    response = client.post(
        "/consultations/comments/new/",
        urlencode(form),  # as a browser (and the load tool) sends a form without files
        content_type="application/x-www-form-urlencoded",
        HTTP_X_FORWARDED_FOR=address,
        HTTP_REFERER=f"http://127.0.0.1/consultations/proposals/{proposal}/",
        HTTP_ORIGIN="http://127.0.0.1",
    )
    return response.status_code, response.get("Location", "")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--posts", type=int, default=200)
    parser.add_argument("--warmup", type=int, default=10, help="posts not measured")
    parser.add_argument("--cprofile", help="write cProfile stats of the measured posts here")
    parser.add_argument("--top", type=int, default=25, help="cProfile rows to print")
    parser.add_argument("--sql", action="store_true", help="print the statements of one post")
    args = parser.parse_args()

    per_account = settings.COMMENT_LIMIT_PER_ACCOUNT
    total = args.warmup + args.posts
    consultation, proposals, users = targets(-(-total // per_account))
    clients = [signed_in_client(user) for user in users]
    run_id = f"profile-{int(time.time())}"
    meter = SqlMeter()
    # CPU time, not wall: waiting for PostgreSQL on a busy machine is not the portal's work.
    profiler = cProfile.Profile(time.process_time) if args.cprofile else None
    cpu: list[float] = []
    queries: list[int] = []
    sql: list[float] = []
    with connection.execute_wrapper(meter):
        for i in range(total):
            client = clients[i // per_account]
            address = f"10.{(i >> 16) & 255}.{(i >> 8) & 255}.{i & 255}"
            measured = i >= args.warmup
            meter.queries, meter.seconds = 0, 0.0
            meter.keep = args.sql and i == total - 1
            if measured and profiler:
                profiler.enable()
            started = time.process_time()
            status, location = post_once(client, proposals[i % len(proposals)], address, run_id)
            spent = time.process_time() - started
            if measured and profiler:
                profiler.disable()
            if status != 302 or "#comment-" not in location:
                sys.exit(f"post {i} was not accepted: {status} {location}")
            if measured:
                cpu.append(spent * 1000)
                queries.append(meter.queries)
                sql.append(meter.seconds * 1000)
    if args.sql:
        say(f"--- the {len(meter.statements)} statements of one post")
        for took, statement in meter.statements:
            say(f"  {took * 1000:7.2f} ms  {statement[:160]}")
    say(
        f"{args.posts} posts on consultation {consultation.pk} ({len(users)} accounts): "
        f"CPU {statistics.mean(cpu):.2f} ms/post (median {statistics.median(cpu):.2f}), "
        f"{statistics.mean(queries):.1f} queries/post, "
        f"SQL {statistics.mean(sql):.2f} ms/post (wall, seen from Django)"
    )
    if profiler:
        profiler.dump_stats(args.cprofile)
        stats = pstats.Stats(args.cprofile)
        stats.sort_stats("cumulative").print_stats(args.top)
        stats.sort_stats("tottime").print_stats(args.top)


if __name__ == "__main__":
    main()
