"""allauth's adapter, so that account e-mails link to the portal's one canonical address.

allauth builds the links in its e-mails (confirm your address, reset your password, someone
tried to sign up) from the request that triggered them: the Host header that request came
with. Every other e-mail of the portal links to SITE_URL; these do too, so a person never
gets a link to whatever address a request used (an internal name, a proxy's port).
"""

from types import SimpleNamespace
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.core.mail import EmailMessage


def canonical_url(url: str) -> str:
    """`url` with its scheme and host (and any path prefix) taken from SITE_URL."""
    parts = urlsplit(url)
    site = urlsplit(settings.SITE_URL)
    path = site.path.rstrip("/") + parts.path
    return urlunsplit((site.scheme, site.netloc, path, parts.query, parts.fragment))


class AccountAdapter(DefaultAccountAdapter):
    def render_mail(
        self,
        template_prefix: str,
        email: str | list[str],
        context: dict[str, Any],
        headers: dict[str, str] | None = None,
    ) -> EmailMessage:
        # The links allauth puts in its e-mails: activate_url, password_reset_url, signup_url …
        context = {
            key: canonical_url(value)
            if key.endswith("_url") and isinstance(value, str) and "://" in value
            else value
            for key, value in context.items()
        }
        # "Hello from <site>!": the public host name, not the request's Host header.
        host = urlsplit(settings.SITE_URL).netloc
        context["current_site"] = SimpleNamespace(name=host, domain=host)
        return super().render_mail(template_prefix, email, context, headers)
