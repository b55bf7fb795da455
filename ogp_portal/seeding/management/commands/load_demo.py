"""Load the demo data of every app, lower apps first. Running it twice changes nothing.

It is project tooling (ogp_portal/seeding/) because it writes every app's data (see
shared/architecture.md); each app keeps its own part in `<app>/demo.py`.
"""

from django.core.management.base import BaseCommand
from django.db import transaction

from commitments import demo as commitments_demo
from consultations import demo as consultations_demo
from consultations import demo_influence, demo_local
from forums import demo as forums_demo
from ogp_portal.guides import demo as guides_demo
from ogp_portal.organisations import demo as organisations_demo
from plans import demo as plans_demo
from records import demo as records_demo


class Command(BaseCommand):
    help = "Load realistic demo data (idempotent) and print one login per role."

    def add_arguments(self, parser):
        parser.add_argument("--quiet-logins", action="store_true", help="Do not print logins.")

    @transaction.atomic
    def handle(self, *args, **options):
        loaded = organisations_demo.load()
        loaded |= guides_demo.load()
        loaded |= plans_demo.load(loaded["members"])
        loaded |= commitments_demo.load(loaded["plans"])
        loaded |= consultations_demo.load(loaded["plans"])
        loaded |= demo_influence.load(loaded["plans"])
        loaded |= demo_local.load(loaded["plans"])
        loaded |= forums_demo.load(loaded)
        loaded |= records_demo.load(loaded)
        consultations_demo.date_before_posting_limit()
        self.stdout.write(self.style.SUCCESS("Demo data loaded."))
        if not options["quiet_logins"]:
            self.stdout.write(
                f"Demo logins (password for all: {organisations_demo.DEMO_PASSWORD}):"
            )
            for email, label in organisations_demo.ROLE_LABELS.items():
                self.stdout.write(f"  {email:40} {label}")
