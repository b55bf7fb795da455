"""What every forum page shares: it runs in the member's time zone, and finds its forum.

The lookups below activate that time zone as soon as they know the member;
`in_member_time_zone` (core) deactivates it when the view is done.
"""

from django.shortcuts import get_object_or_404
from django.utils import timezone

from forums.models import Forum

FORUM_SELECT = ("member",)


def activate_time_zone(forum: Forum) -> None:
    timezone.activate(forum.member.time_zone)


def forum_for(slug: str) -> Forum:
    forum = get_object_or_404(Forum.objects.select_related(*FORUM_SELECT), member__slug=slug)
    activate_time_zone(forum)
    return forum
