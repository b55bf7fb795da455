"""Pages for a signed-in person are theirs alone: no browser or proxy may keep a copy.

After signing out on a shared computer, the back button or a proxy cache must not show the
inbox, a draft or a private download again. Every response to a signed-in person (pages
and file downloads alike) therefore says ``Cache-Control: private, no-store``, replacing
whatever the view set. Anonymous readers are untouched: public pages stay cacheable.
"""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponseBase

PRIVATE_CACHE_CONTROL = "private, no-store"


class PrivateCacheControlMiddleware:
    """Mark every response to a signed-in person ``private, no-store``.

    Sits after AuthenticationMiddleware, so request.user is known.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            response["Cache-Control"] = PRIVATE_CACHE_CONTROL
            # A no-store answer needs no validators or expiry for caches to act on.
            for header in ("Expires", "Last-Modified", "ETag"):
                if header in response:
                    del response[header]
        return response
