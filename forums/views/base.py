"""What every forum page shares: it runs in the member's time zone, and finds its forum.

Times on a forum's pages are shown in the member's time zone and typed times are read in
it. The lookups below activate that time zone as soon as they know the member;
`in_member_time_zone` deactivates it when the view is done, whatever happened, so the next
request on this thread starts from the default again.
"""

import functools
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone

from forums.models import Forum

FORUM_SELECT = ("member",)

View = Callable[..., HttpResponse]


def in_member_time_zone(view: View) -> View:
    """Deactivate the time zone a lookup activated once `view` has answered."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        finally:
            timezone.deactivate()

    return wrapper


def activate_time_zone(forum: Forum) -> None:
    timezone.activate(forum.member.time_zone)


def forum_for(slug: str) -> Forum:
    forum = get_object_or_404(Forum.objects.select_related(*FORUM_SELECT), member__slug=slug)
    activate_time_zone(forum)
    return forum
