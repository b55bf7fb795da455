"""Meetings: scheduling, attendance, decisions, action items and the minutes."""

import datetime as dt
from typing import Any

from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from forums.choices import (
    MeetingStatus,
)
from forums.models import (
    ActionItem,
    Decision,
    Forum,
    ForumMeeting,
    MeetingAttendance,
    WorkingGroup,
)
from forums.publications import Publication, published
from forums.stewardship import co_chair_user_ids
from forums.workflows import MEETING_TRANSITIONS, can_transition
from ogp_portal.core.audit import record_event
from ogp_portal.core.errors import DomainError
from ogp_portal.core.stored_files import StoredFiles, stored_files
from ogp_portal.users.models import User
from plans.models import ActionPlan

from .forum import SECTORS


@transaction.atomic
def meeting_schedule(
    forum: Forum,
    *,
    actor: User,
    title: str,
    kind: str,
    starts_at: dt.datetime,
    agenda: str,
    ends_at: dt.datetime | None = None,
    location: str = "",
    online_url: str = "",
    working_group: WorkingGroup | None = None,
    plan: ActionPlan | None = None,
) -> ForumMeeting:
    """Schedule a meeting of the forum (or one of its working groups): a time, a place or an
    online link, and an agenda."""
    if timezone.is_naive(starts_at) or (ends_at is not None and timezone.is_naive(ends_at)):
        raise DomainError(_("Times must carry a time zone."))
    if ends_at is not None and ends_at <= starts_at:
        raise DomainError(_("A meeting must end after it starts."))
    if not location.strip() and not online_url.strip():
        raise DomainError(_("Give a place or an online link."))
    if working_group is not None and working_group.forum_id != forum.pk:
        raise DomainError(_("The working group belongs to another forum."))
    if plan is not None and plan.member_id != forum.member_id:
        raise DomainError(_("The action plan belongs to another member."))
    meeting = ForumMeeting.objects.create(
        forum=forum,
        working_group=working_group,
        plan=plan,
        title=title,
        kind=kind,
        starts_at=starts_at,
        ends_at=ends_at,
        location=location,
        online_url=online_url,
        agenda=agenda,
        scheduled_by=actor,
    )
    record_event(
        actor,
        "forums.meeting.scheduled",
        meeting,
        kind=kind,
        starts_at=starts_at.isoformat(),
        working_group=working_group.pk if working_group else None,
    )
    return meeting


def move_meeting(meeting: ForumMeeting, new: str, **fields: Any) -> str:
    """Compare-and-set the meeting's status; returns the old one."""
    old = meeting.status
    if not can_transition(MEETING_TRANSITIONS, old, new):
        if old == MeetingStatus.MINUTES_PUBLISHED:
            raise DomainError(_("The minutes of this meeting are published; it is on record."))
        if old == MeetingStatus.AWAITING_SIGNATURES:
            raise DomainError(
                _("The minutes are awaiting the co-chairs' signatures; the record is closed.")
            )
        raise DomainError(_("Record the attendance before publishing the minutes."))
    updated = ForumMeeting.objects.filter(pk=meeting.pk, status=old).update(
        status=new, updated_at=timezone.now(), **fields
    )
    if not updated:
        raise DomainError(_("Someone else changed this meeting meanwhile; reload and retry."))
    meeting.refresh_from_db()
    return old


@transaction.atomic
def meeting_record_attendance(
    meeting: ForumMeeting,
    *,
    actor: User,
    counts: dict[str, int],
    now: dt.datetime | None = None,
) -> ForumMeeting:
    """Record how many people of each sector attended; the meeting is then held. Refused
    before the meeting starts and once its minutes are published."""
    now = now or timezone.now()
    if meeting.starts_at > now:
        raise DomainError(_("Attendance is recorded once the meeting has started."))
    if sum(int(counts.get(s) or 0) for s in SECTORS) <= 0:
        raise DomainError(_("Nobody attended? Enter at least one person."))
    old = move_meeting(meeting, MeetingStatus.HELD)
    for sector in SECTORS:
        MeetingAttendance.objects.update_or_create(
            meeting=meeting, sector=sector, defaults={"count": int(counts.get(sector) or 0)}
        )
    record_event(
        actor,
        "forums.meeting.attendance_recorded",
        meeting,
        from_state=old,
        to_state=MeetingStatus.HELD,
        attendance={s: int(counts.get(s) or 0) for s in SECTORS},
    )
    return meeting


def _check_minutes_open(meeting: ForumMeeting) -> None:
    if meeting.status == MeetingStatus.MINUTES_PUBLISHED:
        raise DomainError(_("The minutes of this meeting are published; it is on record."))


def check_record_open(meeting: ForumMeeting) -> None:
    """Decisions and action items are added until the minutes are drafted for signature
    or published: what the co-chairs sign does not change under them."""
    _check_minutes_open(meeting)
    if meeting.status == MeetingStatus.AWAITING_SIGNATURES:
        raise DomainError(
            _("The minutes are awaiting the co-chairs' signatures; the record is closed.")
        )


