"""Shared stewardship of the forum (issue #16): its governance rules, its technical
secretariat, agendas, and the co-chairs' signatures on the minutes."""

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from forums.choices import ChairMode, MeetingStatus
from forums.models import (
    Forum,
    ForumMeeting,
    MinutesSignature,
    TechnicalSecretariatMember,
)
from forums.rules import forget_seats
from forums.stewardship import co_chair_seats, co_chair_user_ids
from ogp_portal.core.audit import record_event
from ogp_portal.core.errors import DomainError
from ogp_portal.organisations.models import Organisation
from ogp_portal.users.models import User

from .forum import SECTORS
from .meetings import minutes_went_public, move_meeting

GOVERNANCE_FIELDS = (
    "chair_mode",
    "minutes_require_cosign",
    "quorum_count",
    "quorum_percent",
    "majority_in_each_sector",
    "adoption_requires_decision",
    "timeline_requires_decision",
)


@transaction.atomic
def forum_set_governance(
    forum: Forum,
    *,
    actor: User,
    chair_mode: str,
    minutes_require_cosign: bool,
    quorum_count: int | None,
    quorum_percent: int | None,
    majority_in_each_sector: bool,
    adoption_requires_decision: bool,
    timeline_requires_decision: bool,
) -> Forum:
    """Set how the forum steers and decides, as its rules of participation say. Co-signed
    minutes need co-chairs; a quorum is a count or a share of the seats, not both."""
    if chair_mode not in ChairMode.values:
        raise DomainError(_("Choose who chairs the forum."))
    if minutes_require_cosign and chair_mode != ChairMode.CO_CHAIRS:
        raise DomainError(_("Only co-chairs can co-sign the minutes: choose co-chairs first."))
    if quorum_count and quorum_percent:
        raise DomainError(_("Give the quorum as a number of seats or as a share, not both."))
    if quorum_percent is not None and not 1 <= quorum_percent <= 100:
        raise DomainError(_("A share of the seats is between 1 and 100 %."))
    values = {
        "chair_mode": chair_mode,
        "minutes_require_cosign": minutes_require_cosign,
        "quorum_count": quorum_count or None,
        "quorum_percent": quorum_percent or None,
        "majority_in_each_sector": majority_in_each_sector,
        "adoption_requires_decision": adoption_requires_decision,
        "timeline_requires_decision": timeline_requires_decision,
    }
    before = {name: getattr(forum, name) for name in GOVERNANCE_FIELDS}
    Forum.objects.filter(pk=forum.pk).update(updated_at=timezone.now(), **values)
    forum.refresh_from_db()
    record_event(actor, "forums.forum.governance_set", forum, before=before, after=values)
    return forum


@transaction.atomic
def secretariat_member_add(
    forum: Forum,
    *,
    actor: User,
    user: User,
    sector: str,
    name: str = "",
    organisation: Organisation | None = None,
) -> TechnicalSecretariatMember:
    """Name someone to the forum's technical secretariat (government or civil society)."""
    if sector not in SECTORS:
        raise DomainError(_("Unknown sector."))
    if organisation is not None and organisation.member_id not in (None, forum.member_id):
        raise DomainError(_("The organisation belongs to another member."))
    # The name is public on the forum's page; an e-mail address never is.
    shown = (name or user.name).strip()
    if not shown:
        raise DomainError(_("Give the name to show for this person."))
    try:
        with transaction.atomic():
            member = TechnicalSecretariatMember.objects.create(
                forum=forum,
                user=user,
                name=shown,
                sector=sector,
                organisation=organisation,
            )
    except IntegrityError:
        raise DomainError(_("This person is already on the technical secretariat.")) from None
    forget_seats(user)
    record_event(actor, "forums.secretariat_member.added", member, sector=sector, user=user.pk)
    return member


@transaction.atomic
def secretariat_member_remove(
    member: TechnicalSecretariatMember, *, actor: User, reason: str
) -> None:
    """Take someone off the technical secretariat; a reason is required."""
    if not reason.strip():
        raise DomainError(_("Say why this person leaves the technical secretariat."))
    record_event(
        actor, "forums.secretariat_member.removed", member, reason=reason, user=member.user_id
    )
    forget_seats(member.user)
    member.delete()


@transaction.atomic
def meeting_set_agenda(meeting: ForumMeeting, *, actor: User, agenda: str) -> ForumMeeting:
    """Set the agenda of a meeting that has not been held yet."""
    if not agenda.strip():
        raise DomainError(_("Write the agenda."))
    if meeting.status != MeetingStatus.SCHEDULED:
        raise DomainError(_("The meeting is held; its agenda is on record."))
    updated = ForumMeeting.objects.filter(pk=meeting.pk, status=MeetingStatus.SCHEDULED).update(
        agenda=agenda.strip(), updated_at=timezone.now()
    )
    if not updated:
        raise DomainError(_("Someone else changed this meeting meanwhile; reload and retry."))
    before = meeting.agenda
    meeting.refresh_from_db()
    record_event(actor, "forums.meeting.agenda_set", meeting, before=before, after=meeting.agenda)
    return meeting


@transaction.atomic
def meeting_cosign_minutes(
    meeting: ForumMeeting, *, actor: User, now: dt.datetime | None = None
) -> ForumMeeting:
    """A co-chair in office signs the drafted minutes. With the signatures of all co-chairs
    in office (both, one per sector), the minutes are published: they count as evidence
    from then on. Refused for anyone else, twice, or when nothing awaits signature."""
    now = now or timezone.now()
    forum = meeting.forum
    if meeting.status != MeetingStatus.AWAITING_SIGNATURES:
        raise DomainError(_("These minutes do not await signatures."))
    seat = co_chair_seats(forum).filter(user=actor).first()
    if seat is None:
        raise DomainError(_("Only the co-chairs in office co-sign the minutes."))
    try:
        with transaction.atomic():
            MinutesSignature.objects.create(
                meeting=meeting, user=actor, name=seat.name, sector=seat.sector, signed_at=now
            )
    except IntegrityError:
        raise DomainError(_("You have already signed these minutes.")) from None
    record_event(actor, "forums.meeting.minutes_cosigned", meeting, sector=seat.sector)
    signed = set(meeting.signatures.values_list("user_id", flat=True))
    # Both co-chairs: every co-chair in office, and never fewer than two signatures.
    if len(signed) >= 2 and co_chair_user_ids(forum) <= signed:
        old = move_meeting(meeting, MeetingStatus.MINUTES_PUBLISHED, minutes_published_at=now)
        minutes_went_public(meeting, actor=actor, old=old, now=now)
    return meeting
