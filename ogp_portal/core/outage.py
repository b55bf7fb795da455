"""When the database does not answer: 503 + Retry-After, the typed text shown back.

Django turns an exception raised anywhere in a request (a view, a template, the session or
authentication middleware, the session written back on the way out) into a response by
calling the URLconf's ``handler500`` while the exception is being handled. ``server_error``
is that handler: for a lost or refused database connection (PostgreSQL stopped or
restarting, SQLite locked beyond its busy timeout) it answers 503 with ``Retry-After``, in
the portal's layout, with the fields the person typed read back from the POST so that they
can copy them; every other error keeps Django's plain 500 page.

The page is rendered without a request context: no user, no session, no context processor,
no CSRF token, so it costs no query (the database is the thing that is down). Django has
already logged the error with its traceback.
"""

from __future__ import annotations

import logging
import sys
from dataclasses import dataclass

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.defaults import server_error as django_server_error

from .load_shedding import LONG_TEXT_FIELDS, SECRET_FIELDS

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 60
# Form plumbing, not anything a person typed: never shown back.
_NOT_TYPED = frozenset(("csrfmiddlewaretoken", "submission_token", "token", "version", "next"))
# SQLite reports some mistakes in the SQL itself as OperationalError: those are bugs (500).
_SQLITE_BUGS = ("no such ", "near ", "table ", "too many ")


@dataclass(frozen=True)
class TypedField:
    name: str
    label: str
    value: str
    is_long: bool


def is_database_outage(error: BaseException | None) -> bool:
    """True if `error` (or what caused it) is the database being unreachable or too busy."""
    seen = 0
    while error is not None and seen < 5:
        if isinstance(error, InterfaceError):
            return True
        if isinstance(error, OperationalError):
            message = str(error).lower()
            return not (
                "sqlite" in type(error.__cause__).__module__
                and message.startswith(_SQLITE_BUGS)
                and "locked" not in message
            )
        error = error.__cause__ or error.__context__
        seen += 1
    return False


def typed_fields(request: HttpRequest) -> list[TypedField]:
    """What the person typed into the form they sent: never passwords, tokens or files."""
    if request.method != "POST" or request.content_type not in (
        "application/x-www-form-urlencoded",
        "multipart/form-data",
    ):
        return []
    try:
        post = request.POST
    except Exception:  # noqa: BLE001 -- a body that cannot be read again has nothing to show
        logger.warning("database outage page: could not read the form", exc_info=True)
        return []
    fields = []
    for name, values in post.lists():
        if name in SECRET_FIELDS or name in _NOT_TYPED or "password" in name:
            continue
        for value in values:
            if not value.strip():
                continue
            is_long = name in LONG_TEXT_FIELDS or "\n" in value or len(value) > 120
            label = _("Your text") if name in LONG_TEXT_FIELDS else name.replace("_", " ")
            fields.append(TypedField(name, label.capitalize(), value, is_long))
    return fields


def outage_response(request: HttpRequest) -> HttpResponse:
    """The 503 page for a database outage (no query, no session, no user)."""
    fields = typed_fields(request)
    body = render_to_string(
        "503.html",
        {
            "retry_after": RETRY_AFTER_SECONDS,
            "fields": fields,
            "had_files": bool(fields and request.FILES),
            "back": request.get_full_path() if request.method == "GET" else "",
        },
    )
    response = HttpResponse(body, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


def server_error(request: HttpRequest, template_name: str = "500.html") -> HttpResponse:
    """The portal's handler500: a database outage is a 503 that keeps the text, the rest 500."""
    if is_database_outage(sys.exc_info()[1]):
        try:
            return outage_response(request)
        except Exception:  # the outage page itself must never turn into a second error
            logger.exception("database outage page could not be rendered")
            response = HttpResponse(
                _("The portal cannot reach its database. Try again in a minute."),
                content_type="text/plain; charset=utf-8",
                status=503,
            )
            response["Retry-After"] = str(RETRY_AFTER_SECONDS)
            return response
    return django_server_error(request, template_name)
