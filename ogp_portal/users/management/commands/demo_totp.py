"""Print the current two-factor code of the demo secretariat account."""

from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.core.management.base import BaseCommand
from django.utils import timezone

from ogp_portal.organisations.demo import DEMO_TOTP_SECRET

TOTP_PERIOD = 30


class Command(BaseCommand):
    help = "Print the demo secretariat's current TOTP code (demo data only)."

    def handle(self, *args, **options):
        counter = int(timezone.now().timestamp()) // TOTP_PERIOD
        code = format_hotp_value(hotp_value(DEMO_TOTP_SECRET, counter))
        self.stdout.write(f"Current 2FA code for secretariat@demo.example.org: {code}")
