"""A reproducible, national-scale data set for benchmarks (`manage.py seed_scale`).

Everything derives from (seed, scale, today): the same three give the same rows, ids and
counts on a fresh database. Rows go in through COPY (PostgreSQL) or batched inserts
(SQLite) with explicit keys; denormalised counters are recomputed by one UPDATE … FROM per
counter at the end. It is project tooling (ogp_portal/seeding/) because it writes every
app's tables.
"""

import datetime as dt
import json
import time
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import DatabaseError, connection, transaction
from django.utils import translation

from consultations.models import Comment, Consultation, Proposal, Support
from ogp_portal.organisations.models import Member
from plans.models import ActionPlan

from . import consultations, forum_records, ledger, people, plans
from .context import EMAIL_DOMAIN, PASSWORD, SLUG_PREFIX, Context, Sizes
from .writer import Writer

__all__ = ["PASSWORD", "SeedRefused", "Sizes", "seed", "summary_path"]


class SeedRefused(Exception):
    """The database is not one the seed may write into."""


def summary_path() -> Path:
    return Path(settings.VAR_DIR) / "scale-seed.json"


def check_database(*, force: bool) -> None:
    """Refuse a database that already holds scale data (ids and e-mails would clash), and
    one holding other data unless forced (a dev or demo database is not a benchmark)."""
    users = get_user_model().objects
    if (
        Member.objects.filter(slug__startswith=SLUG_PREFIX).exists()
        or users.filter(email__startswith="scale-", email__endswith=EMAIL_DOMAIN).exists()
    ):
        raise SeedRefused(
            "This database already holds scale data. Seed a fresh database "
            "(createdb + migrate), or empty this one with `manage.py flush` first."
        )
    if not force and any(
        model.objects.exists() for model in (get_user_model(), Member, ActionPlan, Consultation)
    ):
        raise SeedRefused(
            "This database already holds data (users, members, plans or consultations). "
            "Use a fresh database for the scale data, or pass --force to add it anyway."
        )


def _skip_foreign_key_triggers() -> bool:
    """On PostgreSQL, foreign keys are checked by deferred triggers: millions of queued
    checks at commit. A superuser may switch them off for this transaction
    (session_replication_role); the keys are then verified afterwards, one anti-join per
    foreign key (Writer.verify_foreign_keys). Without the privilege, the triggers run."""
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL session_replication_role = replica")
    except DatabaseError:
        return False
    return True


def _refresh_counters(writer: Writer) -> None:
    """Proposal.support_count and comment_count from the rows, one UPDATE … FROM each
    (deleted comments do not count, as in the comment services)."""
    proposal = Proposal._meta.db_table
    for column, table, where in (
        ("support_count", Support._meta.db_table, ""),
        (
            "comment_count",
            Comment._meta.db_table,
            "WHERE deleted_at IS NULL AND proposal_id IS NOT NULL",
        ),
    ):
        writer.execute(
            f"{proposal}.{column}",
            f"UPDATE {proposal} SET {column} = agg.n FROM "  # noqa: S608 -- table names only
            f"(SELECT proposal_id, COUNT(*) AS n FROM {table} {where} GROUP BY proposal_id) AS agg "
            f"WHERE {proposal}.id = agg.proposal_id",
        )


def seed(
    *,
    scale: float = 1.0,
    seed_value: int = 2026,
    today: dt.date,
    sizes: Sizes | None = None,
    force: bool = False,
    log=print,
) -> dict:
    """Fill the database; return the summary (also written to var/scale-seed.json)."""
    sizes = sizes or Sizes.at(scale)
    started = time.monotonic()
    check_database(force=force)
    writer = Writer(log)
    ctx = Context(seed=seed_value, sizes=sizes, today=today, writer=writer, log=log)
    with translation.override("en"), transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                # A crash loses the whole seed anyway (one transaction): no need to wait
                # for each commit to reach the disk.
                cursor.execute("SET LOCAL synchronous_commit = off")
                # Index builds after the big COPYs sort in memory.
                cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
            checks_skipped = _skip_foreign_key_triggers()
        log("People and organisations")
        people.make_members(ctx)
        people.make_organisations(ctx)
        people.make_users(ctx)
        people.make_roles(ctx)
        log("Plans and commitments")
        plans.make_plans(ctx)
        plans.make_commitments(ctx)
        log("Consultations")
        windows = consultations.make_consultations(ctx)
        proposals = consultations.make_proposals(ctx, windows)
        consultations.make_comments(ctx, windows, proposals)
        consultations.make_supports(ctx, proposals)
        consultations.make_questions(ctx, windows)
        log("Ledger of inputs")
        ledger.make_ledger(ctx)
        log("Forums and repository")
        forum_records.make_forums(ctx)
        log("Counters and sequences")
        _refresh_counters(writer)
        writer.reset_sequences()
        if connection.vendor == "postgresql" and checks_skipped:
            writer.verify_foreign_keys()
    if connection.vendor == "postgresql":
        # VACUUM too, not only ANALYZE: fresh tables have no visibility map, so counts could not
        # use index-only scans until autovacuum comes by (and it may be switched off).
        # (Inside a surrounding transaction, as in tests, only ANALYZE can run.)
        if connection.in_atomic_block:
            writer.execute("ANALYZE", "ANALYZE")
        else:
            writer.execute("VACUUM (ANALYZE)", "VACUUM (ANALYZE)")
    seconds = time.monotonic() - started
    return {
        "seed": seed_value,
        "scale": scale,
        "today": today.isoformat(),
        "database": connection.settings_dict["NAME"],
        "big_consultation_id": ctx.big_consultation,
        "big_proposal_id": ctx.big_proposal,
        "password": PASSWORD,
        "citizen_emails": f"scale-user-000001@{EMAIL_DOMAIN} … "
        f"{people.citizen_email(ctx.citizens[1], max(6, len(str(ctx.citizens[1]))))}",
        "staff_emails": f"scale-civil-servant-001@{EMAIL_DOMAIN} (also commitment-lead, "
        "moderator, forum-member; one per member, numbered like the members)",
        "pending_deadlines": ctx.pending,
        "rows": writer.counts,
        "seconds": round(seconds, 1),
    }


def write_summary(summary: dict) -> Path:
    path = summary_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(summary, indent=2) + "\n")
    return path
