"""A forum meeting's minutes as a PDF: agenda, attendance by sector, decisions, action items
and the minutes text. Public once the minutes are published; before that only for the
people who keep or read the record (the member's civil servants, forum participants, the
secretariat)."""

from django.utils.text import slugify
from django.utils.translation import gettext as _

from forums.models import ForumMeeting
from forums.rules import is_forum_participant
from ogp_portal.core.exports import Progress
from ogp_portal.core.languages import text_direction
from ogp_portal.organisations.access import access_for

from . import render_document

KIND = "minutes"
MODEL = ForumMeeting
TEMPLATE = "pdf/minutes.html"


def can_export(user, meeting: ForumMeeting) -> bool:
    if meeting.minutes_are_published or access_for(user).is_secretariat:
        return True
    forum = meeting.forum
    return user.has_perm("forums.publish_minutes", forum) or bool(is_forum_participant(user, forum))


def filename(meeting: ForumMeeting, language: str) -> str:
    day = meeting.starts_at.date().isoformat()
    return f"minutes-{day}-{slugify(meeting.title)[:60] or meeting.pk}-{language}.pdf"


def meeting_minutes_for_export(meeting: ForumMeeting, language: str) -> dict:
    """The meeting with its record, in five queries (selector)."""
    meeting = ForumMeeting.objects.select_related("forum__member", "working_group", "plan").get(
        pk=meeting.pk
    )
    attendance = [row for row in meeting.attendance.order_by("sector") if row.count]
    return {
        "meeting": meeting,
        "forum": meeting.forum,
        "member": meeting.forum.member,
        "time_zone": meeting.forum.member.time_zone,
        "attendance": attendance,
        "attendance_total": sum(row.count for row in attendance),
        # With each seat's vote: the PDF explains every motion's result.
        "decisions": list(meeting.decisions.prefetch_related("votes").order_by("position", "pk")),
        "action_items": list(meeting.action_items.order_by("due_on", "pk")),
        "language": language,
        "direction": text_direction(language),
    }


def build(meeting: ForumMeeting, language: str, progress: Progress) -> str:
    progress(10, _("Reading the meeting's record"))
    context = meeting_minutes_for_export(meeting, language)
    progress(25, _("Writing the document"))
    return render_document(TEMPLATE, context)
