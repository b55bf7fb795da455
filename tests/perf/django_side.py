"""Benchmark jobs that run inside Django, against the bench database, in their own process.

    python tests/perf/django_side.py discover  OUT.json [--accounts N]
    python tests/perf/django_side.py queries   TARGETS.json OUT.json
    python tests/perf/django_side.py integrity TARGETS.json ACCEPTED.json OUT.json
    python tests/perf/django_side.py reminders OUT.json [--commit]

The runner starts it with the bench environment (production settings, DATABASE_URL of the
bench database). Nothing here is imported by the portal or by the regular test suite.
"""

import argparse
import json
import os
import re
import sys
import time
import uuid
from collections import Counter
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(PROJECT_DIR))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ogp_portal.settings.prod")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.models import AnonymousUser  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.db.models import Count, Exists, F, OuterRef, Q, Subquery  # noqa: E402
from django.db.models.functions import Coalesce  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from commitments.models import Commitment  # noqa: E402
from consultations.choices import ProposalStatus  # noqa: E402
from consultations.models import Comment, Consultation, Proposal, Support  # noqa: E402
from consultations.rules import may_take_part  # noqa: E402
from plans.models import ActionPlan  # noqa: E402

# Every comment the bench posts starts with this, then the run id and a unique nonce.
COMMENT_PREFIX = "bench-comment"
NONCE_RE = re.compile(rf"^{COMMENT_PREFIX} (?P<run>\S+) (?P<nonce>\S+)")


def _write(path: str, data) -> None:
    Path(path).write_text(json.dumps(data, indent=2, default=str))


def _shared_password() -> tuple[str, str]:
    """The one password of the seeded users: BENCH_USER_PASSWORD, else seed_scale's."""
    if os.environ.get("BENCH_USER_PASSWORD"):
        return os.environ["BENCH_USER_PASSWORD"], "BENCH_USER_PASSWORD"
    from ogp_portal.seeding.scale.context import PASSWORD

    return PASSWORD, "ogp_portal.seeding.scale.context.PASSWORD"


def _word_of(text: str) -> str:
    words = re.findall(r"[A-Za-z]{6,}", text or "")
    return words[0].lower() if words else ""


def _closest_plan(counted, wanted: int):
    """The plan whose commitment count is the smallest one >= wanted, else the largest."""
    at_least = counted.filter(n__gte=wanted).order_by("n", "pk").first()
    return at_least or counted.order_by("-n", "pk").first()


def _discover_ledger(out: dict, plans, problems: list[str]) -> None:
    """The public plan with the most ledger entries (issue #15), and a kind and decision of
    its ledger that filter to a real subset."""
    from consultations.models import InputEntry

    public = InputEntry.objects.public()
    ledger_plan = (
        plans.annotate(entries=Count("input_entries", filter=Q(input_entries__is_public=True)))
        .filter(entries__gt=0)
        .order_by("-entries", "pk")
        .first()
    )
    if ledger_plan is None:
        problems.append("no published plan has ledger entries (seed_scale makes them)")
        return
    decided = (
        public.filter(plan=ledger_plan, response__published_at__isnull=False)
        .values_list("kind", "response__decision")
        .order_by()
        .first()
    )
    out["ledger"] = {
        "pk": ledger_plan.pk,
        "entries": ledger_plan.entries,
        "kind": decided[0] if decided else "proposal",
        "decision": decided[1] if decided else "none",
    }


def _discover_dashboard_member(out: dict) -> None:
    """The member with the most public inputs: the biggest member dashboard (issue #18)."""
    from consultations.models import InputEntry

    top = (
        InputEntry.objects.public()
        .values("plan__member__slug")
        .annotate(n=Count("pk"))
        .order_by("-n", "plan__member__slug")
        .first()
    )
    if top:
        out["dashboard_member"] = {"slug": top["plan__member__slug"], "inputs": top["n"]}


