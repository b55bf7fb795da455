"""Open data, the rest of the public record (issue #17): every public input with its
published response (the public ledger), forum meetings with attendance by sector, forum
decisions, and outreach activities. Same rules as records/opendata.py: only what an
anonymous visitor sees, streamed in chunks, a fixed number of queries per chunk.

Joins: `plan_id` (plans file), `ogp_id` (commitments file), `meeting_id` (meetings and
forum decisions).
"""

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext_lazy as _

from commitments.models import Commitment
from consultations.models import InputEntry
from forums.choices import MeetingStatus, Sector
from forums.models import Decision, ForumMeeting
from records.models import OutreachActivity

from .opendata import Column, Dataset, Filters, _date, _instant, public_plans

# --- inputs and their responses -----------------------------------------------------------

INPUT_COLUMNS = (
    Column("reference", _("The input's citable reference (I-12).")),
    Column("plan_id", _("The plan's number (see the plans file).")),
    Column("consultation_id", _("The consultation it came in, if any.")),
    Column("kind", _("proposal, answer, comment, offline, forum or monitoring.")),
    Column("channel", _("online, paper, phone, workshop, email or meeting.")),
    Column("title", _("Title of the input.")),
    Column("text", _("What was said.")),
    Column("received_on", _("When it was received (YYYY-MM-DD), for typed-in input.")),
    Column("recorded_at", _("When it was recorded on the portal (UTC).")),
    Column("organisation", _("The organisation it came from, if any.")),
    Column("ogp_id", _("The commitment it is about, if any.")),
    Column("response_reference", _("The published response's reference (R-3), or empty.")),
    Column("decision", _("The response's decision.")),
    Column("reason", _("The reasoned response.")),
    Column("commitment_ogp_ids", _("Commitments the response shaped, separated by spaces.")),
    Column("response_published_at", _("When the response was published (UTC).")),
    Column("url", _("The input's page.")),
)


def _inputs(filters: Filters) -> QuerySet:
    entries = (
        InputEntry.objects.public()
        .filter(plan__in=public_plans())
        .select_related("organisation", "commitment", "response")
        .prefetch_related(
            Prefetch("response__commitments", queryset=Commitment.objects.only("pk", "ogp_id"))
        )
        .order_by("plan_id", "pk")
    )
    if filters.member:
        entries = entries.filter(plan__member__slug=filters.member)
    if filters.plan:
        entries = entries.filter(plan_id=filters.plan)
    return entries


def _input_row(entry: InputEntry, site: str) -> dict[str, Any]:
    response = entry.response
    published = response if response is not None and response.published_at else None
    return {
        "reference": entry.reference,
        "plan_id": entry.plan_id,
        "consultation_id": entry.consultation_id or "",
        "kind": entry.kind,
        "channel": entry.channel,
        "title": entry.title,
        "text": entry.text,
        "received_on": _date(entry.received_on),
        "recorded_at": _instant(entry.created_at),
        "organisation": entry.organisation.name if entry.organisation else "",
        "ogp_id": entry.commitment.ogp_id if entry.commitment else "",
        "response_reference": published.reference if published else "",
        "decision": published.decision if published else "",
        "reason": published.reason if published else "",
        "commitment_ogp_ids": " ".join(sorted(c.ogp_id for c in published.commitments.all()))
        if published
        else "",
        "response_published_at": _instant(published.published_at) if published else "",
        "url": site + entry.get_absolute_url(),
    }


# --- meetings and attendance --------------------------------------------------------------

MEETING_COLUMNS = (
    Column("meeting_id", _("The meeting's number on this portal.")),
    Column("member", _("The member whose forum met.")),
    Column("plan_id", _("The plan it was about, if any.")),
    Column("title", _("Title of the meeting.")),
    Column("kind", _("msf_regular, implementation_review_with_cso or public_engagement.")),
    Column("starts_at", _("When it started (UTC).")),
    Column("minutes_published_at", _("When its minutes were published (UTC).")),
    *(
        Column(f"attendance_{value}", _("People present: %(sector)s.") % {"sector": label})
        for value, label in Sector.choices
    ),
    Column("attendance_total", _("People present in all.")),
    Column("url", _("The meeting's page.")),
)


def _published_meetings(filters: Filters) -> QuerySet:
    """Meetings whose minutes are published: the only ones on the public record as evidence."""
    meetings = ForumMeeting.objects.filter(status=MeetingStatus.MINUTES_PUBLISHED)
    if filters.member:
        meetings = meetings.filter(forum__member__slug=filters.member)
    if filters.plan:
        meetings = meetings.filter(plan_id=filters.plan)
    return meetings


