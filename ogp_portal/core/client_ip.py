"""The address of the person making the request, for per-address limits.

Directly on the internet, that is REMOTE_ADDR and nothing a client sends can change it.
Behind reverse proxies (a load balancer, nginx), REMOTE_ADDR is the nearest proxy and each
proxy appends the address it received the request from to X-Forwarded-For: with
TRUSTED_PROXY_COUNT = N, the client is the N-th address from the right. Entries further left
were written by the client itself and are never trusted. Set N to exactly the number of
proxies in front of the portal: more lets clients choose their own address.
"""

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    """django-ratelimit's RATELIMIT_IP_META_KEY (settings/base.py) points here."""
    remote = request.META.get("REMOTE_ADDR", "")
    proxies = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if proxies <= 0:
        return remote
    chain = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    chain = [a for a in chain if a]
    if len(chain) < proxies:
        return remote  # not the chain our proxies write: fall back to the connection
    candidate = chain[-proxies]
    try:
        ipaddress.ip_address(candidate)
    except ValueError:
        return remote
    return candidate