def discover(args) -> None:
    """Find what each scenario needs in whatever seed is loaded, by querying the data rather
    than assuming seed_scale's ids: the biggest consultation, the most commented proposal,
    plans of about 10/50/150 commitments, accounts that may take part."""
    anonymous = AnonymousUser()
    now = timezone.now()
    problems: list[str] = []
    out: dict = {"now": now.isoformat(), "problems": problems}

    plans = ActionPlan.objects.visible_to(anonymous).annotate(n=Count("commitments"))
    biggest_plan = plans.order_by("-n", "pk").first()
    if biggest_plan is None:
        problems.append("no published plan")
    else:
        out["plan"] = {"pk": biggest_plan.pk, "commitments": biggest_plan.n}
    out["pdf_plans"] = {}
    for wanted in (10, 50, 150):
        plan = _closest_plan(ActionPlan.objects.annotate(n=Count("commitments")), wanted)
        if plan is not None:
            out["pdf_plans"][str(wanted)] = {"pk": plan.pk, "commitments": plan.n}
            if plan.n < wanted:
                problems.append(f"no plan with {wanted} commitments (largest has {plan.n})")

    _discover_ledger(out, plans, problems)
    _discover_dashboard_member(out)

    commitment = Commitment.objects.order_by("pk").first()
    status_counts = Counter(Commitment.objects.values_list("status", flat=True)[:5000])
    out["commitment_filter"] = {
        "status": status_counts.most_common(1)[0][0] if status_counts else "",
        "q": _word_of(commitment.title if commitment else "") or "open",
    }

    visible = Consultation.objects.visible_to(anonymous)
    consultations = visible.annotate(
        n=Count("proposals", filter=~Q(proposals__status=ProposalStatus.DRAFT))
    ).order_by("-n", "pk")
    big = consultations.first()
    if big is None:
        problems.append("no announced consultation")
        _write(args.output, out)
        return
    is_open = big.opens_at <= now < big.closes_at
    if not is_open:
        problems.append(
            f"the biggest consultation ({big.pk}) is not open now "
            f"({big.opens_at:%Y-%m-%d}..{big.closes_at:%Y-%m-%d}): floods need an open window; "
            "re-seed with today's date (BENCH_RESEED=1)"
        )
    published = big.proposals.published()
    proposal_statuses = Counter(published.values_list("status", flat=True)[:20000])
    filter_status = next(
        (s for s, _n in proposal_statuses.most_common() if s != ProposalStatus.SUBMITTED),
        proposal_statuses.most_common(1)[0][0] if proposal_statuses else "",
    )
    first = published.order_by("pk").first()
    out["consultation"] = {
        "pk": big.pk,
        "proposals": big.n,
        "open": is_open,
        "audience": big.audience,
        "filter_status": filter_status,
        "q": _word_of(first.title if first else "") or "open",
    }
    busiest = (
        Proposal.objects.published()
        .filter(consultation__in=visible)
        .order_by("-comment_count", "pk")
        .first()
    )
    if busiest is not None:
        real = Comment.objects.filter(proposal=busiest).count()
        out["busiest_proposal"] = {
            "pk": busiest.pk,
            "comment_count": busiest.comment_count,
            "comments": real,
        }
    # Proposals to comment on and one to support: published, in the open consultation,
    # not the busiest one (its page is measured on its own).
    others = published.exclude(pk=getattr(busiest, "pk", None)).order_by("pk")
    targets = list(others.values_list("pk", flat=True)[:200])
    out["comment_proposals"] = targets
    out["support_proposal"] = targets[0] if targets else None

    # Accounts that may comment in the big consultation, none of them staff (secretariat
    # sign-in asks for a second factor) and none that commented in the last 10 minutes (a
    # re-run within the per-account window would be refused).
    password, source = _shared_password()
    out["password"] = password
    out["password_source"] = source
    if not password:
        problems.append(f"shared password of the seeded users unknown ({source})")
    User = get_user_model()
    recent = Comment.objects.filter(
        author=OuterRef("pk"), created_at__gte=now - timezone.timedelta(minutes=10)
    )
    candidates = (
        User.objects.filter(is_active=True, is_staff=False, is_superuser=False)
        .filter(emailaddress__verified=True)
        .exclude(Exists(recent))
        .order_by("pk")
        .distinct()
    )
    accounts: list[str] = []
    for checked, user in enumerate(candidates.iterator(chunk_size=500), start=1):
        if may_take_part(user, big):
            accounts.append(user.email)
            if len(accounts) >= args.accounts:
                break
        if checked > args.accounts * 20:
            break
    out["accounts"] = accounts
    if len(accounts) < args.accounts:
        problems.append(f"only {len(accounts)} of {args.accounts} accounts may take part")
    # What seed_scale says it made (ogp_portal.seeding.scale.write_summary), when it ran on
    # this VAR_DIR.
    from django.conf import settings

    summary = Path(settings.VAR_DIR) / "scale-seed.json"
    if summary.exists():
        made = json.loads(summary.read_text())
        out["seed_summary"] = {
            key: made.get(key)
            for key in ("seed", "scale", "today", "pending_deadlines", "seconds", "rows")
        }
    out["counts"] = {
        "users": User.objects.count(),
        "plans": ActionPlan.objects.count(),
        "commitments": Commitment.objects.count(),
        "proposals": Proposal.objects.count(),
        "comments": Comment.objects.count(),
        "supports": Support.objects.count(),
    }
    _write(args.output, out)