@transaction.atomic
def decision_add(meeting: ForumMeeting, *, actor: User, text: str) -> Decision:
    """Record a decision of the meeting, before its minutes are published."""
    check_record_open(meeting)
    if not text.strip():
        raise DomainError(_("Write the decision."))
    position = meeting.decisions.count() + 1
    decision = Decision.objects.create(meeting=meeting, text=text.strip(), position=position)
    record_event(actor, "forums.decision.recorded", decision, meeting=meeting.pk)
    return decision


@transaction.atomic
def action_item_add(
    meeting: ForumMeeting, *, actor: User, description: str, owner: str, due_on: dt.date
) -> ActionItem:
    """Record an action item (who does what by when), before the minutes are published."""
    check_record_open(meeting)
    item = ActionItem.objects.create(
        meeting=meeting, description=description, owner=owner, due_on=due_on
    )
    record_event(
        actor, "forums.action_item.recorded", item, meeting=meeting.pk, due_on=due_on.isoformat()
    )
    return item


def meeting_publish_minutes(
    meeting: ForumMeeting,
    *,
    actor: User,
    minutes_text: str = "",
    minutes_file: File | None = None,
    now: dt.datetime | None = None,
) -> ForumMeeting:
    """Publish the minutes (text, a file, or both). From now on the meeting counts as
    evidence, and its minutes appear in the member's repository. Where the forum's rules ask
    both co-chairs to co-sign, the minutes are drafted instead and go public with the last
    signature (`meeting_cosign_minutes`). A file that cannot be stored raises
    FileStorageError and publishes nothing; the file of a refused or failed publication is
    removed again."""
    with stored_files() as files, transaction.atomic():
        return _publish_minutes(
            meeting, actor=actor, minutes_text=minutes_text, minutes_file=minutes_file,
            now=now, files=files,
        )  # fmt: skip


def _publish_minutes(
    meeting: ForumMeeting,
    *,
    actor: Any,
    minutes_text: str,
    minutes_file: File | None,
    now: dt.datetime | None,
    files: StoredFiles,
) -> ForumMeeting:
    now = now or timezone.now()
    if not minutes_text.strip() and not minutes_file:
        raise DomainError(_("Write the minutes or attach them as a file."))
    _check_minutes_open(meeting)
    if meeting.status not in (MeetingStatus.HELD, MeetingStatus.AWAITING_SIGNATURES):
        raise DomainError(_("Record the attendance before publishing the minutes."))
    cosign = meeting.forum.minutes_require_cosign
    if cosign and len(co_chair_user_ids(meeting.forum)) < 2:
        raise DomainError(
            _(
                "The forum's rules ask both co-chairs to co-sign the minutes, but it has no "
                "two co-chairs with a portal account today."
            )
        )
    if minutes_file:
        # Save the file first; the status only moves if the compare-and-set below succeeds.
        files.save(meeting.minutes_file, minutes_file)
    fields = {
        "minutes_text": minutes_text.strip(),
        "minutes_file": meeting.minutes_file.name or "",
    }
    if cosign:
        old = move_meeting(meeting, MeetingStatus.AWAITING_SIGNATURES, **fields)
        # Drafted again: whoever signed signs the new text.
        meeting.signatures.all().delete()
        record_event(
            actor,
            "forums.meeting.minutes_drafted",
            meeting,
            from_state=old,
            to_state=MeetingStatus.AWAITING_SIGNATURES,
        )
        return meeting
    old = move_meeting(meeting, MeetingStatus.MINUTES_PUBLISHED, minutes_published_at=now, **fields)
    minutes_went_public(meeting, actor=actor, old=old, now=now)
    return meeting


def minutes_went_public(meeting: ForumMeeting, *, actor: Any, old: str, now: dt.datetime) -> None:
    """What follows the publication of minutes: the repository entry, the audit event and
    the notice to the meeting's audience."""
    published(
        Publication(
            kind="meeting_minutes",
            forum=meeting.forum,
            title=meeting.title,
            url=meeting.get_absolute_url(),
            actor=actor,
            published_at=now,
            plan=meeting.plan,
            meeting=meeting,
        )
    )
    record_event(
        actor,
        "forums.meeting.minutes_published",
        meeting,
        from_state=old,
        to_state=MeetingStatus.MINUTES_PUBLISHED,
        decisions=meeting.decisions.count(),
    )
    _notify_minutes_published(meeting)


def _notify_minutes_published(meeting: ForumMeeting) -> None:
    """The meeting's audience (forums.reminders.meeting_audience) hears the minutes are out."""
    from django.utils.translation import gettext_lazy

    from forums.reminders import meeting_audience
    from ogp_portal.core.notifications import notify
    from ogp_portal.core.reminders import lazy_format

    notify(
        meeting_audience(meeting),
        "minutes.published",
        lazy_format(gettext_lazy("Minutes published: %(title)s"), {"title": meeting.title}),
        "forums/emails/minutes_published.txt",
        {"meeting": meeting, "time_zone": meeting.forum.member.time_zone},
        target=meeting,
        url=meeting.get_absolute_url(),
    )
