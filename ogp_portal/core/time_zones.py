"""Pages that run in a member's time zone.

A view's lookup activates the member's zone as soon as it knows the member (times are then
shown in it and typed times read in it); `in_member_time_zone` deactivates it once the view
has answered, whatever happened, so the next request on this thread starts from the default.
"""

import functools
from collections.abc import Callable
from typing import Any, TypeVar, cast

from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.utils import timezone

# Any view, whatever response it answers with (a page, a file download); the decorated view
# keeps its own signature.
View = TypeVar("View", bound=Callable[..., HttpResponseBase])


def in_member_time_zone(view: View) -> View:
    """Deactivate the time zone a lookup activated once `view` has answered."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        try:
            return view(request, *args, **kwargs)
        finally:
            timezone.deactivate()

    return cast(View, wrapper)
