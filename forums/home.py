"""The forum's part of the home page and of a member's page: coming meetings, the latest
decisions (from meetings whose minutes are published) and the link to the member's forum."""

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from forums.choices import MeetingStatus
from forums.models import Decision, Forum, ForumMeeting

SHOWN = 5


def home_meetings(request: HttpRequest) -> dict[str, Any]:
    now = timezone.now()
    meetings = list(
        ForumMeeting.objects.filter(starts_at__gte=now, status=MeetingStatus.SCHEDULED)
        .select_related("forum__member")
        .order_by("starts_at", "pk")[:SHOWN]
    )
    decisions = list(
        Decision.objects.filter(meeting__status=MeetingStatus.MINUTES_PUBLISHED)
        .select_related("meeting__forum__member")
        .order_by("-meeting__starts_at", "-pk")[:SHOWN]
    )
    return {"meetings": meetings, "decisions": decisions}


def forum_member_link(member: object) -> list[tuple[str, str]]:
    member_pk: int = getattr(member, "pk", 0)
    forum = Forum.objects.filter(member_id=member_pk).first()
    if forum is None:
        return []
    return [(_("Multi-stakeholder forum"), forum.get_absolute_url())]
