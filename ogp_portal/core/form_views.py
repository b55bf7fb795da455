"""The one way from a request to a write, for function and class views alike.

A view parses the request, asks `require(request, perm, obj)` (rules), calls one service
through `run_service(form, call)`, and renders. A refused call leaves the reason on the form,
so the view re-renders the same form, with everything typed, and `refusal_status(error)`
(400, or 409 when someone else saved first). Nothing here decides anything: the service
does, and the `rules` predicates do.
"""

import logging
from collections.abc import Callable
from typing import Any, NoReturn, TypeVar

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.forms import BaseForm
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from rules.contrib.views import PermissionRequiredMixin as RulesPermissionRequiredMixin

from .errors import DomainError
from .locking import ConcurrentEditError

T = TypeVar("T")

# What a service may refuse with; anything else is a bug and stays a 500.
REFUSALS = (DomainError, ValidationError)


# Every refusal of a signed-in person (403) is logged here with who, what and on which object.
permission_logger = logging.getLogger("ogp_portal.permissions")


class SignInRequiredError(Exception):
    """Raised by `require` for anonymous people; SignInRedirectMiddleware sends them to sign
    in and back, so a function view needs no decorator of its own."""


def require(request: HttpRequest, perm: str, obj: Any = None) -> None:
    """Let the view go on if the user has `perm` on `obj` (a `rules` permission).

    Whoever may not even see `obj` gets 404, signed in or not (its existence does not leak);
    anonymous people who could see it are sent to sign in; signed-in people who see it but may
    not act get 403, logged.
    """
    if request.user.has_perm(perm, obj):
        return
    refuse(request, perm, obj)


def object_label(obj: Any) -> str:
    """`app.model:pk` for a model instance, as denials are logged."""
    if isinstance(obj, models.Model):
        return f"{obj._meta.label_lower}:{obj.pk}"
    return "-" if obj is None else repr(obj)


def _hidden_by_own_queryset(user: Any, obj: models.Model) -> bool | None:
    """True/False when obj's model has a `visible_to(user)` queryset, None otherwise."""
    visible_to = getattr(type(obj)._default_manager, "visible_to", None)
    if visible_to is None:
        return None
    try:
        visible = visible_to(user)
    except TypeError:  # a visible_to that needs more than the user (forum threads)
        return None
    return not visible.filter(pk=obj.pk).exists()


def is_hidden_from(user: Any, obj: Any) -> bool:
    """Whether `user` may not see `obj`: its model's `visible_to(user)` leaves it out, or,
    for a part without its own (a milestone, a policy area), that of the object it belongs
    to does. Each app states its visibility in `visible_to`; nothing is decided here."""
    if not isinstance(obj, models.Model):
        return False
    hidden = _hidden_by_own_queryset(user, obj)
    if hidden is not None:
        return hidden
    for field in obj._meta.concrete_fields:
        if isinstance(field, models.ForeignKey):
            parent = getattr(obj, field.name, None)
            if isinstance(parent, models.Model) and _hidden_by_own_queryset(user, parent):
                return True
    return False


def refuse(request: HttpRequest, perm: str, obj: Any = None) -> NoReturn:
    """The refusal for someone without `perm` on `obj`: 404 when they cannot see `obj` (signed
    in or not: a sign-in page would tell that a draft exists), else sign in (anonymous), else
    403, logged with user, permission and object."""
    user = request.user
    if is_hidden_from(user, obj):
        raise Http404
    if not user.is_authenticated:
        raise SignInRequiredError
    label = object_label(obj)
    permission_logger.warning(
        "Permission denied: user=%s permission=%s object=%s path=%s",
        user.pk,
        perm,
        label,
        request.path,
        extra={"user_id": user.pk, "permission": perm, "object": label},
    )
    raise PermissionDenied


