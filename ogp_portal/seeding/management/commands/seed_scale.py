"""Fill the database with a reproducible, national-scale data set for benchmarks.

    python manage.py seed_scale                 # full size (PostgreSQL: about 2.4 M rows)
    python manage.py seed_scale --scale 0.01    # a quick run
    python manage.py seed_scale --today 2026-03-01 --seed 7

Same --seed, --scale and --today on a fresh database: the same rows and ids. Every account
signs in with the password in ogp_portal/seeding/scale/context.py (ogp-scale-2026). See
ogp_portal/seeding/scale/.
"""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from ogp_portal.core import page_cache
from ogp_portal.seeding import scale


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(f"--today: {error}") from error


class Command(BaseCommand):
    help = "Fill a fresh database with reproducible national-scale data (benchmarks)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale", type=float, default=1.0, help="Factor on every count (default 1: full)."
        )
        parser.add_argument("--seed", type=int, default=2026, help="Random seed (default 2026).")
        parser.add_argument(
            "--today",
            type=_date,
            default=None,
            help="Anchor date YYYY-MM-DD; every date derives from it (default: today).",
        )
        parser.add_argument("--users", type=int, help="Number of accounts (overrides --scale).")
        parser.add_argument("--comments", type=int, help="Number of comments (overrides --scale).")
        parser.add_argument(
            "--pending-deadlines",
            type=int,
            help="Future milestones to add on top of the regular ones (default: enough to "
            "reach 100,000 pending deadlines at full scale, scaled).",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Write into a database that already holds other (non-scale) data.",
        )

    def handle(self, *args, **options):
        if options["scale"] <= 0:
            raise CommandError("--scale must be positive.")
        sizes = scale.Sizes.at(
            options["scale"],
            users=options["users"],
            comments=options["comments"],
            pending_deadlines=options["pending_deadlines"],
        )
        today = options["today"] or timezone.now().date()
        self.stdout.write(
            f"Seeding scale {options['scale']} (seed {options['seed']}, today {today}) "
            f"into {self._database()}"
        )
        try:
            summary = scale.seed(
                scale=options["scale"],
                seed_value=options["seed"],
                today=today,
                sizes=sizes,
                force=options["force"],
                log=self.stdout.write,
            )
        except scale.SeedRefused as error:
            raise CommandError(str(error)) from error
        # Bulk inserts send no signals: drop every cached public page.
        page_cache.changed("all")
        path = scale.write_summary(summary)
        total = sum(summary["rows"].values())
        self.stdout.write(
            self.style.SUCCESS(f"Done: {total:,} rows in {summary['seconds']:.1f} s.")
        )
        self.stdout.write(
            f"  Big consultation: {summary['big_consultation_id']} "
            f"(/consultations/{summary['big_consultation_id']}/proposals/)\n"
            f"  Big proposal:     {summary['big_proposal_id']} "
            f"(/consultations/proposals/{summary['big_proposal_id']}/)\n"
            f"  Logins: {summary['citizen_emails']}; {summary['staff_emails']}\n"
            f"  Password of every account: {summary['password']}\n"
            f"  Pending deadlines: {summary['pending_deadlines']}\n"
            f"  Summary written to {path}"
        )

    def _database(self) -> str:
        from django.db import connection

        return f"{connection.vendor} database {connection.settings_dict['NAME']}"