def queries(args) -> None:
    """One request per URL through Django's test client, counting SQL queries."""
    targets = json.loads(Path(args.targets).read_text())
    results = {}
    # A page that fails is reported (status 500 and the error), not fatal to the bench.
    client = Client(HTTP_HOST="127.0.0.1", raise_request_exception=False)
    # What rendering a page costs, not serving a stored copy: the page cache is off here.
    settings.PAGE_CACHE_SECONDS = 0
    for name, url in targets["urls"].items():
        with CaptureQueriesContext(connection) as ctx:
            started = time.perf_counter()
            response = client.get(url)
            body = b"".join(response.streaming_content) if response.streaming else response.content
            elapsed = time.perf_counter() - started
        results[name] = {
            "url": url,
            "status": response.status_code,
            "queries": len(ctx.captured_queries),
            "bytes": len(body),
            "ms_single": round(elapsed * 1000, 1),
        }
        if response.status_code >= 500:
            results[name]["error"] = repr(getattr(response, "exc_info", None) or "")[:300]
    # The two writes, as a signed-in participant (the last discovered account).
    User = get_user_model()
    accounts = targets.get("accounts") or []
    proposal_pk = targets.get("support_proposal")
    if accounts and proposal_pk:
        user = User.objects.get(email=accounts[-1])
        client.force_login(user)
        text = f"{COMMENT_PREFIX} querycount-{int(time.time())} probe"
        with CaptureQueriesContext(connection) as ctx:
            response = client.post(
                "/consultations/comments/new/",
                {"proposal": proposal_pk, "body": text, "submission_token": str(uuid.uuid4())},
            )
        results["comment_post"] = {
            "url": "POST /consultations/comments/new/",
            "status": response.status_code,
            "queries": len(ctx.captured_queries),
        }
        for action in ("add", "remove"):
            with CaptureQueriesContext(connection) as ctx:
                response = client.post(
                    f"/consultations/proposals/{proposal_pk}/support/", {"action": action}
                )
            results[f"support_{action}"] = {
                "url": f"POST /consultations/proposals/{proposal_pk}/support/ action={action}",
                "status": response.status_code,
                "queries": len(ctx.captured_queries),
            }
    _write(args.output, results)


def sessions(args) -> None:
    """A signed-in session for every discovered account, made as django.contrib.auth.login
    makes one (user id, backend, password hash) in the portal's session store. Signing in
    through the form costs one PBKDF2 hash per account (about 0.6 s of CPU): for the 1,200
    accounts of a full flood that was 7 minutes of warm-up, not part of what is measured."""
    from importlib import import_module

    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    targets = json.loads(Path(args.targets).read_text())
    store = import_module(settings.SESSION_ENGINE).SessionStore
    User = get_user_model()
    made = {}
    for user in User.objects.filter(email__in=targets.get("accounts") or []):
        session = store()
        session[SESSION_KEY] = user._meta.pk.value_to_string(user)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.save()
        made[user.email] = session.session_key
    _write(args.output, {"sessions": made, "cookie": settings.SESSION_COOKIE_NAME})


def counter_mismatches() -> list[dict]:
    """Every proposal whose denormalised counters differ from the rows they count, over the
    whole table (not only the proposals a scenario aimed at). The counters' meaning is the
    services': support_count = Support rows; comment_count = comments not deleted by their
    author (a hidden comment still counts: its place in the thread is shown)."""
    live_comments = (
        Comment.objects.filter(proposal=OuterRef("pk"), deleted_at__isnull=True)
        .order_by()
        .values("proposal")
        .annotate(n=Count("pk"))
        .values("n")
    )
    supports = (
        Support.objects.filter(proposal=OuterRef("pk"))
        .order_by()
        .values("proposal")
        .annotate(n=Count("pk"))
        .values("n")
    )
    rows = (
        Proposal.objects.annotate(
            comment_rows=Coalesce(Subquery(live_comments), 0),
            support_rows=Coalesce(Subquery(supports), 0),
        )
        .exclude(comment_count=F("comment_rows"), support_count=F("support_rows"))
        .order_by("pk")
        .values("pk", "comment_count", "comment_rows", "support_count", "support_rows")
    )
    return [
        {
            "proposal": r["pk"],
            "comment_count": r["comment_count"],
            "comment_rows": r["comment_rows"],
            "support_count": r["support_count"],
            "support_rows": r["support_rows"],
        }
        for r in rows
    ]


