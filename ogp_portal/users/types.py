"""Type names for "whoever is asking": rules predicates and selectors take either a signed-in
person or Django's anonymous user (what `request.user` is)."""

from typing import TypeAlias

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest

from .models import User

AnyUser: TypeAlias = User | AnonymousUser


class AuthenticatedHttpRequest(HttpRequest):
    """The request of a view that only signed-in people reach (LoginRequiredMixin,
    @login_required): its `user` is a User, never the anonymous user. For type checking
    only; Django builds the request."""

    user: User
