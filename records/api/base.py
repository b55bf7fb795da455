"""What every collection of the API shares: read-only, anonymous, cursor-paginated, limited
per client address, with an ETag on every answer (a conditional GET gets 304), and each
page of a list kept rendered in the page cache until a write changes what it shows."""

import hashlib
from collections.abc import Iterable
from functools import partial
from typing import Any

from django.conf import settings
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    HttpResponsePermanentRedirect,
    JsonResponse,
)
from django.urls import Resolver404, resolve
from django.utils.cache import get_conditional_response
from django.utils.http import quote_etag
from django.utils.translation import gettext as _
from rest_framework import viewsets
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import Cursor, CursorPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle

from ogp_portal.core import page_cache
from ogp_portal.core.client_ip import client_ip

# The largest id a database column holds.
MAX_ID = 2**63 - 1


class PublicReadThrottle(AnonRateThrottle):
    """API_ANON_RATE requests per client address, counted in the shared cache.

    The address is the one every other per-address limit of the portal uses (behind
    TRUSTED_PROXY_COUNT proxies, from X-Forwarded-For). Keys start with "rl:" like the
    portal's other rate-limit counters, so during a Redis outage they are counted in each
    process rather than not at all (ogp_portal/core/resilient_cache.py)."""

    cache_format = "rl:api:%(scope)s:%(ident)s"

    def get_rate(self) -> str:
        # Read on each request, not once at import, so the setting can change in tests.
        return str(settings.API_ANON_RATE)

    def get_ident(self, request: Request) -> str:
        return client_ip(request._request)


class PublicCursorPagination(CursorPagination):
    """Cursor pagination in a stable order (the id): a page does not shift when records are
    added, and a deep page costs what the first does."""

    ordering = "pk"
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200

    def decode_cursor(self, request: Request) -> Cursor | None:
        """A cursor's position is an id (the order is by id): any other, even in a cursor a
        client made up, is "not found" like every cursor that is not valid, never a number
        the database cannot compare."""
        cursor = super().decode_cursor(request)
        position = str(cursor.position) if cursor and cursor.position is not None else None
        if position is not None and not (
            position.isascii() and position.isdigit() and int(position) <= MAX_ID
        ):
            raise NotFound(self.invalid_cursor_message)
        return cursor

    def get_page_size(self, request: Request) -> int:
        """`page_size` from 1 to max_page_size; anything else is refused (400), not silently
        replaced by the default, so a client learns that its request was not understood."""
        raw = request.query_params.getlist(self.page_size_query_param)
        if not raw:
            return self.page_size
        value = raw[-1]
        if len(raw) > 1 or not (value.isascii() and value.isdigit()):
            raise ValidationError({self.page_size_query_param: [_("Enter a whole number.")]})
        size = int(value)
        if not 1 <= size <= self.max_page_size:
            raise ValidationError(
                {
                    self.page_size_query_param: [
                        _("Enter a number from 1 to %(max)s.") % {"max": self.max_page_size}
                    ]
                }
            )
        return size

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"].update(minimum=1, maximum=self.max_page_size)
        return parameters


class PublicReadViewSet(viewsets.ReadOnlyModelViewSet):
    """A collection (list) and its records (detail), as anonymous visitors see them."""

    pagination_class = PublicCursorPagination
    throttle_classes = [PublicReadThrottle]
    authentication_classes: list[Any] = []
    # What the collection's records show, as page-cache scopes (ogp_portal/core/page_cache.py,
    # declared by the apps that own the models): a rendered page of the list is kept until a
    # write changes one of them. None: never kept (what the records show changes with the
    # clock, or no scope follows every write that changes it).
    cache_scopes: tuple[str, ...] | None = None

    def list_scopes(self, request: Request) -> Iterable[str] | None:
        """The scopes of this list request (a collection may narrow them by a filter)."""
        return self.cache_scopes

    def list(  # type: ignore[override]  # a stored page is a plain HttpResponse
        self, request: Request, *args: Any, **kwargs: Any
    ) -> HttpResponseBase:
        """A page of the list: from the cache while what it shows is unchanged (the page
        rendered by the first reader since the last write), otherwise rendered, once for
        all the readers asking at the same time (page_cache.serve_or_render)."""
        scopes = self.list_scopes(request)
        key = page_cache.stored_key(request._request, scopes) if scopes is not None else None
        if key is None:
            return super().list(request, *args, **kwargs)
        # Kept under the generations read above: a write committed meanwhile has moved on to
        # new ones, so that copy is never served.
        return page_cache.serve_or_render(
            key, partial(self._render_list, request, *args, **kwargs), self._serve
        )

    def _render_list(
        self, request: Request, *args: Any, **kwargs: Any
    ) -> page_cache.Rendered[HttpResponseBase]:
        response = super().list(request, *args, **kwargs)
        # Rendered here rather than by dispatch, to be kept: DRF's own finalize_response
        # gives it its renderer (finalize_response below does it again, which changes nothing).
        response = super().finalize_response(request, response, *args, **kwargs)
        response.render()
        if response.status_code != 200:
            return page_cache.Rendered(response)
        etag = self._etag(response.content)
        response["ETag"] = etag
        response["X-Page-Cache"] = "miss"
        keep = {"content": response.content, "content_type": response["Content-Type"], "etag": etag}
        return page_cache.Rendered(response, keep, settings.PAGE_CACHE_SECONDS)

    @staticmethod
    def _serve(stored: dict[str, Any], state: str) -> HttpResponse:
        response = HttpResponse(stored["content"], content_type=stored["content_type"])
        response["ETag"] = stored["etag"]
        response["X-Page-Cache"] = state
        return response

    @staticmethod
    def _etag(content: bytes) -> str:
        return quote_etag(hashlib.sha256(content).hexdigest()[:40])

    def finalize_response(  # type: ignore[override]  # may answer 304 (not a DRF Response)
        self, request: Request, response: Response, *args: Any, **kwargs: Any
    ) -> HttpResponseBase:
        """Every successful read carries an ETag (a digest of the body); a client that sends it
        back in If-None-Match gets 304 Not Modified without the body."""
        response = super().finalize_response(request, response, *args, **kwargs)
        if request.method not in ("GET", "HEAD") or response.status_code != 200:
            return response
        if isinstance(response, Response):
            response.render()
        content = getattr(response, "content", None)
        if content is None:
            return response
        etag = response.get("ETag") or self._etag(content)
        response["ETag"] = etag
        # Clients may keep a copy but must ask again (with the ETag) before using it.
        response["Cache-Control"] = "no-cache"
        conditional = get_conditional_response(request._request, etag=etag, response=response)
        return conditional if conditional is not None else response


def api_not_found(request: HttpRequest, path: str) -> HttpResponseBase:
    """Any other address under /api/v1/: 404 in JSON, like the API's own "not found"; an
    address that only lacks its final slash is redirected to it (as APPEND_SLASH does)."""
    if request.method in ("GET", "HEAD") and path and not path.endswith("/"):
        try:
            match = resolve(f"{request.path}/")
        except Resolver404:
            match = None
        if match is not None and match.url_name != "not-found":
            query = request.META.get("QUERY_STRING", "")
            return HttpResponsePermanentRedirect(
                f"{request.path}/" + (f"?{query}" if query else "")
            )
    return JsonResponse({"detail": _("Not found.")}, status=404)