class PermissionRequiredMixin(RulesPermissionRequiredMixin):
    """django-rules' mixin with the portal's refusals: anonymous → sign in, cannot see the
    object → 404, sees it but may not act → 403, logged (see `refuse`)."""

    request: HttpRequest

    def handle_no_permission(self) -> HttpResponseRedirect:
        obj = self.get_permission_object()
        if not self.request.user.is_authenticated and not is_hidden_from(self.request.user, obj):
            return super().handle_no_permission()
        refuse(self.request, ",".join(self.get_permission_required()), obj)


class SignInRedirectMiddleware:
    """Turns `SignInRequiredError` from any view into the login page, returning here after."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, SignInRequiredError):
            return redirect_to_login(request.get_full_path())
        return None


def add_validation_errors(form: BaseForm, error: ValidationError) -> None:
    """Put a model ValidationError on the form's fields (or on the form as a whole)."""
    if hasattr(error, "error_dict"):
        for field, problems in error.message_dict.items():
            form.add_error(field if field in form.fields else None, problems)
    else:
        form.add_error(None, error.messages)


def add_refusal(form: BaseForm, error: Exception) -> None:
    """Show a service's refusal on `form`: per-field errors on their fields (model validation,
    or a DomainError carrying `errors`), anything else on the form as a whole."""
    if isinstance(error, ValidationError):
        add_validation_errors(form, error)
        return
    field_errors = getattr(error, "errors", None)
    if isinstance(field_errors, dict):
        for field, message in field_errors.items():
            form.add_error(field if field in form.fields else None, message)
    else:
        form.add_error(None, str(error))


def refusal_status(error: Exception | None) -> int:
    """The status of a page re-rendered after a refusal: 409 when someone else saved first."""
    return 409 if isinstance(error, ConcurrentEditError) else 400


def run_service(form: BaseForm, call: Callable[[], T]) -> tuple[T | None, Exception | None]:
    """Call one service. Returns (result, None) when it acted, or (None, the refusal) when it
    refused; the refusal's reason is then on `form`, whose data (what was typed) is kept."""
    try:
        return call(), None
    except REFUSALS as error:
        add_refusal(form, error)
        return None, error


def refusal_text(error: Exception) -> str:
    """A refusal as one sentence, for a message after a redirect."""
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error)


def run_action(
    request: HttpRequest, call: Callable[[], T], *, level: int = messages.ERROR
) -> tuple[T | None, Exception | None]:
    """Call one service for a button with nothing typed (a transition, a follow, a delete).
    Like `run_service`, but a refusal becomes a message (an error unless `level` says
    otherwise) for the page the view then redirects to, since there is no form to show again."""
    try:
        return call(), None
    except REFUSALS as error:
        messages.add_message(request, level, refusal_text(error))
        return None, error


def keep_typed_text_against(form: BaseForm, error: ConcurrentEditError) -> None:
    """After a lost save, point the form's hidden version at the stored one: the typed text
    stays, and saving again after comparing replaces the other save instead of losing to it
    once more."""
    if error.current_version is not None and "version" in form.fields:
        version = str(error.current_version)
        if isinstance(form.data, QueryDict):
            data = form.data.copy()  # keeps every value of multi-valued fields
            data["version"] = version
            form.data = data
        else:
            form.data = {**form.data, "version": version}


class ServiceFormMixin:
    """The same idiom for class-based form views: a refused change shows the form again with
    the reason and everything typed; a save that lost to someone else's answers 409."""

    def service_data(self, form: BaseForm) -> dict[str, Any]:
        """The cleaned data without the optimistic-locking version and submission token."""
        return {
            k: v for k, v in form.cleaned_data.items() if k not in ("version", "submission_token")
        }

    def call_service(self, form: BaseForm, call: Callable[[], T]) -> tuple[T | None, Any]:
        """(result, None) when `call()` succeeds, else (None, the response to return)."""
        result, error = run_service(form, call)
        if error is None:
            return result, None
        if isinstance(error, ConcurrentEditError):
            keep_typed_text_against(form, error)
            context = self.get_context_data(form=form, conflict=error)  # type: ignore[attr-defined]
            return None, self.render_to_response(context, status=409)  # type: ignore[attr-defined]
        return None, self.form_invalid(form)  # type: ignore[attr-defined]