def integrity(args) -> None:
    """Every comment the load tool saw accepted is stored exactly once; nothing the bench
    did not see accepted slipped in twice; support_count equals the Support rows."""
    targets = json.loads(Path(args.targets).read_text())
    seen = json.loads(Path(args.accepted).read_text())
    run_id = seen["run_id"]
    accepted = set(seen["accepted"])
    prefix = f"{COMMENT_PREFIX} {run_id} "
    stored = Counter(
        NONCE_RE.match(body).group("nonce")
        for body in Comment.objects.filter(body__startswith=prefix).values_list("body", flat=True)
    )
    lost = sorted(accepted - set(stored))
    doubled = sorted(n for n, c in stored.items() if c > 1)
    unconfirmed = sorted(set(stored) - accepted)  # stored, but the client saw no success
    supports = []
    for pk in {p for p in [targets.get("support_proposal")] if p}:
        proposal = Proposal.objects.get(pk=pk)
        rows = Support.objects.filter(proposal_id=pk).count()
        supports.append({"proposal": pk, "support_count": proposal.support_count, "rows": rows})
    counters = counter_mismatches()
    _write(
        args.output,
        {
            "run_id": run_id,
            "accepted_seen": len(accepted),
            "stored": sum(stored.values()),
            "lost": lost[:50],
            "lost_count": len(lost),
            "doubled": doubled[:50],
            "doubled_count": len(doubled),
            "unconfirmed_count": len(unconfirmed),
            "supports": supports,
            "support_mismatches": [s for s in supports if s["support_count"] != s["rows"]],
            "counter_mismatch_count": len(counters),
            "counter_mismatches": counters[:20],
        },
    )


def reminders(args) -> None:
    """Time one reminder scan. By default inside a transaction that is rolled back, so a
    re-run finds the same deadlines due again (the scan sends each reminder only once)."""
    try:
        from ogp_portal.core.reminders import scan
    except ImportError:
        _write(args.output, {"error": "ogp_portal.core.reminders.scan does not exist yet"})
        return
    import inspect

    params = inspect.signature(scan).parameters
    kwargs = {"now": timezone.now()} if "now" in params else {}

    class _Rollback(Exception):
        pass

    result = None
    started = time.perf_counter()
    try:
        with transaction.atomic():
            with CaptureQueriesContext(connection) as ctx:
                result = scan(**kwargs)
            elapsed = time.perf_counter() - started
            if not args.commit:
                raise _Rollback
    except _Rollback:
        pass
    _write(
        args.output,
        {
            "seconds": round(elapsed, 3),
            "result": result if isinstance(result, (int, float, str, dict, list)) else repr(result),
            "queries": len(ctx.captured_queries),
            "rolled_back": not args.commit,
        },
    )


def forget_exports(args) -> None:
    """Delete the stored PDFs of one target, so the next export renders instead of reusing
    the copy an earlier bench run left (exports are reused while the content is unchanged)."""
    from ogp_portal.core.models import GeneratedFile

    files = GeneratedFile.objects.filter(kind=args.kind, target_id=args.pk)
    count = 0
    for generated in files:
        generated.file.delete(save=False)
        generated.delete()
        count += 1
    _write(args.output, {"deleted": count})


def main() -> None:
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("discover")
    p.add_argument("output")
    p.add_argument("--accounts", type=int, default=200)
    p = sub.add_parser("queries")
    p.add_argument("targets")
    p.add_argument("output")
    p = sub.add_parser("integrity")
    p.add_argument("targets")
    p.add_argument("accepted")
    p.add_argument("output")
    p = sub.add_parser("forget-exports")
    p.add_argument("kind")
    p.add_argument("pk", type=int)
    p.add_argument("output")
    p = sub.add_parser("reminders")
    p.add_argument("output")
    p.add_argument("--commit", action="store_true")
    p = sub.add_parser("sessions")
    p.add_argument("targets")
    p.add_argument("output")
    args = parser.parse_args()
    commands = {
        "sessions": sessions,
        "discover": discover,
        "queries": queries,
        "integrity": integrity,
        "reminders": reminders,
        "forget-exports": forget_exports,
    }
    commands[args.command](args)


if __name__ == "__main__":
    main()
