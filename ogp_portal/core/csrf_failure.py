"""The page for a form whose security check failed (CSRF_FAILURE_VIEW).

Usually the form was open for a long time, or the person signed in or out in another tab,
so its token no longer matches. Nothing was saved; instead of Django's technical page the
person sees the portal's layout, what they typed (read back from the POST, never passwords
or tokens) and how to send it again.
"""

from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.http import url_has_allowed_host_and_scheme

from .outage import typed_fields


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """403 in the portal's layout with the typed text kept; `reason` stays in the logs."""
    fields = typed_fields(request)
    referer = request.headers.get("Referer", "")
    back = (
        referer
        if url_has_allowed_host_and_scheme(
            referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
        else ""
    )
    body = render_to_string(
        "403_csrf.html",
        {"fields": fields, "had_files": bool(request.FILES) if fields else False, "back": back},
        request=request,
    )
    response = HttpResponse(body, status=403)
    response["Cache-Control"] = "no-store"
    return response
