"""Production: transport hardening on top of base. Fails fast without SECRET_KEY/ALLOWED_HOSTS."""

import os

os.environ["DEBUG"] = "false"  # production never runs with DEBUG on

from django.core.exceptions import ImproperlyConfigured  # noqa: E402

from .base import *  # noqa: E402, F403
from .base import ALLOWED_HOSTS, TRUSTED_PROXY_COUNT, env  # noqa: E402

if not ALLOWED_HOSTS:
    raise ImproperlyConfigured(
        "ALLOWED_HOSTS is not set. Set it to the portal's host names, comma-separated."
    )

# X-Forwarded-Proto says "the visitor used HTTPS" only when a proxy we run sets it; without
# one, any client could send it. So it is trusted only when TRUSTED_PROXY_COUNT says a
# reverse proxy is in front (docker-compose: nginx, which overwrites the header).
if TRUSTED_PROXY_COUNT > 0:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
# The container health check calls /health/ over plain HTTP from inside the container.
SECURE_REDIRECT_EXEMPT = [r"^health/$"]
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
# Secure by default, as government services are expected to be; set false to opt out.
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