def _meetings(filters: Filters) -> QuerySet:
    return (
        _published_meetings(filters)
        .select_related("forum__member")
        .prefetch_related("attendance")
        .order_by("starts_at", "pk")
    )


def _meeting_row(meeting: ForumMeeting, site: str) -> dict[str, Any]:
    counts = {row.sector: row.count for row in meeting.attendance.all()}
    return {
        "meeting_id": meeting.pk,
        "member": meeting.forum.member.name,
        "plan_id": meeting.plan_id or "",
        "title": meeting.title,
        "kind": meeting.kind,
        "starts_at": _instant(meeting.starts_at),
        "minutes_published_at": _instant(meeting.minutes_published_at),
        **{f"attendance_{value}": counts.get(value, 0) for value in Sector.values},
        "attendance_total": sum(counts.values()),
        "url": site + meeting.get_absolute_url(),
    }


# --- forum decisions ----------------------------------------------------------------------

FORUM_DECISION_COLUMNS = (
    Column("decision_id", _("The decision's number on this portal.")),
    Column("meeting_id", _("The meeting it was taken at (see the meetings file).")),
    Column("member", _("The member whose forum decided.")),
    Column("starts_at", _("When the meeting started (UTC).")),
    Column("position", _("Order within the meeting's decisions.")),
    Column("text", _("The decision.")),
    Column("url", _("The meeting's page.")),
)


def _forum_decisions(filters: Filters) -> QuerySet:
    return (
        Decision.objects.filter(meeting__in=_published_meetings(filters))
        .select_related("meeting__forum__member")
        .order_by("meeting__starts_at", "meeting_id", "position", "pk")
    )


def _forum_decision_row(decision: Decision, site: str) -> dict[str, Any]:
    meeting = decision.meeting
    return {
        "decision_id": decision.pk,
        "meeting_id": meeting.pk,
        "member": meeting.forum.member.name,
        "starts_at": _instant(meeting.starts_at),
        "position": decision.position,
        "text": decision.text,
        "url": site + meeting.get_absolute_url(),
    }


# --- outreach -----------------------------------------------------------------------------

OUTREACH_COLUMNS = (
    Column("outreach_id", _("The activity's number on this portal.")),
    Column("plan_id", _("The plan's number (see the plans file).")),
    Column("title", _("What was done.")),
    Column("place", _("Where.")),
    Column("held_on", _("When (YYYY-MM-DD).")),
    Column("audience", _("Who it reached.")),
    Column("materials", _("Materials used.")),
    Column("url", _("The activity on the plan's outreach log, with its evidence.")),
)


def _outreach(filters: Filters) -> QuerySet:
    activities = OutreachActivity.objects.filter(plan__in=public_plans()).order_by(
        "plan_id", "held_on", "pk"
    )
    if filters.member:
        activities = activities.filter(plan__member__slug=filters.member)
    if filters.plan:
        activities = activities.filter(plan_id=filters.plan)
    return activities


def _outreach_row(activity: OutreachActivity, site: str) -> dict[str, Any]:
    return {
        "outreach_id": activity.pk,
        "plan_id": activity.plan_id,
        "title": activity.title,
        "place": activity.place,
        "held_on": _date(activity.held_on),
        "audience": activity.audience,
        "materials": activity.materials,
        "url": site + activity.get_absolute_url(),
    }


RECORD_DATASETS = (
    Dataset(
        "inputs",
        _("Inputs and responses"),
        _(
            "Every public input to a published plan, whatever its channel, with the reasoned "
            "response that answers it once that response is published."
        ),
        INPUT_COLUMNS,
        _inputs,
        _input_row,
    ),
    Dataset(
        "meetings",
        _("Forum meetings"),
        _("Forum meetings whose minutes are published, with attendance by sector."),
        MEETING_COLUMNS,
        _meetings,
        _meeting_row,
    ),
    Dataset(
        "forum-decisions",
        _("Forum decisions"),
        _("The decisions recorded in those meetings' minutes."),
        FORUM_DECISION_COLUMNS,
        _forum_decisions,
        _forum_decision_row,
    ),
    Dataset(
        "outreach",
        _("Outreach activities"),
        _("Outreach and awareness-raising recorded for published plans (MR 3.2)."),
        OUTREACH_COLUMNS,
        _outreach,
        _outreach_row,
    ),
)
