"""Secretariat accounts must use two-factor authentication before doing anything else."""

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from ogp_portal.organisations.access import access_for

# Paths a secretariat member without 2FA may still reach: the account pages (where 2FA is
# set up), language switching, static files and the health check.
_ALLOWED_PREFIXES = ("/accounts/", "/i18n/", "/static/", "/health/")


class RequireSecretariatMFAMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            settings.OGP_REQUIRE_SECRETARIAT_MFA
            and user.is_authenticated
            and not request.path.startswith(_ALLOWED_PREFIXES)
            and access_for(user).is_secretariat
            and not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
        ):
            messages.warning(
                request,
                _(
                    "Secretariat accounts must use two-factor authentication. "
                    "Set up an authenticator app to continue."
                ),
            )
            return redirect(reverse("mfa_activate_totp"))
        return self.get_response(request)
